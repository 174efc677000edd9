"""The notifications of a back-office message: recorded with it, sent after commit, at most
once each, caught up when their task was lost, never sent twice when their sender died."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from echanges.enums import Cote
from echanges.models import Message, NotificationMessage
from echanges.tasks import notifier_message, rattraper_notifications_messages
from simulateurs.models import Sms
from tests.factories import DemandeFactory


@pytest.fixture
def demande(instructeur):
    return DemandeFactory(en_instruction=True, departement="69", telephone="07 51 23 45 67")


@pytest.mark.django_db
def test_nothing_leaves_before_the_commit(demande, instructeur, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = Message.objects.envoyer(demande, instructeur, Cote.SERVICE, "Bonjour")
    assert set(message.notifications.values_list("canal", flat=True)) == {"email", "sms"}
    assert mail.outbox == [] and not Sms.objects.exists()
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1 and Sms.objects.count() == 1


@pytest.mark.django_db
def test_the_requesters_messages_owe_no_notification(demande):
    message = Message.objects.envoyer(demande, demande.candidat, Cote.DEMANDEUR, "Bonjour")
    assert not message.notifications.exists()


@pytest.mark.django_db
def test_no_sms_without_a_french_mobile(instructeur):
    demande = DemandeFactory(en_instruction=True, departement="69", telephone="0472000000")
    message = Message.objects.envoyer(demande, instructeur, Cote.SERVICE, "Bonjour")
    assert list(message.notifications.values_list("canal", flat=True)) == ["email"]


@pytest.mark.django_db
def test_a_lost_task_is_caught_up_and_a_dead_sender_is_not_sent_again(demande, instructeur):
    # Recorded, but the tasks queued on commit never ran (no on_commit in this test).
    perdu = Message.objects.envoyer(demande, instructeur, Cote.SERVICE, "Premier")
    NotificationMessage.objects.filter(message=perdu).update(
        cree_le=timezone.now() - timedelta(minutes=10)
    )
    # A sender that claimed the email of another message, then died.
    mort = Message.objects.envoyer(demande, instructeur, Cote.SERVICE, "Second")
    NotificationMessage.objects.filter(message=mort).update(
        statut=NotificationMessage.Statut.EN_COURS,
        reclamee_le=timezone.now() - timedelta(hours=2),
        cree_le=timezone.now() - timedelta(hours=2),
    )
    bilan = rattraper_notifications_messages()
    assert bilan == {"notifications": 2, "incertaines": 2}
    assert len(mail.outbox) == 1 and Sms.objects.count() == 1
    assert set(
        NotificationMessage.objects.filter(message=mort).values_list("statut", flat=True)
    ) == {NotificationMessage.Statut.INCERTAINE}
    # Run again: nothing more goes out.
    assert rattraper_notifications_messages() == {"notifications": 0, "incertaines": 0}
    for notification in NotificationMessage.objects.all():
        assert notifier_message(notification.pk) is False
    assert len(mail.outbox) == 1 and Sms.objects.count() == 1


@pytest.mark.django_db
def test_the_email_has_the_same_message_id_at_every_attempt(demande, instructeur):
    message = Message.objects.envoyer(demande, instructeur, Cote.SERVICE, "Bonjour")
    courriel = message.notifications.get(canal="email")
    notifier_message(courriel.pk)
    (envoye,) = mail.outbox
    assert envoye.extra_headers["Message-ID"] == courriel.message_id
    html, _ = envoye.alternatives[0]
    assert f"/demandes/{demande.numero}/messages/" in html


@pytest.mark.django_db
def test_the_school_that_filed_gets_a_copy_while_the_mandate_stands(instructeur):
    from tests.auto_ecoles.factories import MandatFactory, MembreFactory

    moniteur = MembreFactory(user__email="moniteur@auto-ecole.fr").user
    demande = DemandeFactory(en_instruction=True, departement="69", depose_par=moniteur)
    mandat = MandatFactory(
        candidat=demande.candidat, auto_ecole=moniteur.membre_auto_ecole.auto_ecole
    )
    premier = Message.objects.envoyer(demande, instructeur, Cote.SERVICE, "Bonjour")
    notifier_message(premier.notifications.get(canal="email").pk)
    assert mail.outbox[-1].cc == ["moniteur@auto-ecole.fr"]

    mandat.retirer(par=demande.candidat)
    second = Message.objects.envoyer(demande, instructeur, Cote.SERVICE, "Encore")
    notifier_message(second.notifications.get(canal="email").pk)
    assert mail.outbox[-1].cc == []
