"""RequeteCompilee: a QuerySet compiled once, run again with other values, reads the same rows
as the ORM would; a stand-in that does not reach the parameters is refused."""

import pytest

from demandes.enums import Etat
from demandes.models import Demande
from demandes.requetes_compilees import RequeteCompilee
from tests.factories import DemandeFactory

pytestmark = pytest.mark.django_db


def _par_candidat(etat, candidat_id):
    return Demande.objects.filter(candidat_id=candidat_id, etat=etat).order_by("numero")


def test_the_compiled_query_reads_what_the_orm_reads_for_each_value(candidat, autre_candidat):
    for _ in range(2):
        DemandeFactory(candidat=candidat, deposee=True)
    DemandeFactory(candidat=candidat)
    DemandeFactory(candidat=autre_candidat, deposee=True)
    requete = RequeteCompilee(
        lambda etat, candidat_id: _par_candidat(etat, candidat_id).values_list(
            "numero", "categories", "deposee_le"
        ),
        candidat_id=2_147_000_123,
    )
    for compte in (candidat, autre_candidat):
        for etat in (Etat.DEPOSEE, Etat.BROUILLON):
            attendu = list(
                _par_candidat(etat, compte.pk).values_list("numero", "categories", "deposee_le")
            )
            assert requete.lignes(etat, candidat_id=compte.pk) == attendu


def test_instances_carry_the_selected_columns(candidat):
    demande = DemandeFactory(candidat=candidat, deposee=True)
    requete = RequeteCompilee(
        lambda candidat_id: Demande.objects.filter(candidat_id=candidat_id).only("numero", "etat"),
        candidat_id=2_147_000_123,
    )
    (lue,) = requete.objets(candidat_id=candidat.pk)
    assert (lue.pk, lue.numero, lue.etat) == (demande.pk, demande.numero, Etat.DEPOSEE)
    assert lue.get_deferred_fields() >= {"motif", "nom_naissance"}
    assert requete.objets(candidat_id=candidat.pk + 1000) == []


def test_a_stand_in_that_does_not_reach_the_query_is_refused(candidat):
    requete = RequeteCompilee(lambda numero: Demande.objects.all(), numero="fictif")
    with pytest.raises(ValueError, match="numero"):
        requete.lignes(numero="X")
