"""The form renderer: django-dsfr's, with <select> written in Python.

Django renders a <select> with one template for the element and one more template per
option (`{% include option.template_name %}`): the birth-country and nationality lists of
the wizard hold 250 options each, the queue's filters six lists, and rendering them was up to
half of those pages. Here a select whose options use Django's own option template is
written directly, producing the same markup character for character (the same escaping, the
same attributes in the same order, the same line breaks: tests/permis/test_rendu_formulaires.py
compares both); any other widget, or a select with options of its own, goes through the
templates as before.
"""

from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from dsfr.forms import DsfrDjangoTemplates

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _texte(valeur) -> str:
    """`{{ valeur }}` in a template: localized unless a string, then escaped."""
    return conditional_escape(valeur if isinstance(valeur, str) else localize(valeur))


def _attributs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: ` nom="valeur"`, ` nom` for True, nothing for False."""
    return "".join(
        f" {_texte(nom)}"
        if valeur is True
        else f' {_texte(nom)}="{conditional_escape(valeur if isinstance(valeur, str) else f"{valeur}")}"'
        for nom, valeur in attrs.items()
        if valeur is not False
    )


def rendre_select(widget: dict) -> str:
    morceaux = [f'<select name="{_texte(widget["name"])}"{_attributs(widget["attrs"])}>']
    for groupe, options, _index in widget["optgroups"]:
        if groupe:
            morceaux.append(f'\n  <optgroup label="{_texte(groupe)}">')
        for option in options:
            valeur = option["value"]
            valeur = conditional_escape(valeur if isinstance(valeur, str) else f"{valeur}")
            morceaux.append(
                f'\n  <option value="{valeur}"{_attributs(option["attrs"])}>'
                f"{_texte(option['label'])}</option>\n"
            )
        if groupe:
            morceaux.append("\n  </optgroup>")
    morceaux.append("\n</select>")
    return mark_safe("".join(morceaux))  # noqa: S308 - every value escaped above


class RenduFormulaires(DsfrDjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if template_name == SELECT else None
        if widget is not None and all(
            option["template_name"] == OPTION
            for _groupe, options, _index in widget["optgroups"]
            for option in options
        ):
            return rendre_select(widget)
        return super().render(template_name, context, request=request)
