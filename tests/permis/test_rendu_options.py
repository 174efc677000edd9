"""Radio and checkbox options written in Python: django-dsfr's templates' markup, exactly."""

import pytest
from django import forms
from django.utils.safestring import mark_safe
from dsfr.forms import DsfrDjangoTemplates

from demandes.forms import EtatCivilForm, MotifForm
from permis.rendu_formulaires import RenduFormulaires

DJANGO = DsfrDjangoTemplates()
RAPIDE = RenduFormulaires()

CHOIX = [
    ("a&b", "<Été> & « guillemets »"),
    (3, 25),
    ("sûr", mark_safe("<b>déjà sûr</b>")),  # noqa: S308 - a label the code made safe
    ('"q"', "Autre"),
]


class Riche:
    """A rich label (django-dsfr's RichRadioSelect): left to the templates."""

    label = "Riche"
    help_text = "avec <aide>"


class Options(forms.Form):
    radio = forms.ChoiceField(
        label="Un <choix>", choices=CHOIX, widget=forms.RadioSelect, help_text="Aide <i>"
    )
    cases = forms.MultipleChoiceField(
        label="Des cases", choices=CHOIX, widget=forms.CheckboxSelectMultiple, required=False
    )
    inactif = forms.ChoiceField(
        choices=CHOIX, widget=forms.RadioSelect(attrs={"disabled": True, "data-x": "<y>"})
    )
    groupe = forms.MultipleChoiceField(
        choices=CHOIX, widget=forms.CheckboxSelectMultiple(attrs={"dsfr": "dsfr"})
    )
    riche = forms.ChoiceField(choices=[("r", Riche())], widget=forms.RadioSelect)


@pytest.mark.parametrize(
    "donnees,options",
    [
        (None, {}),
        ({"radio": "a&b", "cases": ["3", "sûr"], "inactif": '"q"'}, {}),
        ({"radio": "inconnu", "cases": ["?"]}, {}),  # errors on every field
        ({"radio": "3"}, {"auto_id": False}),  # no id: no for=""
    ],
    ids=["vide", "coches", "erreurs", "sans-id"],
)
def test_radio_and_checkbox_fields_render_as_the_templates_do(donnees, options):
    avec_django, rapide = Options(donnees, **options), Options(donnees, **options)
    avec_django.renderer, rapide.renderer = DJANGO, RAPIDE
    for nom in avec_django.fields:
        assert str(rapide[nom]) == str(avec_django[nom])
        for fin, attendu in zip(rapide[nom].subwidgets, avec_django[nom].subwidgets, strict=True):
            assert str(fin) == str(attendu)
            assert fin.tag() == attendu.tag()  # without its label


def test_the_options_are_written_in_python():
    """Otherwise the comparison above would hold trivially."""
    compte = []

    class Compte(RenduFormulaires):
        def get_template(self, template_name):
            compte.append(template_name)
            return super().get_template(template_name)

    form = Options({"radio": "3", "cases": ["3"]})
    form.renderer = Compte()
    for nom in ("radio", "cases"):
        assert [str(option) for option in form[nom].subwidgets]
    assert not [nom for nom in compte if nom.endswith("_option.html")]
    assert [str(option) for option in form["riche"].subwidgets]
    assert "django/forms/widgets/radio_option.html" in compte


@pytest.mark.django_db
@pytest.mark.parametrize(
    "formulaire",
    [
        lambda: MotifForm(None),
        lambda: MotifForm({"motif": "perte", "categories": ["B", "ZZ"]}),
        lambda: EtatCivilForm(None, instance=None),
        lambda: EtatCivilForm({"sexe": "?"}, instance=None),
    ],
    ids=["motif", "motif-erreur", "etat-civil", "etat-civil-erreur"],
)
def test_the_wizard_forms_render_the_same(formulaire):
    avec_django, rapide = formulaire(), formulaire()
    avec_django.renderer, rapide.renderer = DJANGO, RAPIDE
    for nom in avec_django.fields:
        assert str(rapide[nom]) == str(avec_django[nom])
