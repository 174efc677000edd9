"""The adresse step's blank form kept per process per its initial values ({% fige %} keyed on
AdresseForm.cle_de_rendu): the same HTML as rendered live, a change of the draft shown at
once, a form sent back rendered live with its values and errors."""

import re

import pytest

from demandes.enums import Motif
from demandes.models import Demande
from permis.templatetags import fragments
from tests.demandes import assistant

# What differs per response: the CSRF token and the CSP nonce.
JETON = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|nonce="[^"]+"')


@pytest.fixture
def brouillon(client, candidat):
    client.force_login(candidat)
    demande = assistant.commencer(client, Motif.INSCRIPTION_PREMIERE, ["B"])
    assistant.remplir_etat_civil(client, demande)
    assistant.remplir_adresse(client, demande)
    client.get(assistant.url_etape(demande, "photo"))  # shows the step's « saved » message
    return demande


def _page(client, demande) -> str:
    html = client.get(assistant.url_etape(demande, "adresse")).content.decode()
    return JETON.sub("", html)


@pytest.mark.django_db
def test_the_kept_form_is_the_html_rendered_live(client, brouillon):
    fragments._FRAGMENTS.oublier()
    live = _page(client, brouillon)
    assert len(fragments._FRAGMENTS) and _page(client, brouillon) == live


@pytest.mark.django_db
def test_a_change_of_the_draft_shows_at_once(client, brouillon):
    _page(client, brouillon)
    Demande.objects.filter(pk=brouillon.pk).update(adresse="7 place Bellecour", code_postal="75001")
    page = _page(client, brouillon)
    assert 'value="7 place Bellecour"' in page
    assert 'value="75001"' in page and 'value="69002"' not in page


@pytest.mark.django_db
def test_a_form_sent_back_renders_live_with_its_values_and_errors(client, brouillon):
    _page(client, brouillon)
    page = assistant.poster(
        client, brouillon, "adresse", {**assistant.ADRESSE, "adresse": "9 rue Neuve", "email": "x"}
    ).content.decode()
    assert 'value="9 rue Neuve"' in page
    assert "Saisissez une adresse électronique valide" in page
    assert "Saisissez une adresse électronique valide" not in _page(client, brouillon)
