"""The backlog page's figures kept per process a few seconds per scope
(settings.PERMIS_PILOTAGE_FRAICHEUR, instruction/views.py): within the slice they are read
once for every agent of the scope, after it the figures are read again, and the page says how
old they may be."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from instruction import views as vues
from tests.factories import DemandeFactory

URL = reverse("instruction:pilotage")


@pytest.fixture
def horloge(settings, monkeypatch):
    """Figures kept 5 seconds; the process's monotonic clock, moved by hand."""
    settings.PERMIS_PILOTAGE_FRAICHEUR = 5
    instant = [1000.0]
    monkeypatch.setattr(vues.time, "monotonic", lambda: instant[0])

    def avancer(secondes):
        instant[0] += secondes

    return avancer


def _total(client, agent) -> int:
    client.force_login(agent)
    reponse = client.get(URL)
    assert reponse.status_code == 200
    return reponse.context["pilotage"].total


def _requetes_des_chiffres(client) -> list[str]:
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(URL).status_code == 200
    return [q["sql"] for q in requetes.captured_queries if "compteurdemandes" in q["sql"]]


@pytest.mark.django_db
def test_within_the_slice_the_figures_are_not_read_again(client, agent_ctn, horloge):
    DemandeFactory(deposee=True, departement="69")
    assert _total(client, agent_ctn) == 1
    assert _requetes_des_chiffres(client) == []  # kept: no query of the counters
    DemandeFactory(deposee=True, departement="69")
    horloge(1)
    assert _total(client, agent_ctn) == 1  # a second old: as kept
    horloge(5)
    assert _total(client, agent_ctn) == 2  # the next slice reads them again
    assert _requetes_des_chiffres(client) == []  # and kept again


@pytest.mark.django_db
def test_off_the_figures_are_read_at_every_view(client, agent_ctn, settings):
    settings.PERMIS_PILOTAGE_FRAICHEUR = 0
    DemandeFactory(deposee=True, departement="69")
    assert _total(client, agent_ctn) == 1
    assert len(_requetes_des_chiffres(client)) == 1
    DemandeFactory(deposee=True, departement="69")
    assert _total(client, agent_ctn) == 2


@pytest.mark.django_db
def test_each_scope_keeps_its_own_figures(
    client, agent_ctn, instructeur, instructeur_autre_departement, horloge
):
    DemandeFactory(deposee=True, departement="69")
    DemandeFactory.create_batch(2, deposee=True, departement="34")
    for _ in range(2):  # read, then kept: each scope its own
        assert _total(client, agent_ctn) == 3
        assert _total(client, instructeur) == 1
        assert _total(client, instructeur_autre_departement) == 2


@pytest.mark.django_db
def test_the_kept_figures_serve_another_agent_of_the_scope_with_their_own_paragraph(
    client, agent_ctn, instructeur, collegue, horloge
):
    DemandeFactory(deposee=True, departement="69")
    client.force_login(instructeur)
    assert "du département 69" in client.get(URL).content.decode()
    client.force_login(collegue)
    assert _requetes_des_chiffres(client) == []
    client.force_login(agent_ctn)
    page = client.get(URL).content.decode()
    assert "Toutes les demandes en cours" in page and "du département 69" not in page


@pytest.mark.django_db
def test_the_page_says_how_old_the_figures_may_be(client, agent_ctn, settings, horloge):
    client.force_login(agent_ctn)
    page = client.get(URL).content.decode()
    assert "Les comptes datent de 5 secondes au plus" in page
    assert "la semaine en cours de 5 minutes au plus" in page
    settings.PERMIS_PILOTAGE_FRAICHEUR = 0
    page = client.get(URL).content.decode()
    assert "Les comptes datent" not in page
    assert "Le délai médian et la semaine en cours datent de 5 minutes au plus." in page
