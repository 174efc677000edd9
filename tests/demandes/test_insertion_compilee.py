"""permis/insertion_compilee.py: a new row's INSERT the very SQL Django writes, built once.

Demande (the draft the motif step creates) and PieceJustificative (each upload) use it."""

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.db import connection, models
from django.db.models.functions import Now
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext

from demandes.models import Demande, PieceJustificative
from permis import insertion_compilee
from permis.insertion_compilee import InsertionCompilee
from tests.factories import CandidatFactory, DemandeFactory, PieceJustificativeFactory

pytestmark = pytest.mark.django_db


def _inserer(instance):
    with CaptureQueriesContext(connection) as requetes:
        instance.save()
    # Its INSERTs (Demande.save adds a savepoint in a transaction, its name differs each time).
    return [q["sql"] for q in requetes.captured_queries if q["sql"].startswith("INSERT")]


def _colonnes(instance):
    exclues = {"id", "numero", "fichier"}
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.attname not in exclues
    }


def _sans_valeurs(sql: str) -> str:
    # CaptureQueriesContext writes the parameters in: the texts compared up to VALUES.
    return sql.split(" VALUES ")[0] + " RETURNING " + sql.rsplit(" RETURNING ", 1)[1]


def _copie(instance):
    """An unsaved twin: the same values in every column but its id and number."""
    return type(instance)(
        **{
            f.attname: getattr(instance, f.attname)
            for f in instance._meta.concrete_fields
            if f.attname not in ("id", "numero")
        }
    )


@time_machine.travel("2026-12-06 20:00:00+00:00", tick=False)  # cree_le: the same instant
def test_a_new_draft_same_sql_state_signal_and_row_as_django(monkeypatch):
    recus = []

    def recevoir(sender, instance, created, **kwargs):
        recus.append((instance.pk, created))

    post_save.connect(recevoir, sender=Demande, dispatch_uid="test_insertion_compilee")
    try:
        gardee = DemandeFactory.build(candidat=CandidatFactory())
        django = _copie(gardee)
        sql_gardee = _inserer(gardee)
        monkeypatch.setattr(InsertionCompilee, "_do_insert", models.Model._do_insert)
        sql_django = _inserer(django)
    finally:
        post_save.disconnect(dispatch_uid="test_insertion_compilee", sender=Demande)
    assert sql_gardee and [_sans_valeurs(s) for s in sql_gardee] == [
        _sans_valeurs(s) for s in sql_django
    ]
    assert isinstance(gardee.pk, int) and gardee.pk < django.pk
    assert not gardee._state.adding and gardee._state.db == "default"
    assert recus == [(gardee.pk, True), (django.pk, True)]
    lue_gardee, lue_django = (Demande.objects.get(pk=d.pk) for d in (gardee, django))
    assert _colonnes(lue_gardee) == _colonnes(lue_django) == _colonnes(gardee)
    assert lue_gardee.numero == gardee.numero and lue_gardee.cree_le == gardee.cree_le


def test_an_upload_same_row_as_django(monkeypatch):
    demande = DemandeFactory()
    demande.pieces.all().delete()  # the factory's own
    gardee = PieceJustificativeFactory.build(demande=demande, nature="identite")
    sql_gardee = _inserer(gardee)
    monkeypatch.setattr(InsertionCompilee, "_do_insert", models.Model._do_insert)
    django = PieceJustificativeFactory.build(demande=demande, nature="justificatif_domicile")
    sql_django = _inserer(django)
    assert [_sans_valeurs(s) for s in sql_gardee] == [_sans_valeurs(s) for s in sql_django]
    lues = {p.nature: p for p in PieceJustificative.objects.filter(demande=demande)}
    assert lues["identite"].pk == gardee.pk
    assert lues["identite"].fichier.name == gardee.fichier.name  # the file committed first
    assert lues["identite"].fichier.read() == lues["justificatif_domicile"].fichier.read()
    assert lues["identite"].cree_le is not None
    assert {k: v for k, v in _colonnes(lues["identite"]).items() if k not in ("nature", "cree_le")} == {
        k: v for k, v in _colonnes(lues["justificatif_domicile"]).items() if k not in ("nature", "cree_le")
    }  # fmt: skip


def test_sql_built_once_per_set_of_columns(monkeypatch):
    construites = []
    construire = insertion_compilee._sql
    monkeypatch.setattr(
        insertion_compilee, "_sql", lambda *a: construites.append(a[1]) or construire(*a)
    )
    monkeypatch.setattr(insertion_compilee, "_SQL", {})
    for _ in range(3):
        DemandeFactory()
    demande = DemandeFactory()
    demande.pieces.all().delete()
    piece = PieceJustificative(demande=demande, nature="identite", nom_original="a.pdf")
    piece.type_mime, piece.taille = "application/pdf", 3
    piece.fichier.save("piece.pdf", ContentFile(b"%PD"), save=False)
    piece.save()
    assert construites == [Demande._meta.db_table, PieceJustificative._meta.db_table]


def test_an_expression_goes_through_django():
    demande = DemandeFactory.build(candidat=CandidatFactory())
    demande.deposee_le = Now()
    demande.save()
    assert Demande.objects.get(pk=demande.pk).deposee_le is not None
