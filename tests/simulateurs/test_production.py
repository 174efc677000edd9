"""Title production and posting: accepted -> in production -> produced -> posted (print centre),
then delivered or waiting at the post office 15 days -> returned -> re-sent within 6 months or
destroyed after (frozen clock)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django_fsm import TransitionNotAllowed

from demandes.centre_impression import cle_idempotence
from demandes.enums import Etat, Motif
from demandes.models import Demande
from demandes.tasks import appliquer_transitions_temporelles
from simulateurs import poste
from simulateurs.centre_impression import CentreImpressionSimule
from simulateurs.models import OrdreFabrication, Pli, Sms
from simulateurs.tasks import presenter_plis, traiter_ordres_fabrication
from tests.factories import DemandeFactory

# In UTC: adding days to a Paris wall-clock time would shift by an hour across DST.
DEBUT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _etat(demande):
    return Demande.objects.get(pk=demande.pk).etat


@pytest.fixture
def titre_expedie(db, instructeur, django_capture_on_commit_callbacks):
    """A title request accepted on DEBUT, printed and posted in the print centre's next round."""
    demande = DemandeFactory(
        en_instruction=True, departement="69", motif=Motif.PRODUCTION_PREMIER_TITRE
    )
    with time_machine.travel(DEBUT, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            demande.executer("accepter", par=instructeur)
        # Production starts on its own; the order waits for the print centre's round.
        assert _etat(demande) == Etat.TITRE_EN_PRODUCTION
        assert OrdreFabrication.objects.get(demande=demande).produit_le is None
        with django_capture_on_commit_callbacks(execute=True):
            assert traiter_ordres_fabrication() == {"imprimes": 1, "expedies": 1}
    return Demande.objects.get(pk=demande.pk)


def test_accepted_title_request_goes_through_the_print_centre_to_the_post(titre_expedie):
    demande = titre_expedie
    assert demande.etat == Etat.EXPEDIE
    transitions = list(
        demande.historique().values_list("transition", "by_id").order_by("timestamp", "pk")
    )
    assert [t for t, _ in transitions] == [
        "accepter",
        "lancer_production",
        "produire",
        "expedier",
    ]
    assert all(by is None for t, by in transitions[1:])  # the system did the rest
    ordre = OrdreFabrication.objects.get(demande=demande)
    assert ordre.produit_le and ordre.expedie_le
    pli = Pli.objects.get(demande=demande)
    assert demande.numero_suivi == pli.numero_suivi
    assert pli.statut == Pli.Statut.ACHEMINEMENT


def test_a_round_does_nothing_twice(titre_expedie):
    assert traiter_ordres_fabrication() == {"imprimes": 0, "expedies": 0}
    assert Pli.objects.filter(demande=titre_expedie).count() == 1


@pytest.mark.django_db
def test_print_centre_prints_orders_after_its_delay(settings, instructeur):
    settings.PERMIS_CENTRE_IMPRESSION_DELAI_HEURES = 48
    demande = DemandeFactory(titre_en_production=True)
    with time_machine.travel(DEBUT, tick=False):
        CentreImpressionSimule().commander(demande, cle=cle_idempotence(demande))
    with time_machine.travel(DEBUT + timedelta(hours=47), tick=False):
        assert traiter_ordres_fabrication() == {"imprimes": 0, "expedies": 0}
    with time_machine.travel(DEBUT + timedelta(hours=48), tick=False):
        assert traiter_ordres_fabrication() == {"imprimes": 1, "expedies": 1}
    assert _etat(demande) == Etat.EXPEDIE


@pytest.mark.django_db
def test_ordering_twice_with_the_same_key_makes_one_order(instructeur):
    demande = DemandeFactory(titre_en_production=True)
    centre, cle = CentreImpressionSimule(), cle_idempotence(demande)
    assert centre.commander(demande, cle=cle) == centre.commander(demande, cle=cle)
    ordre = OrdreFabrication.objects.get(demande=demande)
    assert ordre.cle_idempotence == cle


def test_letter_presented_to_the_addressee_is_delivered(titre_expedie, settings):
    settings.PERMIS_POSTE_TAUX_ABSENCE = 0
    with time_machine.travel(DEBUT + timedelta(hours=23), tick=False):
        assert presenter_plis() == {}  # still in transit
    with time_machine.travel(DEBUT + timedelta(hours=25), tick=False):
        assert presenter_plis() == {"distribue": 1}
    assert _etat(titre_expedie) == Etat.DISTRIBUE


def test_posting_timeline_with_frozen_clock(
    titre_expedie, settings, django_capture_on_commit_callbacks
):
    settings.PERMIS_POSTE_TAUX_ABSENCE = 100  # nobody home
    demande = titre_expedie
    premier_pli = Pli.objects.get(demande=demande)

    with time_machine.travel(DEBUT + timedelta(days=1, hours=1), tick=False):
        presenter_plis()
    assert _etat(demande) == Etat.EN_INSTANCE

    # 15 days at the post office: not returned a minute before.
    avise_le = Demande.objects.get(pk=demande.pk).etat_modifie_le
    with time_machine.travel(avise_le + timedelta(days=15) - timedelta(minutes=1), tick=False):
        assert appliquer_transitions_temporelles()["retourner"] == 0
    assert _etat(demande) == Etat.EN_INSTANCE
    with time_machine.travel(avise_le + timedelta(days=15), tick=False):
        assert appliquer_transitions_temporelles()["retourner"] == 1
    assert _etat(demande) == Etat.RETOURNE

    # Within 6 months the candidate asks for it again: a new letter, a new tracking number.
    retourne_le = Demande.objects.get(pk=demande.pk).etat_modifie_le
    with (
        time_machine.travel(retourne_le + timedelta(days=150), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        Demande.objects.get(pk=demande.pk).executer("reexpedier", par=demande.candidat)
    demande = Demande.objects.get(pk=demande.pk)
    assert demande.etat == Etat.EXPEDIE
    nouveau_pli = Pli.objects.get(demande=demande, statut=Pli.Statut.ACHEMINEMENT)
    assert demande.numero_suivi == nouveau_pli.numero_suivi != premier_pli.numero_suivi
    premier_pli.refresh_from_db()
    assert premier_pli.statut == Pli.Statut.RETOURNE


@pytest.mark.django_db
def test_returned_title_is_destroyed_after_6_months_and_candidate_told(
    django_capture_on_commit_callbacks,
):
    with time_machine.travel(DEBUT, tick=False):
        demande = DemandeFactory(retourne=True)
    with time_machine.travel(DEBUT + timedelta(days=183) - timedelta(hours=1), tick=False):
        assert appliquer_transitions_temporelles()["detruire"] == 0
    assert _etat(demande) == Etat.RETOURNE

    with time_machine.travel(DEBUT + timedelta(days=183), tick=False):
        with pytest.raises(TransitionNotAllowed, match="plus de 6 mois"):
            Demande.objects.get(pk=demande.pk).executer("reexpedier", par=demande.candidat)
        with django_capture_on_commit_callbacks(execute=True):
            assert appliquer_transitions_temporelles()["detruire"] == 1
    assert _etat(demande) == Etat.DETRUIT
    (email,) = mail.outbox
    assert email.subject.startswith("Votre permis a été détruit")
    assert "une nouvelle demande est nécessaire" in email.body
    (sms,) = Sms.objects.filter(demande=demande)
    assert "Votre permis a été détruit" in sms.texte


@pytest.mark.django_db
def test_letter_waiting_at_the_post_office_can_be_collected(instructeur):
    demande = DemandeFactory(expedie=True, numero_suivi="1L00000000001")
    pli = Pli.objects.create(demande=demande, numero_suivi="1L00000000001")
    assert poste.presenter(pli.pk, present=False) == Pli.Statut.EN_INSTANCE
    assert _etat(demande) == Etat.EN_INSTANCE
    assert poste.remettre_au_guichet(pli.pk) is True
    assert _etat(demande) == Etat.DISTRIBUE
    assert poste.remettre_au_guichet(pli.pk) is False  # once


@pytest.mark.django_db
def test_only_the_candidate_asks_for_a_resending(instructeur, autre_candidat):
    demande = DemandeFactory(retourne=True)
    for intrus in (instructeur, autre_candidat):
        with pytest.raises(PermissionDenied):
            demande.executer("reexpedier", par=intrus)
    assert _etat(demande) == Etat.RETOURNE


@pytest.mark.django_db
def test_outcome_of_a_presentation_is_fixed_per_letter(settings):
    settings.PERMIS_POSTE_TAUX_ABSENCE = 50
    plis = [Pli(numero_suivi=f"1L{n:011d}") for n in range(200)]
    tirages = [poste.destinataire_present(pli) for pli in plis]
    assert tirages == [poste.destinataire_present(pli) for pli in plis]
    assert 60 < sum(tirages) < 140  # about half the addressees are home
