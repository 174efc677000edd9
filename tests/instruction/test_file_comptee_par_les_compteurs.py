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
