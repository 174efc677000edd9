"""The form renderer writes <select>s in Python: the markup must be Django's own, exactly."""

import pytest
from django import forms
from django.utils.safestring import mark_safe
from dsfr.forms import DsfrDjangoTemplates

from demandes.enums import Etat
from demandes.forms import EtatCivilForm
from demandes.pays import choix_pays
from instruction.forms import FiltresFile
from permis.rendu_formulaires import RenduFormulaires

DJANGO = DsfrDjangoTemplates()
RAPIDE = RenduFormulaires()

CHOIX = [
    ("", "Tous"),
    ("a&b", "<Été> & « guillemets »"),
    (3, 25),
    ("sûr", mark_safe("<b>déjà sûr</b>")),  # noqa: S308 - a label the code made safe
]
ETATS = (Etat.DEPOSEE, Etat.A_COMPLETER)
GROUPES = [("", "—"), ("Europe", [("fr", "France"), ("de", "Allemagne")]), ("x", "Autre")]


def widgets():
    yield forms.Select(choices=CHOIX), "a&b"
    yield forms.Select(choices=CHOIX, attrs={"class": "fr-select", "aria-invalid": "true"}), 3
    yield forms.Select(choices=CHOIX, attrs={"required": True, "disabled": False}), None
    yield forms.Select(choices=GROUPES), "de"
    yield forms.SelectMultiple(choices=GROUPES), ["fr", "x"]
    yield forms.NullBooleanSelect(), True
    yield forms.Select(choices=choix_pays()), "FR"


@pytest.mark.parametrize("widget,valeur", list(widgets()))
def test_a_select_is_rendered_as_django_renders_it(widget, valeur):
    attendu = widget.render("champ", valeur, attrs={"id": "id_champ"}, renderer=DJANGO)
    assert widget.render("champ", valeur, attrs={"id": "id_champ"}, renderer=RAPIDE) == attendu


def test_a_select_with_an_option_template_of_its_own_goes_through_the_templates():
    class AvecGabarit(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    widget = AvecGabarit(choices=CHOIX)
    assert widget.render("c", "", renderer=RAPIDE) == widget.render("c", "", renderer=DJANGO)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "formulaire",
    [
        lambda: FiltresFile({"motif": "perte", "par_page": "50"}, etats=ETATS),
        lambda: FiltresFile({"prise": "inconnu"}, etats=ETATS),
        lambda: EtatCivilForm(None, instance=None),
    ],
    ids=["file", "file-erreur", "etat-civil"],
)
def test_the_portal_forms_render_the_same(formulaire):
    avec_django, rapide = formulaire(), formulaire()
    avec_django.renderer, rapide.renderer = DJANGO, RAPIDE
    for nom in avec_django.fields:
        assert str(rapide[nom]) == str(avec_django[nom])
