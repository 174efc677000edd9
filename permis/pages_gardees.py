"""A whole page rendered once per process for the visitors it is the same for: `PagesGardees`.

The blank anonymous login, sign-up and tracking pages are the same HTML for every visitor but
for a few live parts, each in a `{% vif %}` (the CSRF token, `next`, the messages, the CSP
nonce, the form's action). Their view asks this store for the page: the first time, the page
is rendered by its own full view (allauth's, with its whole context) and its HTML cut at those
holes, the fragments inside it rendered inline with the keys they had
(permis/templatetags/fragments.py, `en_morceaux`). Then each request renders only the holes,
with the request's context (the context processors) and the few values the view gives, once
each inner fragment's key is checked to be still the one it was kept under (else the page is
rendered in full by its view, as before). What the page shows outside its holes must depend
on nothing but its key: the view calls this store only for the visitors it is the same for.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpResponse
from django.template import Template
from django.template.context import make_context
from django.template.response import TemplateResponse
from django.utils.translation import get_language

from permis.rendus_gardes import RendusGardes
from permis.templatetags.fragments import en_morceaux


@dataclass(frozen=True)
class _Page:
    gabarit: Template  # its holes are rendered as part of it ({% include %} reads its engine)
    morceaux: tuple  # text, and the holes' nodes
    imbriques: tuple  # (fragment's node, the key it was rendered under)


class _Complete(Exception):
    """The full view did not answer with a page to keep (a redirect, a refusal…)."""

    def __init__(self, reponse):
        self.reponse = reponse


class PagesGardees:
    def __init__(self, taille: int):
        self._pages = RendusGardes(taille)

    def reponse(
        self, request, cle, trous: dict, vue_complete: Callable[[], HttpResponse]
    ) -> HttpResponse:
        """The page kept for `cle` with its holes rendered for `request` (`trous`: the values
        they read besides the context processors'). `vue_complete()` answers with the page's
        TemplateResponse, not yet rendered: it is kept the first time, and answers whenever
        a fragment's key inside the page is no longer the kept one."""
        try:
            page = self._pages.obtenir((cle, get_language() or ""), lambda: _garder(vue_complete))
        except _Complete as complete:
            return complete.reponse
        contexte = make_context(trous, request)
        with contexte.render_context.push_state(page.gabarit), contexte.bind_template(page.gabarit):
            if any(noeud.cle(contexte) != cle for noeud, cle in page.imbriques):
                return vue_complete()
            html = "".join(m if isinstance(m, str) else m.vivant(contexte) for m in page.morceaux)
        return HttpResponse(html)


def _garder(vue_complete: Callable[[], HttpResponse]) -> _Page:
    reponse = vue_complete()
    if not isinstance(reponse, TemplateResponse) or reponse.status_code != 200:
        raise _Complete(reponse)
    gabarit = reponse.resolve_template(reponse.template_name).template
    morceaux, imbriques = en_morceaux(lambda: reponse.rendered_content)
    return _Page(gabarit, morceaux, imbriques)
