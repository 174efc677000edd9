"""The request lifecycle: who may run each transition, from where, and what it records."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django_fsm import TransitionNotAllowed
from django_fsm_log.models import StateLog

from demandes.enums import Etat, MotifRejet
from demandes.lifecycle import TRANSITIONS
from demandes.models import Demande
from tests.factories import DemandeFactory

DANS_15_JOURS = timezone.localdate() + timedelta(days=15)

# transition, factory traits of the starting state, kwargs, who may run it, resulting state.
# "titulaire" is the request's candidate, "systeme" is par=None (clock, print centre, post).
CAS_AUTORISES = [
    ("deposer", {}, {}, "titulaire", Etat.DEPOSEE),
    ("abandonner", {}, {}, "titulaire", Etat.ABANDONNEE),
    ("abandonner", {"deposee": True}, {}, "titulaire", Etat.ABANDONNEE),
    ("prendre_en_controle", {"deposee": True}, {}, "agent_ctn", Etat.CONTROLE_FORME),
    ("passer_en_instruction", {"en_controle": True}, {}, "agent_ctn", Etat.EN_INSTRUCTION),
    (
        "refuser",
        {"en_controle": True},
        {"motifs": [MotifRejet.DOCUMENT_ILLISIBLE], "message": "Pièce d'identité illisible."},
        "agent_ctn",
        Etat.REJETEE,
    ),
    (
        "demander_complement",
        {"en_controle": True},
        {"pieces": ["domicile"], "avant": DANS_15_JOURS, "message": "Justificatif trop ancien."},
        "agent_ctn",
        Etat.A_COMPLETER,
    ),
    (
        "demander_complement",
        {"en_instruction": True},
        {"pieces": ["identite"], "avant": DANS_15_JOURS},
        "instructeur",
        Etat.A_COMPLETER,
    ),
    ("completer", {"a_completer_depuis_controle": True}, {}, "titulaire", Etat.CONTROLE_FORME),
    ("accepter", {"en_instruction": True}, {}, "instructeur", Etat.ACCEPTEE),
    (
        "refuser",
        {"en_instruction": True},
        {"motifs": [MotifRejet.IDENTITE_DISCORDANTE], "message": "Identité incohérente."},
        "instructeur",
        Etat.REJETEE,
    ),
    ("lancer_production", {"acceptee": True}, {}, "systeme", Etat.TITRE_EN_PRODUCTION),
    ("produire", {"titre_en_production": True}, {}, "systeme", Etat.TITRE_PRODUIT),
    (
        "expedier",
        {"titre_produit": True},
        {"numero_suivi": "1Z-PERMIS-000001"},
        "systeme",
        Etat.EXPEDIE,
    ),
    ("distribuer", {"expedie": True}, {}, "systeme", Etat.DISTRIBUE),
    ("mettre_en_instance", {"expedie": True}, {}, "systeme", Etat.EN_INSTANCE),
    ("reexpedier", {"retourne": True}, {}, "titulaire", Etat.EXPEDIE),
]


@pytest.fixture
def acteurs(candidat, agent_ctn, instructeur):
    return {
        "titulaire": candidat,
        "agent_ctn": agent_ctn,
        "instructeur": instructeur,
        "systeme": None,
    }


def test_every_transition_has_a_case():
    """The table below covers every transition of the lifecycle (time-driven ones further down)."""
    temporelles = {"retourner", "detruire", "rejeter_hors_delai"}
    assert {cas[0] for cas in CAS_AUTORISES} | temporelles == TRANSITIONS


@pytest.mark.parametrize(("transition", "traits", "kwargs", "role", "cible"), CAS_AUTORISES)
@pytest.mark.django_db
def test_allowed_transition_changes_state_and_writes_audit_entry(
    transition, traits, kwargs, role, cible, acteurs, candidat, django_capture_on_commit_callbacks
):
    demande = DemandeFactory(candidat=candidat, **traits)
    source = demande.etat
    acteur = acteurs[role]

    with django_capture_on_commit_callbacks(execute=True):
        resultat = demande.executer(transition, par=acteur, **kwargs)

    assert resultat.etat == cible
    assert Demande.objects.get(pk=demande.pk).etat == cible
    entree = StateLog.objects.for_(demande).get()
    assert (entree.source_state, entree.state, entree.transition) == (source, cible, transition)
    assert entree.by == acteur


ROLES = ["titulaire", "autre_candidat", "agent_ctn", "instructeur", "instructeur_autre", "systeme"]


@pytest.mark.parametrize(
    ("transition", "traits", "kwargs", "role_autorise", "cible"), CAS_AUTORISES
)
@pytest.mark.django_db
def test_transition_by_any_other_role_is_refused_without_change(
    transition,
    traits,
    kwargs,
    role_autorise,
    cible,
    candidat,
    autre_candidat,
    agent_ctn,
    instructeur,
    instructeur_autre_departement,
):
    acteurs = {
        "titulaire": candidat,
        "autre_candidat": autre_candidat,
        "agent_ctn": agent_ctn,
        "instructeur": instructeur,
        "instructeur_autre": instructeur_autre_departement,
        "systeme": None,
    }
    demande = DemandeFactory(candidat=candidat, **traits)
    source = demande.etat
    for role in ROLES:
        if role == role_autorise:
            continue
        with pytest.raises(PermissionDenied):
            demande.executer(transition, par=acteurs[role], **kwargs)
    assert Demande.objects.get(pk=demande.pk).etat == source
    assert not StateLog.objects.for_(demande).exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("transition", "traits", "acteur"),
    [
        ("deposer", {"deposee": True}, "titulaire"),
        ("abandonner", {"en_instruction": True}, "titulaire"),
        ("prendre_en_controle", {}, "agent_ctn"),
        ("passer_en_instruction", {"deposee": True}, "agent_ctn"),
        ("accepter", {"en_controle": True}, "instructeur"),
        ("accepter", {"acceptee": True}, "instructeur"),
        ("expedier", {"titre_en_production": True}, "systeme"),
        ("reexpedier", {"en_instance": True}, "titulaire"),
        ("completer", {"en_instruction": True}, "titulaire"),
    ],
)
@pytest.mark.django_db
def test_transition_from_a_wrong_state_is_refused_without_change(
    transition, traits, acteur, acteurs, candidat
):
    demande = DemandeFactory(candidat=candidat, **traits)
    source = demande.etat
    with pytest.raises(TransitionNotAllowed, match="Action impossible"):
        demande.executer(transition, par=acteurs[acteur], numero_suivi="X")
    assert Demande.objects.get(pk=demande.pk).etat == source
    assert not StateLog.objects.for_(demande).exists()


@pytest.mark.django_db
def test_incomplete_draft_cannot_be_submitted(candidat):
    demande = DemandeFactory(candidat=candidat, code_photo="")
    with pytest.raises(TransitionNotAllowed, match="incomplète"):
        demande.executer("deposer", par=candidat)
    assert Demande.objects.get(pk=demande.pk).etat == Etat.BROUILLON


@pytest.mark.django_db
def test_rejection_needs_reasons_and_a_message(agent_ctn):
    demande = DemandeFactory(en_controle=True)
    with pytest.raises(ValueError):
        demande.executer("refuser", par=agent_ctn, motifs=[], message="Incomplet")
    with pytest.raises(ValueError):
        demande.executer("refuser", par=agent_ctn, motifs=["document_illisible"], message=" ")
    assert Demande.objects.get(pk=demande.pk).etat == Etat.CONTROLE_FORME
    assert not StateLog.objects.for_(demande).exists()


@pytest.mark.django_db
def test_rejection_records_reasons_and_decision_date(instructeur):
    demande = DemandeFactory(en_instruction=True)
    demande = demande.executer(
        "refuser", par=instructeur, motifs=["photo_non_conforme"], message="Photo floue."
    )
    assert demande.motifs_rejet == ["photo_non_conforme"]
    assert demande.message_candidat == "Photo floue."
    assert demande.decidee_le is not None


@pytest.mark.django_db
def test_completed_request_returns_to_the_queue_it_came_from(candidat, instructeur):
    demande = DemandeFactory(candidat=candidat, en_instruction=True)
    demande = demande.executer(
        "demander_complement", par=instructeur, pieces=["identite"], avant=DANS_15_JOURS
    )
    assert demande.file_origine == Etat.EN_INSTRUCTION
    demande = demande.executer("completer", par=candidat)
    assert demande.etat == Etat.EN_INSTRUCTION
    assert demande.pieces_a_completer == []
    assert [e.state for e in demande.historique()] == [Etat.A_COMPLETER, Etat.EN_INSTRUCTION]


@pytest.mark.django_db
def test_complement_deadline_must_be_in_the_future(agent_ctn):
    demande = DemandeFactory(en_controle=True)
    with pytest.raises(ValueError):
        demande.executer(
            "demander_complement", par=agent_ctn, pieces=["domicile"], avant=timezone.localdate()
        )


@pytest.mark.django_db
def test_instructor_cannot_act_on_another_departement(instructeur_autre_departement):
    demande = DemandeFactory(en_instruction=True, departement="69")
    with pytest.raises(PermissionDenied):
        demande.executer("accepter", par=instructeur_autre_departement)


@pytest.mark.django_db
def test_inscription_motif_does_not_go_to_title_production(instructeur):
    demande = DemandeFactory(en_instruction=True)  # première inscription
    demande = demande.executer("accepter", par=instructeur)
    with pytest.raises(TransitionNotAllowed, match="ne donne pas lieu"):
        demande.executer("lancer_production", par=None)


@pytest.mark.django_db
def test_inactive_candidate_cannot_act(candidat):
    demande = DemandeFactory(candidat=candidat)
    candidat.is_active = False
    candidat.save()
    with pytest.raises(PermissionDenied):
        demande.executer("abandonner", par=candidat)


# --- Time-driven transitions ---------------------------------------------------------------


@pytest.mark.django_db
def test_licence_waiting_at_post_office_returns_after_15_days():
    with time_machine.travel("2026-03-01 10:00 +01:00", tick=False):
        demande = DemandeFactory(expedie=True)
        demande = demande.executer("mettre_en_instance", par=None)
    with (
        time_machine.travel("2026-03-15 09:00 +01:00", tick=False),
        pytest.raises(TransitionNotAllowed, match="15 jours"),
    ):
        demande.executer("retourner", par=None)
    with time_machine.travel("2026-03-16 10:00 +01:00", tick=False):
        assert demande.executer("retourner", par=None).etat == Etat.RETOURNE


@pytest.mark.django_db
def test_returned_licence_can_be_resent_within_6_months_only(candidat):
    with time_machine.travel("2026-01-10 10:00 +01:00", tick=False):
        demande = DemandeFactory(candidat=candidat, retourne=True)
    with time_machine.travel("2026-07-15 10:00 +02:00", tick=False):
        with pytest.raises(TransitionNotAllowed, match="plus de 6 mois"):
            demande.executer("reexpedier", par=candidat)
        assert demande.executer("detruire", par=None).etat == Etat.DETRUIT


@pytest.mark.django_db
def test_returned_licence_is_not_destroyed_before_6_months():
    with time_machine.travel("2026-01-10 10:00 +01:00", tick=False):
        demande = DemandeFactory(retourne=True)
    with (
        time_machine.travel("2026-06-10 10:00 +02:00", tick=False),
        pytest.raises(TransitionNotAllowed, match="conservé 6 mois"),
    ):
        demande.executer("detruire", par=None)


@pytest.mark.django_db
def test_incomplete_request_is_rejected_only_after_its_deadline(candidat):
    with time_machine.travel("2026-02-01 10:00 +01:00", tick=False):
        demande = DemandeFactory(
            candidat=candidat,
            a_completer_depuis_controle=True,
            completer_avant=timezone.localdate() + timedelta(days=10),
        )
        with pytest.raises(TransitionNotAllowed, match="pas encore dépassé"):
            demande.executer("rejeter_hors_delai", par=None)
    with time_machine.travel("2026-02-12 10:00 +01:00", tick=False):
        with pytest.raises(TransitionNotAllowed, match="délai .* dépassé"):
            demande.executer("completer", par=candidat)
        demande = demande.executer("rejeter_hors_delai", par=None)
    assert demande.etat == Etat.REJETEE
    assert demande.motifs_rejet == [MotifRejet.HORS_DELAI]


@pytest.mark.django_db
def test_periodic_task_applies_every_expired_deadline_and_nothing_else():
    from demandes.tasks import appliquer_transitions_temporelles

    with time_machine.travel("2026-01-01 10:00 +01:00", tick=False):
        en_instance_ancienne = DemandeFactory(en_instance=True)
        retournee_ancienne = DemandeFactory(retourne=True)
        a_completer = DemandeFactory(
            a_completer_depuis_controle=True,
            completer_avant=timezone.localdate() + timedelta(days=5),
        )
    with time_machine.travel("2026-07-10 10:00 +02:00", tick=False):
        en_instance_recente = DemandeFactory(en_instance=True)
        retournee_recente = DemandeFactory(retourne=True)
        assert appliquer_transitions_temporelles() == {
            "retourner": 1,
            "detruire": 1,
            "rejeter_hors_delai": 1,
        }
        # Run twice: nothing left to do.
        assert appliquer_transitions_temporelles() == {
            "retourner": 0,
            "detruire": 0,
            "rejeter_hors_delai": 0,
        }
    etats = dict(Demande.objects.values_list("pk", "etat"))
    assert etats[en_instance_ancienne.pk] == Etat.RETOURNE
    assert etats[retournee_ancienne.pk] == Etat.DETRUIT
    assert etats[a_completer.pk] == Etat.REJETEE
    assert etats[en_instance_recente.pk] == Etat.EN_INSTANCE
    assert etats[retournee_recente.pk] == Etat.RETOURNE


# --- Side effects -------------------------------------------------------------------------


@pytest.mark.django_db
def test_email_is_sent_only_after_commit(candidat, django_capture_on_commit_callbacks):
    demande = DemandeFactory(candidat=candidat)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        demande.executer("deposer", par=candidat)
    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    assert demande.numero in mail.outbox[0].subject
    assert mail.outbox[0].to == [demande.email]


@pytest.mark.django_db(transaction=True)
def test_no_email_when_the_transaction_rolls_back(candidat):
    from django.db import transaction

    demande = DemandeFactory(candidat=candidat)

    class Abandon(Exception):
        pass

    with pytest.raises(Abandon), transaction.atomic():
        demande.executer("deposer", par=candidat)
        raise Abandon
    assert mail.outbox == []
    assert Demande.objects.get(pk=demande.pk).etat == Etat.BROUILLON
    assert not StateLog.objects.for_(demande).exists()


@pytest.mark.django_db
def test_notification_task_sends_once_when_run_twice(candidat, django_capture_on_commit_callbacks):
    from demandes.tasks import notifier_changement_etat

    demande = DemandeFactory(candidat=candidat)
    with django_capture_on_commit_callbacks(execute=True):
        demande.executer("deposer", par=candidat)
    entree = StateLog.objects.for_(demande).get()
    assert len(mail.outbox) == 1
    assert notifier_changement_etat(entree.pk) is False
    assert len(mail.outbox) == 1
