"""State-change messages: recorded with the change, sent after it, never twice.

The sender claims a message, sends it outside any transaction, then marks it sent; a
process that dies anywhere in between never leads to a second copy (models.Notification).
"""

import pytest
from django.core import mail
from django_fsm_log.models import StateLog

from demandes.models import Notification
from demandes.tasks import notifier_changement_etat, notifier_changement_etat_sms
from simulateurs.models import Sms
from tests.factories import DemandeFactory
from tests.smtp import ServeurSmtp

Statut = Notification.Statut


def derniere_entree(demande):
    return StateLog.objects.for_(demande).latest("timestamp", "pk")


@pytest.fixture
def serveur_smtp(settings):
    with ServeurSmtp() as serveur:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", serveur.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        yield serveur.boite


@pytest.fixture
def refusee(db, agent_ctn):
    demande = DemandeFactory(en_controle=True)
    demande.executer("refuser", par=agent_ctn, motifs=["autre"], message="Non conforme.")
    return demande


@pytest.mark.django_db
def test_the_change_records_its_messages_before_any_task_runs(
    agent_ctn, django_capture_on_commit_callbacks
):
    demande = DemandeFactory(en_controle=True)
    with django_capture_on_commit_callbacks(execute=False):
        demande.executer("refuser", par=agent_ctn, motifs=["autre"], message="Non.")
    entree = derniere_entree(demande)
    assert sorted(Notification.objects.filter(entree=entree).values_list("canal", "statut")) == [
        ("email", Statut.A_ENVOYER),
        ("sms", Statut.A_ENVOYER),
    ]
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_change_not_told_to_the_candidate_records_nothing(agent_ctn):
    demande = DemandeFactory(deposee=True)
    demande.executer("prendre_en_controle", par=agent_ctn)
    assert not Notification.objects.filter(entree=derniere_entree(demande)).exists()


@pytest.mark.django_db
def test_no_sms_is_recorded_without_a_mobile(agent_ctn):
    demande = DemandeFactory(en_controle=True, telephone="")
    demande.executer("refuser", par=agent_ctn, motifs=["autre"], message="Non.")
    assert list(
        Notification.objects.filter(entree=derniere_entree(demande)).values_list("canal", flat=True)
    ) == ["email"]


@pytest.mark.django_db
def test_a_sender_killed_after_sending_leaves_a_claim_and_the_retry_sends_nothing(refusee):
    """The process dies after the server took the message, before it could mark it sent."""
    notification = Notification.objects.get(
        entree=derniere_entree(refusee), canal=Notification.Canal.EMAIL
    )

    def envoyer_puis_mourir():
        mail.EmailMessage("Votre demande", "…", to=[refusee.email]).send()
        raise SystemExit("SIGKILL")

    with pytest.raises(SystemExit):
        Notification.objects.envoyer_une_fois(notification, envoyer_puis_mourir)
    notification.refresh_from_db()
    assert notification.statut == Statut.EN_COURS and notification.envoyee_le is None
    # The broker hands the task out again: the claim stops a second copy.
    assert notifier_changement_etat(notification.entree_id) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_task_run_twice_sends_once_on_each_channel(refusee):
    entree = derniere_entree(refusee)
    assert notifier_changement_etat(entree.pk) is True
    assert notifier_changement_etat_sms(entree.pk) is True
    assert notifier_changement_etat(entree.pk) is False
    assert notifier_changement_etat_sms(entree.pk) is False
    assert len(mail.outbox) == 1
    assert Sms.objects.filter(demande=refusee).count() == 1
    assert set(Notification.objects.filter(entree=entree).values_list("statut", "tentatives")) == {
        (Statut.ENVOYEE, 1)
    }


@pytest.mark.django_db
def test_mail_goes_through_smtp_with_the_notifications_message_id(refusee, serveur_smtp):
    entree = derniere_entree(refusee)
    assert notifier_changement_etat(entree.pk) is True
    notification = Notification.objects.get(entree=entree, canal=Notification.Canal.EMAIL)
    assert serveur_smtp.message_ids() == [notification.message_id]
    assert notification.statut == Statut.ENVOYEE and notification.envoyee_le


@pytest.mark.django_db
def test_a_refusing_server_releases_the_claim_and_a_retry_sends_it(refusee, serveur_smtp):
    entree = derniere_entree(refusee)
    serveur_smtp.refuser = True
    with pytest.raises(OSError):  # SMTPRecipientsRefused: the task retries it later
        notifier_changement_etat.run(entree.pk)
    notification = Notification.objects.get(entree=entree, canal=Notification.Canal.EMAIL)
    assert (notification.statut, notification.tentatives) == (Statut.A_ENVOYER, 1)
    serveur_smtp.refuser = False
    assert notifier_changement_etat.run(entree.pk) is True
    assert len(serveur_smtp.recus) == 1


@pytest.mark.django_db
def test_an_unreachable_server_claims_nothing(refusee, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with ServeurSmtp() as eteint:
        pass  # started and stopped: nothing listens on its port any more
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", eteint.port
    entree = derniere_entree(refusee)
    with pytest.raises(OSError):
        notifier_changement_etat.run(entree.pk)
    notification = Notification.objects.get(entree=entree, canal=Notification.Canal.EMAIL)
    assert (notification.statut, notification.tentatives) == (Statut.A_ENVOYER, 0)


@pytest.mark.django_db
def test_an_entry_from_before_recording_is_recorded_and_sent_by_its_task(refusee):
    entree = derniere_entree(refusee)
    Notification.objects.filter(entree=entree).delete()
    assert notifier_changement_etat(entree.pk) is True
    assert notifier_changement_etat_sms(entree.pk) is True
    assert Notification.objects.filter(entree=entree, statut=Statut.ENVOYEE).count() == 2
