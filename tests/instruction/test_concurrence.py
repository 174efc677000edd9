"""Acceptances at the same instant, through the back-office views, each on its own connection."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_fsm_log.models import StateLog

from demandes.enums import Etat
from demandes.models import Demande
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
            connection.close()

    threads = [threading.Thread(target=lancer, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return resultats


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
