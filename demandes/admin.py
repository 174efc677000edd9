from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django_fsm_log.admin import StateLogInline

from demandes import tasks
from demandes.models import (
    CompteurNeph,
    Demande,
    DocumentProduit,
    Notification,
    PieceJustificative,
)
from permis.admin import LectureSeule


@admin.register(Demande)
class DemandeAdmin(admin.ModelAdmin):
    list_display = ("numero", "candidat", "motif", "etat", "departement", "deposee_le")
    list_filter = ("etat", "motif", "departement")
    search_fields = (
        "numero",
        "neph",
        "nom_naissance",
        "nom_usage",
        "prenoms",
        "candidat__username",
    )
    # What the lifecycle writes is read-only: it only changes through transitions.
    readonly_fields = (
        "numero",
        "etat",
        "etat_modifie_le",
        "deposee_le",
        "decidee_le",
        "neph",
        "file_origine",
        "pieces_a_completer",
        "completer_avant",
        "motifs_rejet",
        "numero_suivi",
        "reference_fabrication",
        "commande_transmise_le",
    )
    raw_id_fields = ("candidat", "depose_par")
    inlines = [StateLogInline]


class RenvoiApresVerification:
    """The admin action putting back in the queue the messages of an `EnvoiUnique` model left
    « Envoi interrompu, à vérifier »: their sender died between claiming and confirming them;
    they may have gone out, so they are not sent again by themselves (EnvoiUniqueQuerySet).
    An administrator who checked the server's log confirms on a second page; who and when
    stay on the row and in the admin's history."""

    actions = ["renvoyer"]

    def has_renvoyer_permission(self, request) -> bool:
        return request.user.is_superuser  # a message twice to a candidate: a judgement call

    @admin.action(
        description="Renvoyer les envois interrompus (après vérification)",
        permissions=["renvoyer"],
    )
    def renvoyer(self, request, queryset):
        incertaines = queryset.filter(statut=self.model.Statut.INCERTAINE)
        if request.POST.get("post") != "oui":
            return TemplateResponse(
                request,
                "admin/renvoyer_envois.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Renvoyer des envois interrompus ?",
                    "opts": self.model._meta,
                    "incertaines": incertaines.select_related(self.model.CHEMIN_DEMANDE),
                    "ignorees": queryset.count() - incertaines.count(),
                    "queryset": queryset,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        remises = tasks.renvoyer_apres_verification(incertaines, par=request.user)
        for notification in remises:
            self.log_change(request, notification, "Remise à envoyer après vérification.")
        if remises:
            self.message_user(
                request, f"{len(remises)} envoi(s) remis en file d'envoi.", messages.SUCCESS
            )
        else:
            self.message_user(
                request,
                "Aucun envoi interrompu dans la sélection : rien n'a été renvoyé.",
                messages.WARNING,
            )
        return None


@admin.register(Notification)
class NotificationAdmin(RenvoiApresVerification, LectureSeule):
    """The record of every message owed and sent (the outboxes' index): read-only, but for
    the action that sends an interrupted one again after checking."""

    list_display = ("demande", "canal", "statut", "tentatives", "envoyee_le", "cree_le")
    list_filter = ("statut", "canal")
    raw_id_fields = ("demande", "entree")
    search_fields = ("demande__numero",)


@admin.register(PieceJustificative)
class PieceJustificativeAdmin(admin.ModelAdmin):
    list_display = ("demande", "nature", "nom_original", "type_mime", "taille", "cree_le")
    list_filter = ("nature", "type_mime")
    search_fields = ("demande__numero", "nom_original")
    raw_id_fields = ("demande",)


@admin.register(DocumentProduit)
class DocumentProduitAdmin(admin.ModelAdmin):
    list_display = ("demande", "nature", "cree_le")
    list_filter = ("nature",)
    search_fields = ("demande__numero",)
    raw_id_fields = ("demande",)


@admin.register(CompteurNeph)
class CompteurNephAdmin(LectureSeule):
    list_display = ("departement", "annee", "mois", "dernier")
    list_filter = ("annee", "departement")

    def has_delete_permission(self, request, obj=None):
        return False  # deleting a counter would give NEPH numbers twice
