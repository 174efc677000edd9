"""A queue longer than the cap is not counted to the end: « plus de … », pages up to the cap."""

from django.urls import reverse

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
