"""Two agents (or one agent in two tabs) acting on one request at once: the row lock of
`Demande.executer` lets exactly one through, the other is told; each on its own connection."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_fsm_log.models import StateLog

from demandes.enums import Etat
from demandes.models import DejaTraitee, Demande
from instruction.models import PriseEnCharge
from tests.factories import DemandeFactory, InstructeurFactory


def _en_meme_temps(*actions):
    depart = threading.Barrier(len(actions))
    resultats = [None] * len(actions)

    def lancer(i, action):
        try:
            depart.wait()
            resultats[i] = action()
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=lancer, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return resultats


def _accepter(copie, agent) -> str:
    try:
        copie.executer("accepter", par=agent)
    except DejaTraitee:
        return "deja_traitee"
    return "accepte"


@pytest.mark.django_db(transaction=True)
def test_two_instructors_accepting_at_once_have_exactly_one_winner():
    demande = DemandeFactory(en_instruction=True, departement="69")
    agents = [InstructeurFactory(departement="69") for _ in range(2)]
    # Each agent loaded the page (the request in instruction) before either clicked.
    copies = [Demande.objects.get(pk=demande.pk) for _ in agents]

    resultats = _en_meme_temps(
        *(lambda c=c, a=a: _accepter(c, a) for c, a in zip(copies, agents, strict=True))
    )

    assert sorted(resultats) == ["accepte", "deja_traitee"]
    assert Demande.objects.get(pk=demande.pk).etat == Etat.ACCEPTEE
    assert StateLog.objects.for_(demande).filter(transition="accepter").count() == 1


@pytest.mark.django_db(transaction=True)
def test_acceptance_confirmed_twice_at_once_is_recorded_once():
    """The instructor holding the request confirms it from two tabs at the same instant: both
    requests pass every check, the row lock lets one through, the other is told."""
    demande = DemandeFactory(en_instruction=True, departement="69")
    instructeur = InstructeurFactory(departement="69")
    PriseEnCharge.objects.create(demande=demande, agent=instructeur)
    onglets = []
    for _ in range(2):
        onglet = Client()
        onglet.force_login(instructeur)
        onglets.append(onglet)
    url = reverse("instruction:agir", args=[demande.numero, "accepter"])

    pages = _en_meme_temps(
        *(lambda o=o: o.post(url, follow=True).content.decode() for o in onglets)
    )

    assert StateLog.objects.for_(demande).filter(transition="accepter").count() == 1
    final = Demande.objects.get(pk=demande.pk)
    assert final.etat == Etat.ACCEPTEE and final.neph
    assert sum(f"La demande {demande.numero} est acceptée." in page for page in pages) == 1
    assert sum("déjà été traitée" in page or "Action impossible" in page for page in pages) == 1


@pytest.mark.django_db
def test_stale_page_gets_already_handled_message(agent_ctn):
    demande = DemandeFactory(en_controle=True)
    copie_perimee = Demande.objects.get(pk=demande.pk)
    demande.executer("passer_en_instruction", par=agent_ctn)
    with pytest.raises(DejaTraitee, match="déjà été traitée"):
        copie_perimee.executer("refuser", par=agent_ctn, motifs=["autre"], message="Non conforme")
    assert Demande.objects.get(pk=demande.pk).etat == Etat.EN_INSTRUCTION
