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

A whole page can be kept the same way (`en_morceaux`, used by permis/pages_gardees.py): its
holes are its `{% vif %}`s, and the fragments inside it are rendered inline, their keys noted
so that each use of the page checks them again.

`{% fige_en_tete %}…{% endfige_en_tete %}` keeps the header the same way, its key read in
Python (`cle_de_l_en_tete`) rather than through the template's lookups, which cost ~10 µs
each on the lazy user; the key holds the current URL's name and app_name, so the menu's
current item is part of the kept HTML instead of a hole per item.
"""

from contextvars import ContextVar

from django import template
from django.utils.safestring import SafeString

from permis.gabarits import langue_du_rendu
from permis.rendus_gardes import RendusGardes

register = template.Library()

# Bounds per process: a kept header is a few kB, a kept instruction body ~17 kB with its key
# (~35 MB when its store is full).
_FRAGMENTS = RendusGardes(taille=2000)
# The headers apart (one per account and page visited), so that they do not push out the rest.
_EN_TETES = RendusGardes(taille=2000)
# The holes met while a fragment is rendered to be kept; None when none is being rendered.
_TROUS: ContextVar[list | None] = ContextVar("trous_du_fragment", default=None)
_MARQUE = "\x00"  # no template writes a NUL: it marks where a hole's HTML goes
# While a whole page is kept: the fragments met, with their keys; None otherwise.
_IMBRIQUES: ContextVar[list | None] = ContextVar("fragments_de_la_page", default=None)


def _trou(noeud: template.Node) -> str | None:
    """While a fragment is rendered to be kept: the mark standing for this live part."""
    trous = _TROUS.get()
    if trous is None:
        return None
    trous.append(noeud)
    return f"{_MARQUE}{len(trous) - 1}{_MARQUE}"


class FigeNode(template.Node):
    magasin = _FRAGMENTS

    def __init__(self, nom: str, cles: list, nodelist: template.NodeList):
        self.nom = nom
        self.cles = cles
        self.avec_cles = bool(cles)
        self.nodelist = nodelist

    def cle(self, context) -> tuple:
        return (self.nom, langue_du_rendu(context), *(c.resolve(context) for c in self.cles))

    def render(self, context) -> str:
        imbriques = _IMBRIQUES.get()
        if imbriques is not None:  # inside a page being kept: part of it, under its key
            cle = self.cle(context) if self.avec_cles else None  # (name, language: the page's)
            if cle is None or None not in cle:
                if cle is not None:
                    imbriques.append((self, cle))
                with context.push():
                    return self.nodelist.render(context)
            # a key of None (rendered live): a hole of the page
        marque = _trou(self)
        if marque is not None:
            return marque
        cle = self.cle(context)
        if any(valeur is None for valeur in cle):
            return self.nodelist.render(context)  # a key of None: rendered live, kept not
        morceaux = self.magasin.obtenir(cle, lambda: self._garder(context))
        if len(morceaux) == 1:
            return morceaux[0]
        return SafeString("".join(m if isinstance(m, str) else m.vivant(context) for m in morceaux))

    def _garder(self, context) -> tuple:
        def rendre():
            with context.push():
                return self.nodelist.render(context)

        return _decouper(rendre)

    def vivant(self, context) -> str:
        return self.render(context)


def cle_de_l_en_tete(context) -> tuple:
    """What partials/header.html reads of the page: whether the user is logged in, then their
    name and roles, and the URL's name and app_name (its menu's current item)."""
    user = context.get("user")
    if getattr(user, "is_authenticated", False):
        compte = (True, user.get_full_name() or user.username, user.roles)
    else:
        compte = (False,)
    url = getattr(context.get("request"), "resolver_match", None)
    page = (url.url_name or "", url.app_name) if url is not None else ("", "")
    return (*compte, *page)


class FigeEnTeteNode(FigeNode):
    magasin = _EN_TETES

    def __init__(self, nodelist: template.NodeList):
        super().__init__("en-tête", [], nodelist)
        self.avec_cles = True

    def cle(self, context) -> tuple:
        return (self.nom, langue_du_rendu(context), *cle_de_l_en_tete(context))


def _decouper(rendre) -> tuple:
    """`rendre()`'s HTML as text and the holes met while rendering it, in order."""
    trous: list[template.Node] = []
    jeton = _TROUS.set(trous)
    try:
        html = rendre()
    finally:
        _TROUS.reset(jeton)
    # "a\x000\x00b" → ["a", "0", "b"]: text, then the index of a hole, then text…
    morceaux = html.split(_MARQUE)
    return tuple(SafeString(m) if i % 2 == 0 else trous[int(m)] for i, m in enumerate(morceaux))


def en_morceaux(rendre) -> tuple[tuple, tuple]:
    """A whole page to keep: `rendre()`'s HTML cut at its holes, as `{% fige %}` keeps a
    fragment, and the fragments with keys inside it (rendered inline) with the keys they had."""
    imbriques: list = []
    jeton = _IMBRIQUES.set(imbriques)
    try:
        morceaux = _decouper(rendre)
    finally:
        _IMBRIQUES.reset(jeton)
    return morceaux, tuple(imbriques)


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
def fige_en_tete(parser, token):
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% fige_en_tete %} takes no argument")
    nodelist = parser.parse(("endfige_en_tete",))
    parser.delete_first_token()
    return FigeEnTeteNode(nodelist)


@register.tag
def vif(parser, token):
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% vif %} takes no argument")
    nodelist = parser.parse(("endvif",))
    parser.delete_first_token()
    return VifNode(nodelist)
