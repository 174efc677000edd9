"""The back-office's actions on a request: their buttons and forms, and when an agent may run one.

Each action is one transition of demandes/lifecycle.py, run by the agent who holds the
request (instruction.models.PriseEnCharge).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django_fsm import can_proceed, has_transition_perm

from demandes.models import Demande
from instruction.forms import ComplementForm, ConfirmationForm, RefusForm
from instruction.models import PriseEnCharge


@dataclass(frozen=True)
class Action:
    transition: str
    libelle: str  # the button
    titre: str  # the confirmation page
    succes: str  # the message once done
    formulaire: type = ConfirmationForm
    secondaire: bool = False


# In the order of the buttons; the URL names them by their key.
ACTIONS = {
    "prendre-en-controle": Action(
        "prendre_en_controle",
        "Commencer le contrôle de forme",
        "Commencer le contrôle de forme",
        "Le contrôle de forme de la demande {numero} a commencé.",
    ),
    "passer-en-instruction": Action(
        "passer_en_instruction",
        "Déclarer conforme et transmettre à l'instruction",
        "Transmettre la demande au service instructeur",
        "La demande {numero} est transmise à l'instruction.",
    ),
    "accepter": Action(
        "accepter",
        "Accepter la demande",
        "Accepter la demande",
        "La demande {numero} est acceptée.",
    ),
    "demander-complement": Action(
        "demander_complement",
        "Demander de remplacer des pièces",
        "Demander de remplacer des pièces",
        "Le candidat est invité à remplacer des pièces de la demande {numero}.",
        ComplementForm,
        secondaire=True,
    ),
    "refuser": Action(
        "refuser",
        "Rejeter la demande",
        "Rejeter la demande",
        "La demande {numero} est rejetée.",
        RefusForm,
        secondaire=True,
    ),
}


def actions_possibles(demande: Demande, agent) -> dict[str, Action]:
    """The actions `agent` may run on `demande` now, by key: django-fsm's checks (the state,
    the conditions, the permission) asked of the back-office's transitions only, not of every
    transition of the state (the candidate's `abandonner` would ask the database whether the
    agent is the candidate's driving school)."""
    return {
        cle: action
        for cle, action in ACTIONS.items()
        if has_transition_perm(getattr(demande, action.transition), agent)
    }


def refus_de_l_action(demande: Demande, action: Action, agent) -> str | None:
    """Why `agent` cannot run `action` on `demande` now (None when they can).

    A role that may not run it from this state raises PermissionDenied (403); a state or a
    claim that does not allow it gets a message for the request's page. Claiming first is the
    rule: only the agent who holds the request acts on it. (django-fsm's public checks: the
    transition applies from this state, then the permission.)
    """
    methode = getattr(demande, action.transition)
    if can_proceed(methode) and not has_transition_perm(methode, agent):
        raise PermissionDenied("Vous n'avez pas le droit d'effectuer cette action.")
    if not has_transition_perm(methode, agent):
        return f"Action impossible pour une demande « {demande.get_etat_display()} »."
    prise = PriseEnCharge.objects.filter(demande=demande).first()
    if prise is None or prise.agent_id != agent.pk:
        return "Prenez d'abord cette demande en charge."
    return None
