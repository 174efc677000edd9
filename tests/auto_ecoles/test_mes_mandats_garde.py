"""« Mes auto-écoles »'s kept table: keyed on the very rows it shows, its forms' tokens live."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from auto_ecoles.models import AutoEcole, Mandat
from tests.auto_ecoles.factories import AutoEcoleFactory, MandatFactory

pytestmark = pytest.mark.django_db

URL = reverse("auto_ecoles:mes_mandats")
GABARIT = "auto_ecoles/mes_mandats.html"


def page(client) -> str:
    reponse = client.get(URL)
    assert reponse.status_code == 200
    return html.unescape(reponse.content.decode())


def test_each_shown_value_changed_behind_the_pages_back_is_shown(client, candidat_connecte):
    assert "Mandats donnés" not in page(client)
    mandat = MandatFactory(candidat=candidat_connecte, auto_ecole__nom="Auto-école Bellecour")
    avant = page(client)
    assert "Auto-école Bellecour" in avant and "Actif" in avant
    assert reverse("auto_ecoles:retirer_mon_mandat", args=[mandat.pk]) in avant

    AutoEcole.objects.filter(pk=mandat.auto_ecole_id).update(
        nom="Auto-école Perrache", commune="Villeurbanne", numero_agrement="E240690099"
    )
    contenu = page(client)
    assert "Auto-école Perrache" in contenu and "Villeurbanne" in contenu
    assert "E 24 069 0099" in contenu

    donne_le = mandat.donne_le.replace(year=2020)
    Mandat.objects.filter(pk=mandat.pk).update(donne_le=donne_le)
    assert f"{timezone.localtime(donne_le):%d/%m/%Y}" in page(client)

    Mandat.objects.filter(pk=mandat.pk).update(retire_le=donne_le)
    contenu = page(client)
    assert f"Retiré le {timezone.localtime(donne_le):%d/%m/%Y}" in contenu
    assert reverse("auto_ecoles:retirer_mon_mandat", args=[mandat.pk]) not in contenu


def test_another_students_mandates_are_not_shown(client, candidat_connecte):
    MandatFactory(auto_ecole__nom="Auto-école d'un autre")
    assert "Auto-école d'un autre" not in page(client)


def test_the_kept_tables_forms_carry_a_token_masked_anew(client, candidat_connecte):
    mandat = MandatFactory(candidat=candidat_connecte)
    action = reverse("auto_ecoles:retirer_mon_mandat", args=[mandat.pk])
    motif = f'action="{action}"[^>]*>\\s*<input type="hidden" name="csrfmiddlewaretoken" '
    motif += 'value="([^"]+)"'
    jetons = {re.search(motif, page(client))[1] for _ in range(2)}
    assert len(jetons) == 2


def test_the_kept_mandate_form_posts_to_the_live_address_with_a_token_masked_anew(
    client, candidat_connecte
):
    """The blank form is kept once per process: its action is the address asked for, its
    token masked at each page."""
    motif = (
        r'Donner mandat à une auto-école</h2>\s*<form method="post" action="([^"]*)" novalidate>\s*'
    )
    motif += r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"'
    premiere = re.search(motif, page(client))
    assert premiere[1] == URL
    reponse = client.get(URL + "?depuis=invitation")
    seconde = re.search(motif, html.unescape(reponse.content.decode()))
    assert seconde[1] == URL + "?depuis=invitation"
    assert seconde[2] != premiere[2]
    assert 'id="id_numero_agrement"' in reponse.content.decode()


def test_the_page_is_kept_whole_for_what_it_shows_and_rendered_again_when_it_changes(
    client, candidat_connecte, rendus
):
    MandatFactory(candidat=candidat_connecte)
    page(client)
    assert rendus(client, URL, GABARIT) == 0  # the kept page, its holes only
    MandatFactory(candidat=candidat_connecte)
    assert rendus(client, URL, GABARIT) == 1
    assert rendus(client, URL, GABARIT) == 0


def test_the_kept_page_shows_the_message_of_the_last_mandate_given_once(client, candidat_connecte):
    ecole = AutoEcoleFactory(nom="Auto-école Bellecour")
    page(client)
    reponse = client.post(URL, {"numero_agrement": ecole.numero_agrement})
    assert reponse.status_code == 302
    assert "Auto-école Bellecour peut désormais déposer" in page(client)
    assert "peut désormais déposer" not in page(client)


def test_the_kept_page_follows_the_candidates_name_in_its_header(client, candidat_connecte):
    candidat_connecte.first_name, candidat_connecte.last_name = "Alice", "Perrin"
    candidat_connecte.save()
    assert "Mon espace (Alice Perrin)" in page(client)
    candidat_connecte.first_name = "Aline"
    candidat_connecte.save()
    contenu = page(client)
    assert "Mon espace (Aline Perrin)" in contenu and "Alice" not in contenu
