"""permis/mise_a_jour_compilee.py: a save's UPDATE the very SQL Django writes, built once."""

from datetime import date

import pytest
import time_machine
from django.db import DatabaseError, connection, models
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from demandes.models import Demande
from permis import mise_a_jour_compilee
from permis.mise_a_jour_compilee import MiseAJourCompilee
from tests.factories import DemandeFactory

pytestmark = pytest.mark.django_db

# Text, a date, JSON, a NULL and a non-NULL value of the same column, the clock's auto_now.
ENSEMBLES = [
    {"commune": "Lyon 3e", "code_postal": "69003", "date_naissance": date(2001, 2, 3)},
    {"categories": ["A2", "B"], "suppression_annoncee_le": None},
    {"date_naissance": None, "email": "camille@exemple.fr"},
]


def _sauver(demande, valeurs):
    for champ, valeur in valeurs.items():
        setattr(demande, champ, valeur)
    with CaptureQueriesContext(connection) as requetes:
        demande.save(update_fields=[*valeurs, "modifie_le"])
    return [q["sql"] for q in requetes.captured_queries]


@pytest.mark.parametrize("valeurs", ENSEMBLES)
@time_machine.travel("2026-12-04 20:00:00+00:00", tick=False)  # modifie_le: the same instant
def test_same_sql_and_stored_values_as_django(valeurs, monkeypatch):
    compilee, django = DemandeFactory(), DemandeFactory()
    sql_compile = _sauver(compilee, valeurs)
    monkeypatch.setattr(MiseAJourCompilee, "_do_update", models.Model._do_update)
    sql_django = _sauver(django, valeurs)
    # The same text but for the row's id (CaptureQueriesContext writes the parameters in).
    assert sql_compile == [
        s.removesuffix(f" = {django.pk}") + f" = {compilee.pk}" for s in sql_django
    ]
    compilee, django = (Demande.objects.get(pk=d.pk) for d in (compilee, django))
    for champ, valeur in valeurs.items():
        assert getattr(compilee, champ) == getattr(django, champ) == valeur


def test_sql_built_once_per_set_of_columns_and_nulls(monkeypatch):
    construites = []
    construire = mise_a_jour_compilee._sql
    monkeypatch.setattr(
        mise_a_jour_compilee, "_sql", lambda *a: construites.append(a[3]) or construire(*a)
    )
    monkeypatch.setattr(mise_a_jour_compilee, "_SQL", {})
    demande = DemandeFactory()
    for commune in ("Lyon", "Bron", "Lyon"):
        _sauver(demande, {"commune": commune, "date_naissance": date(2000, 1, 1)})
    _sauver(demande, {"commune": "Lyon", "date_naissance": None})  # NULL: another text
    assert len(construites) == 2
    assert ("date_naissance", True) in construites[1]


def test_an_expression_goes_through_django():
    demande = DemandeFactory(commune="Lyon", commune_naissance="Bron")
    demande.commune = F("commune_naissance")
    demande.save(update_fields=["commune"])
    assert Demande.objects.get(pk=demande.pk).commune == "Bron"


def test_a_row_gone_is_refused_as_django_refuses_it():
    demande = DemandeFactory()
    Demande.objects.filter(pk=demande.pk).delete()
    demande.commune = "Lyon"
    with pytest.raises(DatabaseError, match="did not affect any rows"):
        demande.save(update_fields=["commune"])
