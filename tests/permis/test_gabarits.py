"""permis/gabarits.py: `{% extends %}` finds its root's blocks once per compiled template, and
renders what Django's own ExtendsNode.render does; `{% block %}`'s lighter render, what
Django's BlockNode.render does."""

import re

import django
import pytest
from django.template import Context, Engine
from django.template.base import NodeList
from django.template.loader_tags import BlockNode, ExtendsNode
from django.templatetags.i18n import LanguageNode
from django.urls import reverse

from permis import gabarits, rendus_gardes

GABARITS = {
    "racine.html": (
        "<{% block tete %}tête{% endblock %}|{% if drapeau %}{% block dedans %}oui{% endblock %}"
        "{% else %}{% block sinon %}non{% endblock %}{% endif %}|"
        "{% for i in liste %}{% block boucle %}{{ i }}{% endblock %}{% endfor %}|"
        "{% block externe %}[{% block interne %}in{% endblock %}]{% endblock %}>"
    ),
    "milieu.html": (
        '{% extends "racine.html" %}{% block tete %}M{{ block.super }}{% endblock %}'
        "{% block interne %}mi{{ block.super }}{% endblock %}"
    ),
    "enfant.html": (
        '{% extends "milieu.html" %}{% block tete %}E{{ block.super }}{% endblock %}'
        "{% block dedans %}{{ block.super }}!{% endblock %}{% block sinon %}{{ block.super }}?"
        "{% endblock %}{% block boucle %}<{{ block.super }}>{% endblock %}"
    ),
    "variable.html": "{% extends parent %}{% block tete %}V{% endblock %}",
    # A block reading `block` itself, a variable set in a block not seen after it, a block
    # in a template that extends none.
    "bloc.html": (
        '{% extends "milieu.html" %}{% block tete %}{{ block.name }}:{% with x=1 %}{{ x }}'
        "{% endwith %}{{ block.super }}{{ x }}{% endblock %}"
    ),
    "seul.html": "{% block a %}[{{ block.name }}]{% endblock %}{{ block }}",
}
CONTEXTES = [
    {"drapeau": True, "liste": [1, 2], "parent": "racine.html"},
    {"drapeau": False, "liste": [], "parent": "milieu.html"},
]


def moteur() -> Engine:
    return Engine(
        loaders=[
            ("django.template.loaders.cached.Loader", ["django.template.loaders.locmem.Loader"])
        ],
    )


def test_installed_for_the_django_it_was_copied_from():
    """On another Django, compare its ExtendsNode.render with ours, then update VERSION_DJANGO."""
    assert django.VERSION[:2] == gabarits.VERSION_DJANGO
    assert ExtendsNode.render is gabarits._rendre
    assert BlockNode.render is gabarits._rendre_bloc
    assert LanguageNode.render is gabarits._rendre_langue


@pytest.mark.parametrize(
    "nom", ["milieu.html", "enfant.html", "variable.html", "bloc.html", "seul.html"]
)
@pytest.mark.parametrize("valeurs", CONTEXTES)
def test_the_same_html_as_djangos_extends(monkeypatch, nom, valeurs):
    engine = Engine(loaders=[("django.template.loaders.locmem.Loader", GABARITS)])
    gabarit = engine.get_template(nom)
    contexte = Context(valeurs)
    notre = gabarit.render(contexte)
    assert len(contexte.dicts) == 2  # every block's layer popped
    monkeypatch.setattr(ExtendsNode, "render", gabarits._rendu_de_django)
    monkeypatch.setattr(BlockNode, "render", gabarits._bloc_de_django)
    assert notre == engine.get_template(nom).render(Context(valeurs))


def test_the_roots_blocks_are_found_once_per_compiled_template(monkeypatch):
    engine = Engine(
        loaders=[
            (
                "django.template.loaders.cached.Loader",
                [("django.template.loaders.locmem.Loader", GABARITS)],
            )
        ],
    )
    premier = engine.get_template("enfant.html").render(Context(CONTEXTES[0]))
    parcours = []
    original = NodeList.get_nodes_by_type
    monkeypatch.setattr(
        NodeList,
        "get_nodes_by_type",
        lambda self, nodetype: parcours.append(nodetype) or original(self, nodetype),
    )
    assert engine.get_template("enfant.html").render(Context(CONTEXTES[0])) == premier
    assert parcours == []
    assert gabarits.blocs_de_la_racine(engine.get_template("milieu.html")) is None
    assert set(gabarits.blocs_de_la_racine(engine.get_template("racine.html"))) == {
        "tete",
        "dedans",
        "sinon",
        "boucle",
        "externe",
        "interne",
    }


def test_a_template_compiled_anew_has_its_own_blocks():
    """The cached loader reset (runserver on a template's change): the new root's blocks."""
    sources = dict(GABARITS)
    engine = Engine(
        loaders=[
            (
                "django.template.loaders.cached.Loader",
                [("django.template.loaders.locmem.Loader", sources)],
            )
        ],
    )
    assert engine.get_template("milieu.html").render(Context(CONTEXTES[0])).startswith("<Mtête|")
    sources["racine.html"] = "({% block tete %}neuve{% endblock %}{% block autre %}+{% endblock %})"
    engine.template_loaders[0].reset()
    assert engine.get_template("milieu.html").render(Context(CONTEXTES[0])) == "(Mneuve+)"


def sans_jetons(html: str) -> str:
    return re.sub(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]*"', "", html)


@pytest.mark.parametrize("nom", ["home", "demandes:liste", "account_email", "account_login"])
def test_a_real_page_is_the_same_as_with_djangos_extends(monkeypatch, client, candidat, nom):
    """Rendered in full each time (the kept fragments and pages forgotten)."""
    if nom != "account_login":
        client.force_login(candidat)
    rendus_gardes._oublier_tout()
    reponse = client.get(reverse(nom))
    assert reponse.status_code == 200
    notre = sans_jetons(reponse.content.decode())
    monkeypatch.setattr(ExtendsNode, "render", gabarits._rendu_de_django)
    monkeypatch.setattr(BlockNode, "render", gabarits._bloc_de_django)
    rendus_gardes._oublier_tout()
    assert sans_jetons(client.get(reverse(nom)).content.decode()) == notre
