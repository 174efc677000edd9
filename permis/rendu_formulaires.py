"""The form renderer: django-dsfr's, with <select> and <input> written in Python.

Django renders a <select> with one template for the element and one more template per
option (`{% include option.template_name %}`): the birth-country and nationality lists of
the wizard hold 250 options each, the queue's filters six lists, and rendering them was up to
half of those pages. Here a select whose options use Django's own option template is
written directly, producing the same markup character for character (the same escaping, the
same attributes in the same order, the same line breaks: tests/permis/test_rendu_formulaires.py
compares both); any other widget, or a select with options of its own, goes through the
templates as before. Likewise an <input> (text, password, email, checkbox…: Django's widget
templates that only include input.html, which includes attrs.html): three templates per field
of every form, a fifth of the login page. And the options of radio buttons and checkbox lists
(django-dsfr's radio_option.html and checkbox_option.html, each including input.html and
attrs.html): the motif step's 16 categories were most of its page; a rich label (an object
with .label and .help_text) or a checkbox asking for its own group (attrs dsfr="dsfr") goes
through the templates.
"""

from django.utils.formats import localize
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from dsfr.forms import DsfrDjangoTemplates

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
# Django's widget templates whose whole text is `{% include "…/input.html" %}`.
INPUTS = frozenset(
    f"django/forms/widgets/{nom}.html"
    for nom in (
        "checkbox color date datetime email file hidden number password search tel text time url"
    ).split()
)
INPUT = "django/forms/widgets/input.html"
RADIO = "django/forms/widgets/radio_option.html"
CHECKBOX = "django/forms/widgets/checkbox_option.html"


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


def rendre_input(widget: dict) -> str:
    """django/forms/widgets/input.html (`value` through |stringformat:'s', safe if it was)."""
    valeur = widget["value"]
    if valeur is None:
        attribut_valeur = ""
    else:
        texte = "%s" % (str(valeur) if isinstance(valeur, tuple) else valeur)  # noqa: UP031
        if isinstance(valeur, SafeData):
            texte = mark_safe(texte)  # noqa: S308 - what the code itself made safe
        attribut_valeur = f' value="{conditional_escape(texte)}"'
    return (
        f'<input type="{_texte(widget["type"])}" name="{_texte(widget["name"])}"'
        f"{attribut_valeur}{_attributs(widget['attrs'])}>"
    )


def rendre_option(widget: dict, radio: bool) -> str | None:
    """django-dsfr's radio_option.html / checkbox_option.html, None where it is not handled."""
    label = widget.get("label")
    if (
        not widget.get("wrap_label")
        or not isinstance(label, str | int | Promise)
        or (not radio and "dsfr" in widget["attrs"])
    ):
        return None
    ident = widget["attrs"].get("id")
    pour = f'for="{_texte(ident)}"' if ident else ""
    # the templates' line breaks and indentation, as they come out
    option = (
        f"{rendre_input(widget)}\n\n  \n"
        f'    <label class="fr-label"\n           {pour}>\n      \n'
        f"        {_texte(label)}\n      \n    </label>"
    )
    if radio:
        option = f'<div class="fr-radio-group">\n  {option}\n  \n</div>'
    return option


class RenduFormulaires(DsfrDjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in INPUTS or template_name == INPUT:
            # every value escaped there; the renderer strips the templates' line breaks
            return mark_safe(rendre_input(context["widget"]))  # noqa: S308
        if template_name in (RADIO, CHECKBOX):
            option = rendre_option(context["widget"], radio=template_name == RADIO)
            if option is not None:
                return mark_safe(option)  # noqa: S308 - every value escaped there
        widget = context.get("widget") if template_name == SELECT else None
        if widget is not None and all(
            option["template_name"] == OPTION
            for _groupe, options, _index in widget["optgroups"]
            for option in options
        ):
            return rendre_select(widget)
        return super().render(template_name, context, request=request)
