from django.contrib import admin
from django_fsm_log.admin import StateLogInline

from demandes.models import Demande, Notification


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
    readonly_fields = ("numero", "etat", "etat_modifie_le", "deposee_le", "decidee_le", "neph")
    raw_id_fields = ("candidat", "depose_par")
    inlines = [StateLogInline]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("demande", "canal", "envoyee_le", "cree_le")
    list_filter = ("canal",)
    raw_id_fields = ("demande", "entree")
