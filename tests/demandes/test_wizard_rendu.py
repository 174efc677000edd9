"""The adresse and motif steps' blank forms kept per process per their initial values ({% fige %}
keyed on FormulaireEtape.cle_de_rendu): the same HTML as rendered live, a change of the draft shown at
once, a form sent back rendered live with its values and errors."""

import re

import pytest
from django.urls import reverse

from demandes.enums import Motif
from demandes.forms import EtatCivilForm, MotifForm
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


@pytest.mark.django_db
def test_the_new_requests_kept_motif_form_is_the_html_rendered_live(client, candidat):
    client.force_login(candidat)
    fragments._FRAGMENTS.oublier()
    live = JETON.sub("", client.get(reverse("demandes:commencer")).content.decode())
    assert JETON.sub("", client.get(reverse("demandes:commencer")).content.decode()) == live


def test_the_motif_forms_key_tells_a_schools_request_and_a_chosen_motif_apart():
    candidat = MotifForm(instance=Demande())
    ecole = MotifForm(instance=Demande(depose_par_id=1))
    choisi = MotifForm(instance=Demande(motif=Motif.INSCRIPTION_PREMIERE, categories=["B"]))
    cles = {candidat.cle_de_rendu, ecole.cle_de_rendu, choisi.cle_de_rendu}
    assert len(cles) == 3 and None not in cles
    assert ("categories", ("B",)) in choisi.cle_de_rendu
    assert MotifForm({"motif": ""}, instance=Demande()).cle_de_rendu is None


@pytest.mark.django_db
def test_the_kept_etat_civil_form_is_the_html_rendered_live(client, brouillon):
    fragments._FRAGMENTS.oublier()
    url = assistant.url_etape(brouillon, "etat-civil")
    live = JETON.sub("", client.get(url).content.decode())
    assert 'value="' + assistant.ETAT_CIVIL["nom_naissance"] + '"' in live
    assert JETON.sub("", client.get(url).content.decode()) == live


def test_fields_locked_by_franceconnect_are_part_of_the_etat_civil_forms_key():
    libre = EtatCivilForm(instance=Demande(nom_naissance="MARTIN"))
    verrouille = EtatCivilForm(
        instance=Demande(nom_naissance="MARTIN"), verrouilles={"nom_naissance": "MARTIN"}
    )
    assert libre.cle_de_rendu != verrouille.cle_de_rendu


def _fil_et_stepper(html: str) -> tuple[str, str]:
    fil = html[html.index('id="fil-ariane"') : html.index("</nav>", html.index('id="fil-ariane"'))]
    debut = html.index('<div class="fr-stepper">')
    stepper = html[debut : html.index("\n</div>", debut)]
    return fil, stepper


@pytest.mark.django_db
def test_the_kept_breadcrumb_and_stepper_show_each_drafts_number_and_steps(client, candidat):
    client.force_login(candidat)
    fragments._FRAGMENTS.oublier()
    premiere = assistant.commencer(client, Motif.INSCRIPTION_PREMIERE, ["B"])
    seconde = assistant.commencer(client, Motif.INSCRIPTION_EXTENSION, ["A"])
    pages = {}
    for demande in (premiere, seconde):
        for slug in ("etat-civil", "etat-civil", "motif"):
            url = assistant.url_etape(demande, slug)
            pages[demande.numero, slug] = _fil_et_stepper(client.get(url).content.decode())
    for demande in (premiere, seconde):
        fil, stepper = pages[demande.numero, "etat-civil"]
        assert f"Demande {demande.numero}" in fil
        assert "Étape 2 sur 7" in stepper and "État civil" in stepper
        assert "Adresse et contact" in stepper  # the next step
        fil, stepper = pages[demande.numero, "motif"]
        assert f"Demande {demande.numero}" in fil and "Étape 1 sur 7" in stepper
    # A motif with a tax stamp has one step more: the stepper follows the draft's motif.
    Demande.objects.filter(pk=seconde.pk).update(motif=Motif.PERTE, categories=[])
    fil, stepper = _fil_et_stepper(
        client.get(assistant.url_etape(seconde, "etat-civil")).content.decode()
    )
    assert f"Demande {seconde.numero}" in fil and "Étape 2 sur 8" in stepper
    # And as rendered live.
    fragments._FRAGMENTS.oublier()
    assert (fil, stepper) == _fil_et_stepper(
        client.get(assistant.url_etape(seconde, "etat-civil")).content.decode()
    )
