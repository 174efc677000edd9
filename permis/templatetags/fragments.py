"""`{% fige "nom" [clé…] %}…{% endfige %}`: a fragment rendered once per process, then reused.

The DSFR's footer, its display-settings dialog and the header cost a millisecond and more
per page and change with little: settings, URL names, the service's constants, and for the
header the user's name and roles. Such a fragment is rendered the first time and its HTML
kept, per name, language and the values of the keys that follow the name (a key of None: rendered
live every time, a form sent back with its errors say). It must read
nothing else of the request, the user, a form or the CSP nonce (those change per page),
except inside `{% vif %}…{% endvif %}`: the holes rendered again at every use (the CSRF
token, which menu item is the current page), with the variables of the page being rendered
(so not those a `{% with %}` or a loop inside the fragment sets). A fragment inside a kept
fragment is a hole of it, with its own keys. At most `_TAILLE` fragments are kept; changing a
setting (override_settings in the tests) forgets every one.
"""

from contextvars import ContextVar

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from permis.rendus_gardes import RendusGardes

register = template.Library()

# A header is a few kB: the store stays under ten megabytes per process.
_FRAGMENTS = RendusGardes(taille=2000)
# The holes met while a fragment is rendered to be kept; None when none is being rendered.
_TROUS: ContextVar[list | None] = ContextVar("trous_du_fragment", default=None)
_MARQUE = "\x00"  # no template writes a NUL: it marks where a hole's HTML goes


def _trou(noeud: template.Node) -> str | None:
    """While a fragment is rendered to be kept: the mark standing for this live part."""
    trous = _TROUS.get()
    if trous is None:
        return None
    trous.append(noeud)
    return f"{_MARQUE}{len(trous) - 1}{_MARQUE}"


class FigeNode(template.Node):
    def __init__(self, nom: str, cles: list, nodelist: template.NodeList):
        self.nom = nom
        self.cles = cles
        self.nodelist = nodelist

    def render(self, context) -> str:
        marque = _trou(self)
        if marque is not None:
            return marque
        cle = (self.nom, get_language() or "", *(c.resolve(context) for c in self.cles))
        if any(valeur is None for valeur in cle):
            return self.nodelist.render(context)  # a key of None: rendered live, kept not
        morceaux = _FRAGMENTS.obtenir(cle, lambda: self._garder(context))
        if len(morceaux) == 1:
            return morceaux[0]
        return SafeString("".join(m if isinstance(m, str) else m.vivant(context) for m in morceaux))

    def _garder(self, context) -> tuple:
        trous: list[template.Node] = []
        jeton = _TROUS.set(trous)
        try:
            with context.push():
                html = self.nodelist.render(context)
        finally:
            _TROUS.reset(jeton)
        # "a\x000\x00b" → ["a", "0", "b"]: text, then the index of a hole, then text…
        morceaux = html.split(_MARQUE)
        return tuple(SafeString(m) if i % 2 == 0 else trous[int(m)] for i, m in enumerate(morceaux))

    def vivant(self, context) -> str:
        return self.render(context)


class VifNode(template.Node):
    def __init__(self, nodelist: template.NodeList):
        self.nodelist = nodelist

    def render(self, context) -> str:
        return _trou(self) or self.nodelist.render(context)

    def vivant(self, context) -> str:
        return self.nodelist.render(context)


@register.tag
def fige(parser, token):
    morceaux = token.split_contents()
    if len(morceaux) < 2 or morceaux[1][0] not in "\"'" or morceaux[1][-1] != morceaux[1][0]:
        raise template.TemplateSyntaxError('{% fige "nom" [clé…] %} takes a quoted name first')
    cles = [parser.compile_filter(m) for m in morceaux[2:]]
    nodelist = parser.parse(("endfige",))
    parser.delete_first_token()
    return FigeNode(morceaux[1][1:-1], cles, nodelist)


@register.tag
def vif(parser, token):
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% vif %} takes no argument")
    nodelist = parser.parse(("endvif",))
    parser.delete_first_token()
    return VifNode(nodelist)
