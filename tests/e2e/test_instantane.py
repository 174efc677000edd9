"""The copy the accessibility crawls start from gives every row back as it was taken, and
only once (the request table's triggers keep counters that the copy already holds)."""

import pytest
from django.core.management import call_command
from django.db import connection

from demandes.enums import Etat
from demandes.models import Demande
from tests.e2e import instantane
from tests.factories import DemandeFactory


def _etat_des_donnees() -> tuple:
    with connection.cursor() as curseur:
        curseur.execute(
            "SELECT departement, etat, SUM(n) FROM demandes_compteurdemandes"
            " GROUP BY 1, 2 HAVING SUM(n) <> 0 ORDER BY 1, 2"
        )
        compteurs = curseur.fetchall()
    return compteurs, sorted(Demande.objects.values_list("pk", "numero", "etat", "candidat"))


@pytest.mark.django_db(transaction=True)
def test_the_copy_comes_back_once_whatever_the_test_changed():
    DemandeFactory(deposee=True, departement="69")
    DemandeFactory(en_instruction=True, departement="34")
    pris = _etat_des_donnees()
    assert [n for *_, n in pris[0]] == [1, 1]
    instantane.prendre()
    try:
        call_command("flush", verbosity=0, interactive=False, reset_sequences=False)
        DemandeFactory(deposee=True, departement="69", etat=Etat.REJETEE)
        instantane.restaurer()
        assert _etat_des_donnees() == pris
        instantane.restaurer()  # twice: nothing accumulates
        assert _etat_des_donnees() == pris
        assert DemandeFactory(deposee=True).pk > max(pk for pk, *_ in pris[1])
    finally:
        instantane.effacer()
