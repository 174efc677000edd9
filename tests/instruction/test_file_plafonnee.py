"""A queue longer than the cap is not counted to the end: « plus de … », pages up to the cap."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demandes.models import Demande
from instruction import pagination, queries
from instruction.pagination import PaginateurPlafonne
from tests.factories import DemandeFactory


def test_a_long_queue_says_more_than_the_cap_and_offers_pages_up_to_it(
    client, agent_ctn, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(PaginateurPlafonne, "plafond", 30)
    DemandeFactory.create_batch(31, deposee=True, pieces=False)
    client.force_login(agent_ctn)
    response = client.get(reverse("instruction:file"), {"par_page": 25})
    page = response.content.decode()
    assert "Plus de 30 demandes" in page
    assert response.context["page"].paginator.num_pages == 2
    derniere = client.get(reverse("instruction:file"), {"par_page": 25, "page": 2})
    assert len(derniere.context["page"].object_list) == 5  # the 30th, not the 31st


def test_a_queue_within_the_cap_is_counted_exactly(client, agent_ctn):
    DemandeFactory.create_batch(3, deposee=True, pieces=False)
    client.force_login(agent_ctn)
    response = client.get(reverse("instruction:file"))
    assert "3 demandes" in response.content.decode()
    assert "Plus de" not in response.content.decode()


def _comptes(requetes):
    """The capped counts run (up to a cap of 2: LIMIT 3)."""
    return [
        r["sql"]
        for r in requetes.captured_queries
        if r["sql"].endswith("LIMIT 3) subquery") or r["sql"].endswith("LIMIT 3")
    ]


@pytest.mark.django_db
def test_a_name_search_expected_far_above_the_cap_is_not_counted(client, agent_ctn, monkeypatch):
    """« Plus de … » from the planner's estimate: a common first name is not counted up to
    the cap (at a million requests, most of the search's time)."""
    monkeypatch.setattr(PaginateurPlafonne, "plafond", 2)
    monkeypatch.setattr(pagination, "_estimation", lambda queryset: 10)
    DemandeFactory.create_batch(10, deposee=True, pieces=False, prenoms="Inès")
    client.force_login(agent_ctn)
    with CaptureQueriesContext(connection) as requetes:
        page = client.get(reverse("instruction:file"), {"q": "inès", "par_page": 25})
    assert _comptes(requetes) == []
    assert "Plus de 2 demandes" in page.content.decode()
    # Nor below five times the cap: counted.
    monkeypatch.setattr(pagination, "_estimation", lambda queryset: 9)
    with CaptureQueriesContext(connection) as requetes:
        client.get(reverse("instruction:file"), {"q": "inès", "par_page": 25})
    assert len(_comptes(requetes)) == 1
    # A queue smaller than that is counted without asking the planner.
    monkeypatch.setattr(pagination, "_estimation", None)
    Demande.objects.filter(pk__in=Demande.objects.all()[:1]).update(etat="acceptee")
    with CaptureQueriesContext(connection) as requetes:
        client.get(reverse("instruction:file"), {"q": "inès", "par_page": 25})
    assert len(_comptes(requetes)) == 1


@pytest.mark.django_db
def test_a_page_past_an_estimated_count_is_counted_and_shows_the_last_page(
    client, agent_ctn, monkeypatch
):
    monkeypatch.setattr(PaginateurPlafonne, "plafond", 30)
    monkeypatch.setattr(pagination, "_estimation", lambda queryset: 10_000)
    monkeypatch.setattr(queries, "taille_de_la_file", lambda agent: 10_000)
    DemandeFactory.create_batch(3, deposee=True, pieces=False, prenoms="Inès")
    client.force_login(agent_ctn)
    response = client.get(reverse("instruction:file"), {"q": "inès", "par_page": 25, "page": 2})
    assert len(response.context["page"].object_list) == 3
    assert response.context["page"].number == 1
    assert "3 demandes correspondant aux filtres" in response.content.decode()


@pytest.mark.django_db
def test_the_planner_estimates_a_name_search():
    DemandeFactory.create_batch(20, deposee=True, pieces=False, prenoms="Inès")
    with connection.cursor() as curseur:
        curseur.execute("ANALYZE demandes_demande")
    recherche = queries.rechercher(Demande.objects.all(), "inès").values("pk")
    assert 5 <= pagination._estimation(recherche) <= 40
