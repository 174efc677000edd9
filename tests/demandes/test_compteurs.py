"""The counters of requests per département and state follow every write, in its transaction."""

import pytest
from django.db import transaction
from django.db.models import Count

from demandes.enums import Etat
from demandes.models import CompteurDemandes, Demande
from tests.factories import DemandeFactory


def _compteurs() -> dict[tuple[str, str], int]:
    return {(c.departement, c.etat): c.n for c in CompteurDemandes.objects.filter(n__gt=0)}


def _comptes_reels() -> dict[tuple[str, str], int]:
    return {
        (g["departement"], g["etat"]): g["n"]
        for g in Demande.objects.values("departement", "etat").annotate(n=Count("pk"))
    }


@pytest.mark.django_db
def test_counters_follow_creation_transitions_moves_and_deletion(candidat, agent_ctn):
    demande = DemandeFactory(candidat=candidat, pieces=False, departement="69")
    DemandeFactory(candidat=candidat, pieces=False, departement="34", deposee=True)
    assert _compteurs() == {("69", Etat.BROUILLON): 1, ("34", Etat.DEPOSEE): 1}

    demande = DemandeFactory(candidat=candidat, departement="69")
    demande.executer("deposer", par=candidat)
    demande = Demande.objects.get(pk=demande.pk).executer("prendre_en_controle", par=agent_ctn)
    Demande.objects.filter(departement="34").update(departement="13")  # a bulk update too
    assert _compteurs() == _comptes_reels()
    assert _compteurs()[("69", Etat.CONTROLE_FORME)] == 1

    Demande.objects.filter(departement="13").delete()
    assert _compteurs() == _comptes_reels()
    assert ("13", Etat.DEPOSEE) not in _compteurs()


@pytest.mark.django_db
def test_counters_follow_bulk_loads_and_roll_back_with_their_transaction(candidat):
    lot = [
        Demande(candidat=candidat, numero=f"B{i:013d}", departement=f"{i % 3 + 1:02d}")
        for i in range(30)
    ]
    Demande.objects.bulk_create(lot)
    assert _compteurs() == {(f"0{d}", Etat.BROUILLON): 10 for d in (1, 2, 3)}
    with pytest.raises(RuntimeError), transaction.atomic():
        Demande.objects.filter(departement="01").delete()
        raise RuntimeError
    assert _compteurs()[("01", Etat.BROUILLON)] == 10


@pytest.mark.django_db(transaction=True)
def test_counters_are_emptied_with_a_truncated_table(candidat):
    """TRUNCATE fires no row trigger: the counters' own trigger on it empties them too."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the counters are kept by PostgreSQL triggers")
    DemandeFactory.create_batch(2, candidat=candidat, departement="69", deposee=True)
    assert _compteurs() == {("69", Etat.DEPOSEE): 2}
    with connection.cursor() as curseur:
        curseur.execute("TRUNCATE demandes_demande CASCADE")
    assert _compteurs() == {} == _comptes_reels()
    DemandeFactory(candidat=candidat, departement="69", deposee=True)
    assert _compteurs() == {("69", Etat.DEPOSEE): 1}
