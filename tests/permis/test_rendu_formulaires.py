"""The form renderer writes <select>s and <input>s in Python: the markup must be Django's own,
exactly."""

from datetime import date

import pytest
from django import forms
from django.utils.safestring import mark_safe
from dsfr.forms import DsfrDjangoTemplates

from accounts.allauth_forms import ConnexionForm, InscriptionCompleteForm
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


def inputs():
    yield forms.TextInput(), '<é> & "guillemets"'
    yield forms.TextInput(attrs={"class": "fr-input", "required": True, "disabled": False}), None
    yield forms.TextInput(), mark_safe("<b>sûr</b>")  # noqa: S308 - a value the code made safe
    yield forms.TextInput(), ""
    yield forms.NumberInput(attrs={"min": 0, "step": 0.5}), 3
    yield forms.EmailInput(attrs={"autocomplete": "email"}), "a@b.fr"
    yield forms.PasswordInput(render_value=False), "secret"
    yield forms.HiddenInput(), 7
    yield forms.CheckboxInput(), True
    yield forms.CheckboxInput(), False
    yield forms.DateInput(), date(2026, 12, 2)
    yield forms.URLInput(), "https://exemple.fr/?a=1&b=2"
    yield forms.ClearableFileInput(), None  # its own template: through the templates
    yield forms.Textarea(), "texte"  # likewise


@pytest.mark.parametrize("widget,valeur", list(inputs()))
def test_an_input_is_rendered_as_django_renders_it(widget, valeur):
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
        lambda: ConnexionForm(initial={"login": "x<y"}),
        lambda: InscriptionCompleteForm(initial={"email": "a&b@exemple.fr"}),
    ],
    ids=["file", "file-erreur", "etat-civil", "connexion", "inscription"],
)
def test_the_portal_forms_render_the_same(formulaire):
    avec_django, rapide = formulaire(), formulaire()
    avec_django.renderer, rapide.renderer = DJANGO, RAPIDE
    for nom in avec_django.fields:
        assert str(rapide[nom]) == str(avec_django[nom])
