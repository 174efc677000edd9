"""`{% fige %}`: a fragment rendered once per process, per key, forgotten when a setting
changes; `{% vif %}` holes rendered again at each use; the header kept per name, roles and
page (`{% fige_en_tete %}`)."""

import re

import pytest
from django.contrib.auth.models import Group
from django.template import Context, Engine, Template
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from accounts.enums import Role
from permis.templatetags import fragments
from tests.auto_ecoles.factories import MembreFactory
from tests.factories import AgentCTNFactory, CandidatFactory

GABARIT = Template('{% load fragments %}{% fige "essai" %}{{ valeur }}{% endfige %}|{{ valeur }}')
AVEC_CLE = Template('{% load fragments %}{% fige "clé" cle %}{{ cle }}:{{ valeur }}{% endfige %}')
AVEC_TROU = Template(
    '{% load fragments %}{% fige "trou" %}<{{ valeur }}|{% vif %}{{ valeur }}{% endvif %}>'
    '{% fige "dedans" cle %}[{{ valeur }}]{% endfige %}{% endfige %}'
)


@pytest.fixture(autouse=True)
def store_vide():
    fragments._FRAGMENTS.oublier()
    fragments._EN_TETES.oublier()


def test_a_fixed_fragment_is_rendered_once_then_kept():
    assert GABARIT.render(Context({"valeur": "premier"})) == "premier|premier"
    assert GABARIT.render(Context({"valeur": "second"})) == "premier|second"


def test_changing_a_setting_forgets_the_kept_fragments():
    GABARIT.render(Context({"valeur": "avant"}))
    with override_settings(PERMIS_ESSAI_FRAGMENTS="deux"):  # any setting
        assert GABARIT.render(Context({"valeur": "après"})) == "après|après"


def test_a_fragment_is_kept_per_value_of_its_keys():
    assert AVEC_CLE.render(Context({"cle": "a", "valeur": 1})) == "a:1"
    assert AVEC_CLE.render(Context({"cle": "b", "valeur": 2})) == "b:2"
    assert AVEC_CLE.render(Context({"cle": "a", "valeur": 3})) == "a:1"


def test_a_key_of_none_renders_live_and_keeps_nothing():
    assert AVEC_CLE.render(Context({"cle": None, "valeur": 1})) == "None:1"
    assert AVEC_CLE.render(Context({"cle": None, "valeur": 2})) == "None:2"
    assert len(fragments._FRAGMENTS) == 0


def test_holes_and_fragments_inside_a_fragment_are_rendered_at_each_use():
    assert AVEC_TROU.render(Context({"valeur": "x", "cle": 1})) == "<x|x>[x]"
    assert AVEC_TROU.render(Context({"valeur": "y", "cle": 1})) == "<x|y>[x]"
    assert AVEC_TROU.render(Context({"valeur": "z", "cle": 2})) == "<x|z>[z]"


LANGUES = Engine(
    loaders=[
        (
            "django.template.loaders.locmem.Loader",
            {
                "page.html": (
                    '{% load i18n fragments %}{% fige "langue" %}{% translate "January" %}{% endfige %}|'
                    '{% language "en" %}{% fige "langue" %}{% translate "January" %}{% endfige %}|'
                    '{% include "dedans.html" %}{% endlanguage %}|'
                    '{% fige "langue" %}{% translate "January" %}{% endfige %}'
                ),
                "dedans.html": '{% load i18n fragments %}{% fige "dedans" %}{% translate "January" %}{% endfige %}',
            },
        )
    ],
    libraries={"i18n": "django.templatetags.i18n", "fragments": "permis.templatetags.fragments"},
)


def test_a_fragment_is_kept_per_language_read_once_per_render():
    """The language is read once per template's render; {% language %} forgets it for its body
    and after, and each render reads it anew."""
    page = LANGUES.get_template("page.html")
    with translation.override("fr"):
        assert page.render(Context()) == "janvier|January|January|janvier"
    with translation.override("en"):
        assert page.render(Context()) == "January|January|January|January"
    with translation.override("fr"):
        assert page.render(Context()) == "janvier|January|January|janvier"


def entete(html: str) -> str:
    return html[html.index("<header") : html.index("</header>")]


