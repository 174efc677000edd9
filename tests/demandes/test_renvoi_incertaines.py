"""An interrupted message (« Envoi interrompu, à vérifier ») goes out again only when an
administrator, having checked it did not, confirms it in the admin: once, and on record."""

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from demandes import rattrapage
from demandes.models import Notification
from demandes.tasks import notifier_changement_etat
from tests import actions_admin
from tests.factories import AdminFactory, DemandeFactory, PersonnelFactory

Statut = Notification.Statut
LISTE = reverse("admin:demandes_notification_changelist")


@pytest.fixture
def interrompue(db, agent_ctn):
    """A refusal whose email sender died after the server took it, before marking it sent."""
    demande = DemandeFactory(en_controle=True, telephone="")
    demande.executer("refuser", par=agent_ctn, motifs=["autre"], message="Non conforme.")
    entree = StateLog.objects.for_(demande).latest("timestamp", "pk")
    notification = Notification.objects.get(entree=entree)

    def envoyer_puis_mourir():
        mail.EmailMessage("Votre demande", "…", to=[demande.email]).send()
        raise SystemExit("SIGKILL")

    with pytest.raises(SystemExit):
        Notification.objects.envoyer_une_fois(notification, envoyer_puis_mourir)
    plus_tard = timezone.now() + rattrapage.RECLAMATION_EXPIREE * 2
    with time_machine.travel(plus_tard):
        assert rattrapage.a_rattraper(grace=rattrapage.GRACE).incertaines == 1
    assert notifier_changement_etat(entree.pk) is False  # never sent again by itself
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.statut == Statut.INCERTAINE
    return notification


def agir(client, notifications, **extra) -> str:
    return actions_admin.agir(client, LISTE, notifications, **extra)


@pytest.fixture
def administrateur(client, db):
    admin = AdminFactory()
    client.force_login(admin)
    return admin


@pytest.mark.django_db
def test_the_action_first_asks_for_confirmation_and_changes_nothing(
    client, administrateur, interrompue
):
    page = agir(client, [interrompue])
    assert "Renvoyer des envois interrompus ?" in page
    assert "Vérifiez d'abord" in page and str(interrompue.demande) in page
    assert 'name="post" value="oui"' in page
    interrompue.refresh_from_db()
    assert interrompue.statut == Statut.INCERTAINE and len(mail.outbox) == 1


@pytest.mark.django_db
def test_confirmed_it_is_sent_once_more_and_who_and_when_are_kept(
    client, administrateur, interrompue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = agir(client, [interrompue], post="oui")
    assert "1 envoi(s) remis en file d'envoi." in page
    interrompue.refresh_from_db()
    assert interrompue.statut == Statut.ENVOYEE
    assert interrompue.remise_a_envoyer_par == administrateur
    assert interrompue.remise_a_envoyer_le is not None
    assert len(mail.outbox) == 2
    assert mail.outbox[1].extra_headers["Message-ID"] == interrompue.message_id
    historique = LogEntry.objects.get(object_id=str(interrompue.pk))
    assert historique.user == administrateur
    assert "Remise à envoyer après vérification." in historique.get_change_message()


@pytest.mark.django_db
def test_confirming_twice_sends_once(
    client, administrateur, interrompue, django_capture_on_commit_callbacks
):
    """A double click, or two administrators on the same message: one more copy at most."""
    with django_capture_on_commit_callbacks(execute=True):
        agir(client, [interrompue], post="oui")
        page = agir(client, [interrompue], post="oui")
    assert "rien n'a été renvoyé" in page
    assert len(mail.outbox) == 2
    assert LogEntry.objects.filter(object_id=str(interrompue.pk)).count() == 1


@pytest.mark.django_db
def test_only_the_interrupted_messages_of_the_selection_are_queued(
    client, administrateur, interrompue, django_capture_on_commit_callbacks, agent_ctn
):
    autre = DemandeFactory(en_controle=True, telephone="")
    autre.executer("refuser", par=agent_ctn, motifs=["autre"], message="Non.")
    a_envoyer = Notification.objects.get(demande=autre)
    with django_capture_on_commit_callbacks(execute=True):
        agir(client, [interrompue, a_envoyer], post="oui")
    a_envoyer.refresh_from_db()
    assert a_envoyer.statut == Statut.A_ENVOYER and a_envoyer.remise_a_envoyer_par is None


@pytest.mark.django_db
def test_staff_who_are_not_superusers_have_no_such_action(client, interrompue):
    from django.contrib.auth.models import Permission

    personnel = PersonnelFactory(is_staff=True)
    personnel.user_permissions.add(Permission.objects.get(codename="view_notification"))
    client.force_login(personnel)
    assert client.get(LISTE).status_code == 200
    assert "renvoyer" not in client.get(LISTE).content.decode()
    agir(client, [interrompue], post="oui")
    interrompue.refresh_from_db()
    assert interrompue.statut == Statut.INCERTAINE
