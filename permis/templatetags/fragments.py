"""`{% fige "nom" %}…{% endfige %}`: a fragment rendered once per process, then reused.

The DSFR's footer and its display-settings dialog cost a millisecond and more per page and
depend on nothing of the request: only on settings, URL names and the service's constants.
Such a fragment is rendered the first time and its HTML kept, per name and language. It
must not read the request, the user, a form or the CSP nonce (those change per page).
Changing a setting (override_settings in the tests) forgets every kept fragment.
"""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

_FRAGMENTS: dict[tuple[str, str], str] = {}


@receiver(setting_changed)
def oublier(**kwargs) -> None:
    _FRAGMENTS.clear()


class FigeNode(template.Node):
    def __init__(self, nom: str, nodelist: template.NodeList):
        self.nom = nom
        self.nodelist = nodelist

    def render(self, context) -> str:
        cle = (self.nom, get_language() or "")
        try:
            return _FRAGMENTS[cle]
        except KeyError:
            with context.push():
                html = _FRAGMENTS[cle] = mark_safe(self.nodelist.render(context))  # noqa: S308
            return html


@register.tag
def fige(parser, token):
    morceaux = token.split_contents()
    if len(morceaux) != 2 or morceaux[1][0] not in "\"'" or morceaux[1][-1] != morceaux[1][0]:
        raise template.TemplateSyntaxError('{% fige "nom" %} takes one quoted name')
    nodelist = parser.parse(("endfige",))
    parser.delete_first_token()
    return FigeNode(morceaux[1][1:-1], nodelist)