def test_the_kept_header_follows_the_name_the_roles_and_the_current_page(client, candidat):
    client.force_login(candidat)
    accueil = entete(client.get(reverse("home")).content.decode())
    assert f"Mon espace ({candidat.get_full_name()})" in accueil
    assert 'href="/" aria-current="page"' in accueil
    liste = entete(client.get(reverse("demandes:liste")).content.decode())
    assert 'href="/" aria-current' not in liste
    assert f'href="{reverse("demandes:liste")}" aria-current="page"' in liste

    candidat.first_name = "Renommée"
    candidat.save()
    assert "Mon espace (Renommée " in client.get(reverse("home")).content.decode()

    candidat.groups.remove(Group.objects.get(name=Role.CANDIDAT))
    candidat.ajouter_role(Role.AUTO_ECOLE)
    autre = entete(client.get(reverse("home")).content.decode())
    assert "Mes élèves" in autre
    assert "Mes demandes" not in autre


def test_the_kept_header_is_the_one_rendered_anew_for_each_role_and_page(db):
    """Each page's menu marks its own item (or none: a page of no menu's, a 404), whichever page
    of whichever account came before."""
    candidat, agent = CandidatFactory(), AgentCTNFactory()
    ecole = MembreFactory().user
    chemins = [
        reverse("home"),
        reverse("suivi"),
        reverse("demandes:liste"),
        reverse(
            "auto_ecoles:mes_mandats"
        ),  # a candidate's « Mes auto-écoles », a school's « Mes élèves »
        reverse("auto_ecoles:tableau_de_bord"),
        reverse("instruction:file"),
        reverse("accessibilite"),
        "/pas-de-page-ici/",
    ]

    def sans_jeton(html: str) -> str:  # a token masked anew for each page
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", entete(html))

    vus = {}
    for user in (None, candidat, ecole, agent):
        navigateur = Client()
        if user is not None:
            navigateur.force_login(user)
        fragments._EN_TETES.oublier()
        gardes = []
        for _tour in range(2):
            for chemin in chemins:
                reponse = navigateur.get(chemin)
                if b"<header" in reponse.content:
                    vus.setdefault((user, chemin), []).append(sans_jeton(reponse.content.decode()))
            gardes.append(len(fragments._EN_TETES))
        assert gardes[0] > 2 and gardes[1] == gardes[0]  # one per page, kept from the first tour
        for chemin in chemins:  # as rendered from nothing
            fragments._EN_TETES.oublier()
            reponse = navigateur.get(chemin)
            if (user, chemin) in vus:
                vus[user, chemin].append(sans_jeton(reponse.content.decode()))
    for (user, chemin), entetes in vus.items():
        assert len(set(entetes)) == 1, (user, chemin)
    courant = {cle: e[0].count('aria-current="page"') for cle, e in vus.items()}
    assert courant[None, "/pas-de-page-ici/"] == 0 and courant[agent, reverse("accessibilite")] == 0
    assert courant[candidat, reverse("auto_ecoles:mes_mandats")] == 1
    assert 'aria-current="page">Mes élèves' in vus[ecole, reverse("auto_ecoles:mes_mandats")][0]
    assert 'aria-current="page">File d\'attente' in vus[agent, reverse("instruction:file")][0]


def test_the_kept_header_carries_each_session_its_own_csrf_token(db):
    """Two accounts with the same name and roles share the header, not the logout token."""
    premier, second = (CandidatFactory(first_name="Lou", last_name="Martin") for _ in "12")
    for user in (premier, second):
        navigateur = Client(enforce_csrf_checks=True)
        navigateur.force_login(user)
        html = entete(navigateur.get(reverse("home")).content.decode())
        jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
        reponse = navigateur.post(reverse("account_logout"), {"csrfmiddlewaretoken": jeton})
        assert reponse.status_code == 302


def test_a_page_kept_whole_renders_its_fragments_inline_and_notes_their_keys():
    gabarit = Template(
        '{% load fragments %}<{% fige "a" %}{{ v }}{% endfige %}|{% fige "b" cle %}{{ v }}{% endfige %}'
        '|{% vif %}{{ v }}{% endvif %}|{% fige "c" rien %}{{ v }}{% endfige %}>'
    )
    morceaux, imbriques = fragments.en_morceaux(
        lambda: gabarit.render(Context({"v": "gardé", "cle": 1, "rien": None}))
    )
    assert morceaux[0] == "<gardé|gardé|" and morceaux[2] == "|" and morceaux[4] == ">"
    vif, sans_cle = morceaux[1], morceaux[3]  # the {% vif %}, and the fragment keyed on None
    contexte = Context({"v": "vivant", "rien": None})
    assert vif.vivant(contexte) == "vivant" and sans_cle.vivant(contexte) == "vivant"
    ((noeud, cle),) = imbriques  # only the fragment with keys is checked at each use
    assert cle[0] == "b" and cle[2:] == (1,)
    assert noeud.cle(Context({"cle": 2}))[2:] == (2,)
