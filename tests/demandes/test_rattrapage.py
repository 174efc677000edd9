"""The reconciliation finds what a lost task left undone, queues it again, and is idempotent."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_fsm_log.models import StateLog

from demandes import centre_impression, rattrapage
from demandes.centre_impression import cle_idempotence
from demandes.enums import Etat, Motif
from demandes.models import Demande, DocumentProduit, Notification
from demandes.tasks import rattraper_taches_perdues
from simulateurs.models import OrdreFabrication, Sms
from simulateurs.tasks import traiter_ordres_fabrication
from tests.factories import DemandeFactory

Statut = Notification.Statut
SANS_GRACE = timedelta(0)
ATTESTATION = DocumentProduit.Nature.ATTESTATION_INSCRIPTION


def sans_effets(capture, demande, transition, par, **kwargs):
    """Run a transition whose queued tasks are all lost (the broker never ran them)."""
    with capture(execute=False):
        demande.executer(transition, par=par, **kwargs)
    return Demande.objects.get(pk=demande.pk)


@pytest.fixture
def perdue(django_capture_on_commit_callbacks):
    return lambda *args, **kwargs: sans_effets(django_capture_on_commit_callbacks, *args, **kwargs)


@pytest.mark.django_db
def test_accepted_inscription_without_attestation_is_found_and_made_once(instructeur, perdue):
    demande = perdue(DemandeFactory(en_instruction=True, departement="69"), "accepter", instructeur)
    lot = rattrapage.a_rattraper(grace=SANS_GRACE)
    assert lot.attestations == [demande.pk]
    rattraper_taches_perdues(grace_secondes=0)
    rattraper_taches_perdues(grace_secondes=0)
    assert DocumentProduit.objects.filter(demande=demande, nature=ATTESTATION).count() == 1
    assert rattrapage.a_rattraper(grace=SANS_GRACE).attestations == []


@pytest.mark.django_db
def test_a_fresh_change_is_left_to_its_own_task(instructeur, perdue):
    perdue(DemandeFactory(en_instruction=True, departement="69"), "accepter", instructeur)
    assert rattrapage.a_rattraper().bilan() == dict.fromkeys(rattrapage.ARattraper().bilan(), 0)
    with time_machine.travel(timezone.now() + rattrapage.GRACE + timedelta(seconds=1)):
        assert len(rattrapage.a_rattraper().attestations) == 1


@pytest.mark.django_db
def test_submitted_category_b_inscription_without_receipt_is_found(candidat, perdue):
    b = perdue(DemandeFactory(candidat=candidat), "deposer", candidat)
    a2 = perdue(DemandeFactory(candidat=candidat, categories=["A2"]), "deposer", candidat)
    abandonnee = perdue(DemandeFactory(candidat=candidat), "deposer", candidat)
    abandonnee.executer("abandonner", par=candidat)
    lot = rattrapage.a_rattraper(grace=SANS_GRACE)
    assert lot.recepisses == [b.pk]
    assert a2.pk not in lot.recepisses
    rattraper_taches_perdues(grace_secondes=0)
    assert list(DocumentProduit.objects.values_list("demande_id", "nature")) == [
        (b.pk, DocumentProduit.Nature.RECEPISSE_DEPOT)
    ]


@pytest.mark.django_db
def test_accepted_request_for_a_title_whose_production_never_started(instructeur, perdue):
    demande = perdue(
        DemandeFactory(en_instruction=True, departement="69", motif=Motif.PRODUCTION_PREMIER_TITRE),
        "accepter",
        instructeur,
    )
    assert rattrapage.a_rattraper(grace=SANS_GRACE).productions == [demande.pk]
    rattraper_taches_perdues(grace_secondes=0)
    assert Demande.objects.get(pk=demande.pk).etat != Etat.ACCEPTEE
    assert rattrapage.a_rattraper(grace=SANS_GRACE).productions == []


@pytest.mark.django_db
def test_an_order_never_sent_to_the_print_centre_is_sent_once(perdue):
    demande = perdue(DemandeFactory(acceptee=True), "lancer_production", None)
    assert demande.etat == Etat.TITRE_EN_PRODUCTION and not OrdreFabrication.objects.exists()
    assert rattrapage.a_rattraper(grace=SANS_GRACE).commandes == [demande.pk]
    rattraper_taches_perdues(grace_secondes=0)
    ordre = OrdreFabrication.objects.get(demande=demande)
    assert ordre.cle_idempotence == cle_idempotence(demande)
    transmise = Demande.objects.get(pk=demande.pk)
    assert transmise.reference_fabrication == ordre.reference and transmise.commande_transmise_le
    assert rattrapage.a_rattraper(grace=SANS_GRACE).commandes == []
    rattraper_taches_perdues(grace_secondes=0)
    assert OrdreFabrication.objects.count() == 1


@pytest.mark.django_db
def test_an_order_the_centre_took_before_its_sender_died_is_not_printed_twice(perdue):
    """The worker sent the order and was killed before noting the centre's answer: the
    reconciliation sends it again, with the same idempotency key, and one card is printed."""
    demande = perdue(DemandeFactory(acceptee=True), "lancer_production", None)
    reference = centre_impression.client().commander(demande, cle=cle_idempotence(demande))
    assert rattrapage.a_rattraper(grace=SANS_GRACE).commandes == [demande.pk]
    rattraper_taches_perdues(grace_secondes=0)
    assert list(OrdreFabrication.objects.values_list("reference", flat=True)) == [reference]
    assert Demande.objects.get(pk=demande.pk).reference_fabrication == reference
    assert traiter_ordres_fabrication()["imprimes"] == 1
    assert traiter_ordres_fabrication()["imprimes"] == 0


@pytest.mark.django_db
def test_messages_of_lost_tasks_are_sent_once(agent_ctn, perdue):
    demande = perdue(
        DemandeFactory(en_controle=True), "refuser", agent_ctn, motifs=["autre"], message="Non."
    )
    lot = rattrapage.a_rattraper(grace=SANS_GRACE)
    entree = StateLog.objects.for_(demande).latest("timestamp", "pk")
    assert sorted(lot.notifications) == [(entree.pk, "email"), (entree.pk, "sms")]
    rattraper_taches_perdues(grace_secondes=0)
    rattraper_taches_perdues(grace_secondes=0)
    assert len(mail.outbox) == 1
    assert Sms.objects.filter(demande=demande).count() == 1


@pytest.mark.django_db
def test_an_entry_with_no_message_recorded_gets_them_recorded_and_sent(agent_ctn, perdue):
    demande = perdue(
        DemandeFactory(en_controle=True), "refuser", agent_ctn, motifs=["autre"], message="Non."
    )
    Notification.objects.all().delete()  # as for an entry from before recording
    lot = rattrapage.a_rattraper(grace=SANS_GRACE)
    assert lot.notifications_enregistrees == 2 and len(lot.notifications) == 2
    rattraper_taches_perdues(grace_secondes=0)
    assert Notification.objects.filter(demande=demande, statut=Statut.ENVOYEE).count() == 2
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_dead_senders_claim_is_marked_uncertain_and_never_sent_again(agent_ctn, perdue):
    demande = perdue(
        DemandeFactory(en_controle=True), "refuser", agent_ctn, motifs=["autre"], message="Non."
    )
    email = Notification.objects.get(demande=demande, canal="email")
    sms = Notification.objects.get(demande=demande, canal="sms")
    maintenant = timezone.now()
    Notification.objects.filter(pk=email.pk).update(
        statut=Statut.EN_COURS, reclamee_le=maintenant - rattrapage.RECLAMATION_EXPIREE * 2
    )
    Notification.objects.filter(pk=sms.pk).update(statut=Statut.EN_COURS, reclamee_le=maintenant)
    lot = rattrapage.a_rattraper(grace=SANS_GRACE)
    assert lot.incertaines == 1 and lot.notifications == []
    email.refresh_from_db()
    sms.refresh_from_db()
    assert (email.statut, sms.statut) == (Statut.INCERTAINE, Statut.EN_COURS)
    rattraper_taches_perdues(grace_secondes=0)
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_message_refused_too_often_is_left_to_an_operator(agent_ctn, perdue):
    demande = perdue(
        DemandeFactory(en_controle=True), "refuser", agent_ctn, motifs=["autre"], message="Non."
    )
    Notification.objects.filter(demande=demande).update(tentatives=rattrapage.TENTATIVES_MAX)
    assert rattrapage.a_rattraper(grace=SANS_GRACE).notifications == []


@pytest.mark.django_db
def test_requests_changed_before_the_horizon_are_not_looked_at(instructeur, perdue):
    with time_machine.travel(timezone.now() - rattrapage.HORIZON - timedelta(days=1)):
        perdue(DemandeFactory(en_instruction=True, departement="69"), "accepter", instructeur)
    assert rattrapage.a_rattraper(grace=SANS_GRACE).attestations == []


def _requetes_pour(n: int, instructeur, agent_ctn, candidat, perdue) -> int:
    for _ in range(n):
        perdue(DemandeFactory(en_instruction=True, departement="69"), "accepter", instructeur)
        perdue(DemandeFactory(candidat=candidat), "deposer", candidat)
        demande = perdue(
            DemandeFactory(en_controle=True), "refuser", agent_ctn, motifs=["autre"], message="."
        )
        Notification.objects.filter(demande=demande).delete()
    with CaptureQueriesContext(connection) as requetes:
        lot = rattrapage.a_rattraper(grace=SANS_GRACE)
    assert len(lot.attestations) == n and len(lot.recepisses) >= n
    return len(requetes)


@pytest.mark.django_db
def test_the_search_costs_the_same_queries_for_one_or_many_requests(
    instructeur, agent_ctn, candidat, perdue
):
    une = _requetes_pour(1, instructeur, agent_ctn, candidat, perdue)
    Demande.objects.all().delete()
    assert _requetes_pour(4, instructeur, agent_ctn, candidat, perdue) == une
