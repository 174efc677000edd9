"""Admin of the back-office records and of the simulated services' books (read-only outboxes)."""

from django.contrib import admin, messages

from instruction import centre_impression, poste
from instruction.models import (
    CompteurNeph,
    JournalPriseEnCharge,
    OrdreFabrication,
    Pli,
    PriseEnCharge,
    Sms,
)


class LectureSeule(admin.ModelAdmin):
    """Records written by the portal only: shown, never edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PriseEnCharge)
class PriseEnChargeAdmin(admin.ModelAdmin):
    """An administrator may release a claim (an agent away); claims are taken in the back-office."""

    list_display = ("demande", "agent", "prise_le")
    list_select_related = ("demande", "agent")
    search_fields = ("demande__numero", "agent__username", "agent__last_name")
    readonly_fields = ("demande", "agent", "prise_le")

    def has_add_permission(self, request):
        return False


@admin.register(JournalPriseEnCharge)
class JournalPriseEnChargeAdmin(LectureSeule):
    list_display = ("le", "demande", "agent", "evenement")
    list_filter = ("evenement",)
    list_select_related = ("demande", "agent")
    search_fields = ("demande__numero", "agent__username", "agent__last_name")

    def has_delete_permission(self, request, obj=None):
        return False  # an audit trail


@admin.register(CompteurNeph)
class CompteurNephAdmin(LectureSeule):
    list_display = ("departement", "annee", "mois", "dernier")
    list_filter = ("annee", "departement")

    def has_delete_permission(self, request, obj=None):
        return False  # deleting a counter would give NEPH numbers twice


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
