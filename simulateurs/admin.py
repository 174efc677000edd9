"""Admin of the simulated services' books; the outboxes are read-only, actions drive the services."""

from django.contrib import admin, messages

from permis.admin import LectureSeule
from simulateurs import centre_impression, poste
from simulateurs.models import CodePhoto, OrdreFabrication, Pli, Sms, TimbreFiscal


@admin.register(CodePhoto)
class CodePhotoAdmin(admin.ModelAdmin):
    list_display = ("code", "nom", "prenoms", "emis_le", "expire_le", "utilise_le", "utilise_pour")
    search_fields = ("code", "nom", "utilise_pour")


@admin.register(TimbreFiscal)
class TimbreFiscalAdmin(admin.ModelAdmin):
    list_display = ("numero", "montant", "achete_le", "utilise_le", "utilise_pour")
    search_fields = ("numero", "utilise_pour")


@admin.register(Sms)
class SmsAdmin(LectureSeule):
    list_display = ("envoye_le", "numero", "texte", "demande")
    list_select_related = ("demande",)
    search_fields = ("numero", "texte", "demande__numero", "reference")
    date_hierarchy = "envoye_le"


@admin.register(OrdreFabrication)
class OrdreFabricationAdmin(LectureSeule):
    list_display = ("reference", "demande", "recu_le", "produit_le", "expedie_le")
    list_select_related = ("demande",)
    search_fields = ("reference", "demande__numero")
    actions = ["imprimer", "expedier"]

    @admin.action(description="Imprimer le titre maintenant")
    def imprimer(self, request, queryset):
        faits = sum(centre_impression.imprimer(ordre.pk) for ordre in queryset)
        messages.info(request, f"{faits} titre(s) imprimé(s).")

    @admin.action(description="Remettre le titre imprimé à La Poste")
    def expedier(self, request, queryset):
        faits = sum(centre_impression.expedier(ordre.pk) for ordre in queryset)
        messages.info(request, f"{faits} titre(s) expédié(s).")


@admin.register(Pli)
class PliAdmin(LectureSeule):
    list_display = ("numero_suivi", "demande", "statut", "depose_le", "presente_le")
    list_filter = ("statut",)
    list_select_related = ("demande",)
    search_fields = ("numero_suivi", "demande__numero")
    actions = ["presenter_remis", "presenter_absent", "remettre_au_guichet"]

    @admin.action(description="Présenter à l'adresse : remis au destinataire")
    def presenter_remis(self, request, queryset):
        faits = sum(1 for pli in queryset if poste.presenter(pli.pk, present=True))
        messages.info(request, f"{faits} pli(s) distribué(s).")

    @admin.action(description="Présenter à l'adresse : destinataire absent (mis en instance)")
    def presenter_absent(self, request, queryset):
        faits = sum(1 for pli in queryset if poste.presenter(pli.pk, present=False))
        messages.info(request, f"{faits} pli(s) mis en instance au bureau de poste.")

    @admin.action(description="Remettre au guichet du bureau de poste")
    def remettre_au_guichet(self, request, queryset):
        faits = sum(1 for pli in queryset if poste.remettre_au_guichet(pli.pk))
        messages.info(request, f"{faits} pli(s) remis au guichet.")
