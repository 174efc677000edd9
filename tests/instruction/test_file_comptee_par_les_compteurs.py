"""The unfiltered queue's size comes from the counters the database keeps (no count of the
queue's rows); a filtered queue is still counted."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demandes.enums import Etat
from demandes.models import Demande
from instruction import queries
from tests.factories import DemandeFactory

pytestmark = pytest.mark.django_db


def _page(client, **params) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as requetes:
        response = client.get(reverse("instruction:file"), params)
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in requetes.captured_queries]


def test_the_instructors_queue_is_sized_by_the_counters_of_his_departement(client, instructeur):
    a_instruire = DemandeFactory.create_batch(3, en_instruction=True, departement="69")
    DemandeFactory.create_batch(2, en_instruction=True, departement="34")
    DemandeFactory(deposee=True, departement="69")
    client.force_login(instructeur)
    page, requetes = _page(client)
    assert "3 demandes" in page
    assert not any("COUNT(" in sql for sql in requetes)
    assert queries.taille_de_la_file(instructeur) == 3

    Demande.objects.filter(pk=a_instruire[0].pk).update(etat=Etat.ACCEPTEE)
    assert "2 demandes" in _page(client)[0]


def test_the_ctn_queue_is_sized_nationally_over_its_states(client, agent_ctn):
    DemandeFactory.create_batch(2, deposee=True, departement="69")
    DemandeFactory(en_controle=True, departement="34")
    DemandeFactory(en_instruction=True, departement="34")
    client.force_login(agent_ctn)
    assert "3 demandes" in _page(client)[0]
    assert queries.taille_de_la_file(agent_ctn) == Demande.objects.file_de(agent_ctn).count()


def test_a_filtered_queue_is_counted(client, agent_ctn):
    DemandeFactory(deposee=True, nom_naissance="MARTIN")
    DemandeFactory(deposee=True, nom_naissance="DURAND")
    client.force_login(agent_ctn)
    page, requetes = _page(client, q="martin")
    assert "1 demande " in page or "1 demande<" in page
    assert any("COUNT(" in sql for sql in requetes)


def _de_la_file(requetes) -> list[str]:
    """The queries of the queue (not the session's account, read in the tests)."""
    return [sql for sql in requetes if "demandes_" in sql]


@pytest.mark.parametrize("role", ["agent_ctn", "instructeur"])
def test_the_unfiltered_page_reads_its_rows_and_size_in_one_query(client, request, role):
    """The page's rows carry the counters' sum (queries.FileEntiere.lire_page): one query
    for the page and its count, on every page that holds rows."""
    DemandeFactory.create_batch(3, deposee=True, departement="69")
    DemandeFactory.create_batch(3, en_instruction=True, departement="69")
    DemandeFactory(en_instruction=True, departement="34")
    DemandeFactory(en_controle=True, departement="34")
    client.force_login(request.getfixturevalue(role))
    page, requetes = _page(client, par_page=25)
    attendu = "3 demandes" if role == "instructeur" else "4 demandes"
    assert attendu in page
    (sql,) = _de_la_file(requetes)
    assert "demandes_compteurdemandes" in sql
    page, requetes = _page(client, par_page=25, page=1)
    assert attendu in page and len(_de_la_file(requetes)) == 1


def test_each_page_number_shows_the_page_the_paginator_gives(client, agent_ctn):
    """Pages past the end, not numbers or below one: the rows Django's Paginator.get_page
    shows, the last page read again once the size is known."""
    demandes = DemandeFactory.create_batch(30, deposee=True, pieces=False)
    numeros = [d.numero for d in sorted(demandes, key=lambda d: (d.deposee_le, d.pk))]
    client.force_login(agent_ctn)
    for numero, rangs, nombre in [
        ("1", slice(0, 25), 1),
        ("2", slice(25, 30), 1),
        ("3", slice(25, 30), 3),  # past the end: the counters, then the last page
        ("0", slice(25, 30), 2),  # below one: the last page, as Django's
        ("-1", slice(25, 30), 2),
        ("deux", slice(0, 25), 1),  # not a number: the first page
        ("", slice(0, 25), 1),
    ]:
        with CaptureQueriesContext(connection) as requetes:
            response = client.get(reverse("instruction:file"), {"page": numero})
        assert [d.numero for d in response.context["page"].object_list] == numeros[rangs]
        assert "30 demandes" in response.content.decode()
        sqls = _de_la_file(r["sql"] for r in requetes.captured_queries)
        assert len(sqls) == nombre, (numero, sqls)


def test_an_empty_queue_says_so_in_one_query(client, instructeur):
    DemandeFactory(en_instruction=True, departement="34")
    client.force_login(instructeur)
    page, requetes = _page(client)
    assert "Aucune demande en attente." in page
    assert len(_de_la_file(requetes)) == 1
