"""One table says which queue each state waits in and who works it; every reader agrees."""

import pytest

from demandes import files, lifecycle
from demandes.enums import Etat
from demandes.models import Demande
from tests.factories import DemandeFactory, InstructeurFactory


def test_each_waiting_state_is_in_exactly_one_queue():
    for etat in Etat:
        dans = [file for file in files.FILES if etat in file.etats]
        assert len(dans) == (1 if etat in files.EN_ATTENTE else 0), etat
    assert files.file_de_l_etat(Etat.A_COMPLETER) is None  # the candidate's turn


@pytest.mark.django_db
@pytest.mark.parametrize("etat", [Etat.DEPOSEE, Etat.CONTROLE_FORME, Etat.EN_INSTRUCTION])
def test_queue_query_and_transition_permission_read_the_same_table(
    etat, agent_ctn, instructeur, instructeur_autre_departement
):
    demande = DemandeFactory(etat=etat, departement="69")
    sans_departement = InstructeurFactory(departement="")
    for agent in (agent_ctn, instructeur, instructeur_autre_departement, sans_departement):
        dans_la_file = Demande.objects.file_de(agent).filter(pk=demande.pk).exists()
        assert dans_la_file == lifecycle.est_agent_de_la_file(demande, agent), (etat, agent)
    assert Demande.objects.file_de(agent_ctn).filter(pk=demande.pk).exists() == (
        etat != Etat.EN_INSTRUCTION
    )
    assert not Demande.objects.file_de(sans_departement).exists()
