"""Control characters in a URL or a cookie are refused before anything reads them.

PostgreSQL refuses NUL in text: a `%00` in a path segment, a query parameter (the admin's
`?etat__exact=%00`) or the session cookie would reach a query and answer 500. No address
of the portal holds a control character, so one check at the door answers 400 for all of
them; the path converters (`permis/convertisseurs.py`) then only match well-formed values.
Form fields sent by POST are left to the forms, which say so next to the field
(Django's CharField refuses NUL) and keep what was typed.
"""

import logging
import re

from django.core.exceptions import SuspiciousOperation
from django.urls import get_resolver

logger = logging.getLogger("django.security.CaractereDeControle")

CARACTERES_CONTROLE = re.compile(r"[\x00-\x1f\x7f]")


class CaractereDeControle(SuspiciousOperation):
    pass


def contient_caractere_de_controle(request) -> bool:
    # request.path holds path_info but for its leading slash.
    if CARACTERES_CONTROLE.search(request.path):
        return True
    # Decoded, the query string only gains a character through a %-escape, and a cookie
    # through a backslash escape (http.cookies' unquoting): without either, and without one in
    # the raw text, neither can hold one, and they need not be parsed to be sure.
    requete = request.META.get("QUERY_STRING", "")
    if "%" in requete or CARACTERES_CONTROLE.search(requete):
        for cle, valeurs in request.GET.lists():
            if CARACTERES_CONTROLE.search(cle) or any(
                CARACTERES_CONTROLE.search(v) for v in valeurs
            ):
                return True
    cookies = request.META.get("HTTP_COOKIE", "")
    if "\\" not in cookies and not CARACTERES_CONTROLE.search(cookies):
        return False
    return any(
        CARACTERES_CONTROLE.search(cle) or CARACTERES_CONTROLE.search(valeur)
        for cle, valeur in request.COOKIES.items()
    )


class RefusCaracteresDeControleMiddleware:
    """First after SecurityMiddleware: before the session, the user or any view is loaded."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if contient_caractere_de_controle(request):
            # A probe, not a fault: a warning (no traceback), and the site's 400 page.
            logger.warning("Caractère de contrôle refusé : %s %r", request.method, request.path)
            erreur = CaractereDeControle("Caractère de contrôle dans l'adresse ou un cookie.")
            return get_resolver().resolve_error_handler(400)(request, exception=erreur)
        return self.get_response(request)
