"""Each step that matters to the candidate: one email and one SMS, only once the change is
committed, and never twice for the same step however often the task runs."""

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django_fsm_log.models import StateLog

from demandes import sms
from demandes.enums import Etat
from demandes.models import Notification
from demandes.tasks import notifier_changement_etat, notifier_changement_etat_sms
from simulateurs.models import Sms
from tests.factories import DemandeFactory


def _derniere_entree(demande):
    return StateLog.objects.for_(demande).latest("timestamp", "pk")


@pytest.mark.django_db
def test_notifications_wait_for_the_commit(instructeur, django_capture_on_commit_callbacks):
    demande = DemandeFactory(en_instruction=True, departement="69", telephone="06 12 34 56 78")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        demande.executer("accepter", par=instructeur)
    assert callbacks  # queued...
    assert mail.outbox == []  # ...but nothing sent before the commit
    assert not Sms.objects.exists()
    for callback in callbacks:
        callback()
    (email,) = mail.outbox
    assert email.subject == f"Votre demande a été acceptée — demande {demande.numero}"
    (texto,) = Sms.objects.all()
    assert texto.numero == "+33612345678"
    assert "Votre demande a été acceptée" in texto.texte
    assert f"/demandes/{demande.numero}/" in texto.texte


@pytest.mark.django_db
def test_a_rolled_back_change_notifies_nobody(instructeur, django_capture_on_commit_callbacks):
    demande = DemandeFactory(en_instruction=True, departement="69")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):  # noqa: SIM117
        with transaction.atomic():
            demande.executer("accepter", par=instructeur)
            raise RuntimeError("the request handling failed after the transition")
    assert mail.outbox == []
    assert not Sms.objects.exists()
    assert type(demande).objects.get(pk=demande.pk).etat == Etat.EN_INSTRUCTION


@pytest.mark.django_db
def test_task_run_twice_sends_one_email_and_one_sms(agent_ctn):
    demande = DemandeFactory(en_controle=True)
    demande.executer("refuser", par=agent_ctn, motifs=["document_illisible"], message="Illisible.")
    entree = _derniere_entree(demande)
    assert notifier_changement_etat(entree.pk) is True
    assert notifier_changement_etat_sms(entree.pk) is True
    # A retry (a worker lost after sending, the message redelivered) sends nothing more.
    assert notifier_changement_etat(entree.pk) is False
    assert notifier_changement_etat_sms(entree.pk) is False
    assert len(mail.outbox) == 1
    assert Sms.objects.filter(demande=demande).count() == 1
    assert set(Notification.objects.filter(entree=entree).values_list("canal", flat=True)) == {
        "email",
        "sms",
    }


@pytest.mark.django_db
def test_email_has_text_and_html_with_a_link_to_the_request(agent_ctn):
    demande = DemandeFactory(en_controle=True)
    demande.executer(
        "refuser", par=agent_ctn, motifs=["photo_non_conforme"], message="Photo floue."
    )
    notifier_changement_etat(_derniere_entree(demande).pk)
    (email,) = mail.outbox
    html, type_mime = email.alternatives[0]
    assert type_mime == "text/html"
    lien = f"/demandes/{demande.numero}/"
    assert lien in email.body and lien in html
    assert "Photo non conforme".lower() in email.body
    assert "Photo floue." in html


@pytest.mark.django_db
def test_no_sms_without_a_french_mobile(agent_ctn):
    demande = DemandeFactory(en_controle=True, telephone="0472000000")  # a landline
    demande.executer("refuser", par=agent_ctn, motifs=["autre"], message="Non conforme.")
    assert notifier_changement_etat_sms(_derniere_entree(demande).pk) is False
    assert not Sms.objects.exists()


@pytest.mark.django_db
def test_steps_that_do_not_concern_the_candidate_send_nothing(agent_ctn):
    demande = DemandeFactory(deposee=True)
    demande.executer("prendre_en_controle", par=agent_ctn)
    entree = _derniere_entree(demande)
    assert notifier_changement_etat(entree.pk) is False
    assert notifier_changement_etat_sms(entree.pk) is False
    assert mail.outbox == [] and not Sms.objects.exists()


@pytest.mark.parametrize(
    ("saisi", "attendu"),
    [
        ("0612345678", "+33612345678"),
        ("06 12 34 56 78", "+33612345678"),
        ("+33 7 51 23 45 67", "+33751234567"),
        ("0033751234567", "+33751234567"),
        ("07.51.23.45.67", "+33751234567"),
        ("0692 12 34 56", "+262692123456"),
        ("+262692123456", "+262692123456"),
        ("0696 12 34 56", "+596696123456"),
    ],
)
def test_mobile_numbers_are_sent_in_international_form(saisi, attendu):
    assert sms.numero_international(saisi) == attendu


@pytest.mark.parametrize(
    "saisi", ["", "0472000000", "061234567", "+447700900123", "06123456789", "+262262123456"]
)
def test_other_numbers_are_refused_by_the_gateway(saisi):
    with pytest.raises(sms.NumeroRefuse):
        sms.numero_international(saisi)


class PasserelleEnregistree:
    """Another gateway, as a real operator's client would be plugged in by the setting."""

    envois: list[tuple[str, str]] = []

    def envoyer(self, numero, texte, demande=None):
        self.envois.append((numero, texte))
        return "REF-1"


@pytest.mark.django_db
def test_gateway_is_chosen_by_setting(agent_ctn):
    PasserelleEnregistree.envois.clear()
    demande = DemandeFactory(en_controle=True)
    demande.executer("refuser", par=agent_ctn, motifs=["autre"], message="Non.")
    with override_settings(PERMIS_SMS_PASSERELLE=f"{__name__}.PasserelleEnregistree"):
        notifier_changement_etat_sms(_derniere_entree(demande).pk)
    assert PasserelleEnregistree.envois[0][0] == "+33612345678"
    assert not Sms.objects.exists()  # the simulated outbox was not used
