"""Two agents acting on the same request at once: exactly one wins, the other is told."""

import threading

import pytest
from django.db import connection
from django_fsm_log.models import StateLog

from demandes.enums import Etat
from demandes.models import DejaTraitee, Demande
from tests.factories import DemandeFactory, InstructeurFactory


@pytest.mark.django_db(transaction=True)
def test_two_instructors_accepting_at_once_have_exactly_one_winner():
    demande = DemandeFactory(en_instruction=True, departement="69")
    agents = [InstructeurFactory(departement="69") for _ in range(2)]
    # Each agent loaded the page (the request in instruction) before either clicked.
    copies = [Demande.objects.get(pk=demande.pk) for _ in agents]
    depart = threading.Barrier(len(agents))
    resultats: list[str] = []

    def accepter(copie, agent):
        try:
            depart.wait()
            copie.executer("accepter", par=agent)
            resultats.append("accepte")
        except DejaTraitee:
            resultats.append("deja_traitee")
        finally:
            connection.close()  # each thread had its own connection

    threads = [
        threading.Thread(target=accepter, args=pair) for pair in zip(copies, agents, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(resultats) == ["accepte", "deja_traitee"]
    assert Demande.objects.get(pk=demande.pk).etat == Etat.ACCEPTEE
    assert StateLog.objects.for_(demande).filter(transition="accepter").count() == 1


@pytest.mark.django_db
def test_stale_page_gets_already_handled_message(agent_ctn):
    demande = DemandeFactory(en_controle=True)
    copie_perimee = Demande.objects.get(pk=demande.pk)
    demande.executer("passer_en_instruction", par=agent_ctn)
    with pytest.raises(DejaTraitee, match="déjà été traitée"):
        copie_perimee.executer("refuser", par=agent_ctn, motifs=["autre"], message="Non conforme")
    assert Demande.objects.get(pk=demande.pk).etat == Etat.EN_INSTRUCTION
