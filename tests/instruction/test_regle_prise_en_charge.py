"""The claim rule of the back-office actions (instruction/actions.py), without a view."""

import pytest
from django.core.exceptions import PermissionDenied

from instruction.actions import ACTIONS, refus_de_l_action
from instruction.models import PriseEnCharge
from tests.factories import DemandeFactory

ACCEPTER = ACTIONS["accepter"]


@pytest.mark.django_db
def test_a_role_that_may_not_run_the_action_is_refused_outright(agent_ctn):
    demande = DemandeFactory(en_instruction=True, departement="69")
    with pytest.raises(PermissionDenied):
        refus_de_l_action(demande, ACCEPTER, agent_ctn)


@pytest.mark.django_db
def test_the_agent_acts_only_on_a_request_they_hold(instructeur, collegue):
    demande = DemandeFactory(en_instruction=True, departement="69")
    assert refus_de_l_action(demande, ACCEPTER, instructeur) == (
        "Prenez d'abord cette demande en charge."
    )
    PriseEnCharge.objects.prendre(demande, collegue)
    assert refus_de_l_action(demande, ACCEPTER, instructeur) == (
        "Prenez d'abord cette demande en charge."
    )
    PriseEnCharge.objects.liberer(demande, collegue)
    PriseEnCharge.objects.prendre(demande, instructeur)
    assert refus_de_l_action(demande, ACCEPTER, instructeur) is None


@pytest.mark.django_db
def test_an_action_of_another_state_is_explained(instructeur):
    demande = DemandeFactory(deposee=True, departement="69")
    assert "Action impossible" in refus_de_l_action(demande, ACCEPTER, instructeur)
