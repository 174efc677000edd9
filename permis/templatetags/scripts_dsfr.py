"""`{% dsfr_js_garde nonce=… %}`: django-dsfr's `{% dsfr_js nonce=… %}`, rendered once per process.

Its two <script> tags change from one page to the next by the CSP nonce alone, yet dsfr_js
renders a template and two {% static %} on every page (a tenth of a millisecond). Here the
tag is rendered once with a mark where the nonce goes, and each page puts its nonce there,
escaped as the template escapes it. Without a nonce (none read yet) the template leaves the
attribute out: that render is kept apart.
"""

from django import template
from django.template import engines
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from permis.rendus_gardes import RendusGardes

register = template.Library()

_RENDUS = RendusGardes(taille=2)
_MARQUE = "NONCE-DU-GABARIT"  # letters and dashes: escaping leaves it as it is


def _rendre(nonce: str) -> tuple[str, ...]:
    gabarit = engines["django"].from_string("{% load dsfr_tags %}{% dsfr_js nonce=nonce %}")
    return tuple(gabarit.render({"nonce": nonce}).split(_MARQUE))


@register.simple_tag
def dsfr_js_garde(nonce=None) -> str:
    if not nonce:  # as dsfr's {% if self.nonce %}: an unread csp_nonce is false
        return SafeString(_RENDUS.obtenir(False, lambda: _rendre(""))[0])
    morceaux = _RENDUS.obtenir(True, lambda: _rendre(_MARQUE))
    return SafeString(conditional_escape(str(nonce)).join(morceaux))
