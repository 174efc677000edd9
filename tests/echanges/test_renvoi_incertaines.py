"""An interrupted notification of a message goes out again only when an administrator, having
checked it did not, confirms it in the admin: the same action as for state changes'
(tests/demandes/test_renvoi_incertaines.py), once, and on record."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.urls import reverse

from echanges.enums import Cote
from echanges.models import Message, NotificationMessage
from echanges.tasks import notifier_message
from tests import actions_admin
from tests.factories import AdminFactory, DemandeFactory

Statut = NotificationMessage.Statut
LISTE = reverse("admin:echanges_notificationmessage_changelist")


@pytest.fixture
def interrompue(db, instructeur):
    """The email of a back-office message whose sender died after claiming it."""
    demande = DemandeFactory(en_instruction=True, departement="69", telephone="")
    message = Message.objects.envoyer(demande, instructeur, Cote.SERVICE, "Bonjour")
    notification = message.notifications.get(canal="email")

    def mourir():
        raise SystemExit("SIGKILL")

    with pytest.raises(SystemExit):
        NotificationMessage.objects.envoyer_une_fois(notification, mourir)
    NotificationMessage.objects.filter(pk=notification.pk).update(statut=Statut.INCERTAINE)
    assert notifier_message(notification.pk) is False  # never sent again by itself
    notification.refresh_from_db()
    return notification


def agir(client, notifications, **extra) -> str:
    return actions_admin.agir(client, LISTE, notifications, **extra)


@pytest.mark.django_db
def test_confirmation_page_then_sent_once_with_the_same_message_id(
    client, interrompue, django_capture_on_commit_callbacks
):
    administrateur = AdminFactory()
    client.force_login(administrateur)
    page = agir(client, [interrompue])
    assert "Vérifiez d'abord" in page and interrompue.message.demande.numero in page
    interrompue.refresh_from_db()
    assert interrompue.statut == Statut.INCERTAINE and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        page = agir(client, [interrompue], post="oui")
        agir(client, [interrompue], post="oui")  # a double click
    assert "1 envoi(s) remis en file d'envoi." in page
    interrompue.refresh_from_db()
    assert interrompue.statut == Statut.ENVOYEE
    assert interrompue.remise_a_envoyer_par == administrateur
    (envoye,) = mail.outbox
    assert envoye.extra_headers["Message-ID"] == interrompue.message_id
    assert LogEntry.objects.filter(object_id=str(interrompue.pk)).count() == 1
