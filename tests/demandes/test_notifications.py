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


@pytest.mark.django_db
def test_a_change_records_the_rows_bulk_create_wrote_and_keeps_those_recorded(instructeur):
    """Notification.objects.enregistrer writes its rows by its own INSERT: the same columns
    as Django's bulk_create(ignore_conflicts=True), and a channel already recorded for the
    entry is left as it was (its status, attempts and date untouched)."""
    demande = DemandeFactory(en_instruction=True, departement="69", telephone="06 12 34 56 78")
    demande.executer("accepter", par=instructeur)
    entree = _derniere_entree(demande)
    ecrites = list(Notification.objects.filter(entree=entree).order_by("canal").values())
    assert [r["canal"] for r in ecrites] == ["email", "sms"]

    Notification.objects.filter(entree=entree).delete()
    Notification.objects.bulk_create(
        Notification.objects.dues(demande, entree), ignore_conflicts=True
    )
    par_django = list(Notification.objects.filter(entree=entree).order_by("canal").values())

    def sans_cle_ni_date(lignes):
        return [{k: v for k, v in r.items() if k not in ("id", "cree_le")} for r in lignes]

    assert sans_cle_ni_date(ecrites) == sans_cle_ni_date(par_django)
    assert all(r["cree_le"] is not None for r in ecrites)

    email = Notification.objects.get(entree=entree, canal="email")
    Notification.objects.filter(pk=email.pk).update(statut="envoyee", tentatives=1)
    Notification.objects.filter(entree=entree, canal="sms").delete()
    Notification.objects.enregistrer(demande, entree)  # the email's conflicts, the SMS's is new
    apres = {r.canal: r for r in Notification.objects.filter(entree=entree)}
    assert (apres["email"].pk, apres["email"].statut, apres["email"].tentatives) == (
        email.pk, "envoyee", 1,
    )  # fmt: skip
    assert apres["email"].cree_le == email.cree_le
    assert apres["sms"].statut == "a_envoyer"


@pytest.mark.django_db
def test_a_change_that_owes_nothing_writes_no_row(django_assert_num_queries):
    demande = DemandeFactory(deposee=True)
    entree = StateLog(state=Etat.BROUILLON)  # not announced (etats.notification is None)
    with django_assert_num_queries(0):
        Notification.objects.enregistrer(demande, entree)
