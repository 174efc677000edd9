"""The threads in the admin: an audit trail, shown, never edited or deleted by hand."""

from django.contrib import admin

from demandes.admin import RenvoiApresVerification
from echanges.models import Message, NotificationMessage
from permis.admin import LectureSeule


@admin.register(Message)
class MessageAdmin(LectureSeule):
    list_display = ("envoye_le", "demande", "cote", "auteur", "nom_original", "lu_le")
    list_filter = ("cote",)
    list_select_related = ("demande", "auteur")
    search_fields = ("demande__numero", "auteur__username", "auteur__last_name")
    # The file itself is served to those who may see the request, from its pages only.
    exclude = ("piece_jointe",)

    def has_delete_permission(self, request, obj=None):
        return False  # an audit trail


@admin.register(NotificationMessage)
class NotificationMessageAdmin(RenvoiApresVerification, LectureSeule):
    list_display = ("cree_le", "message", "canal", "statut", "tentatives", "envoyee_le")
    list_filter = ("canal", "statut")
    list_select_related = ("message__demande",)
    search_fields = ("message__demande__numero",)
