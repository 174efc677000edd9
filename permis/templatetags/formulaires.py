"""`{% resume_erreurs form as erreurs %}`: the (anchor, text) list the error summary shows;
`{% erreur_au_titre %}`: « Erreur : » before the page's title when its form was sent back.

The wizard's forms say themselves where each error points (`FormulaireDsfr.resume_erreurs`,
radios and checkboxes have their own anchors); any other form — allauth's, the back-office's —
gets each field's id, and its form-wide errors point at its first field.
"""

from django import template
from django.template.base import Variable, VariableDoesNotExist
from django.utils.html import conditional_escape
from django.utils.translation import gettext as _

register = template.Library()
# The names a page's form goes by: allauth's and Django's views say `form`, ours `formulaire`.
_FORMULAIRES = {nom: Variable(f"{nom}.errors") for nom in ("form", "formulaire")}


@register.simple_tag
def resume_erreurs(form) -> list[tuple[str, str]]:
    if not form or not form.errors:
        return []
    if hasattr(form, "resume_erreurs"):
        return form.resume_erreurs()
    champs = [bf for bf in form if not bf.is_hidden]
    premier = (champs[0].id_for_label or champs[0].auto_id) if champs else ""
    resume = [(premier, str(e)) for e in form.non_field_errors()]
    for bf in champs:
        resume += [(bf.id_for_label or bf.auto_id, f"{bf.label} : {e}") for e in bf.errors]
    return resume


class ErreurAuTitreNode(template.Node):
    def render(self, context) -> str:
        # {% if form.errors or formulaire.errors %} as the template would read it, without its
        # failed look-ups (an exception and a dir() of the context, ~15 µs each) on the pages
        # that have neither name.
        for nom, erreurs in _FORMULAIRES.items():
            try:
                if nom in context and erreurs.resolve(context):
                    return conditional_escape(_("Erreur :")) + " "
            except VariableDoesNotExist:
                pass
        return ""


@register.tag
def erreur_au_titre(parser, token):
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% erreur_au_titre %} takes no argument")
    return ErreurAuTitreNode()
