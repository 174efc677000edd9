"""The pages' CSRF token (`{% csrf_token %}`), masked with one read of the system's random source.

Django masks the secret afresh for each response (so that compression cannot reveal it,
BREACH) with a mask drawn one character at a time from random.SystemRandom: 32 reads of
os.urandom and ~35 µs per logged-in page, whose header holds the logout form. Here the mask
is drawn from one os.urandom read: bytes below 248 (4 × 62) map evenly onto the 62 allowed
characters, the others are dropped, so each character is as uniform as Django's; the ranks are
mapped, added and written back as characters by bytes.translate, not one by one in Python.
The token is Django's format, checked by its CsrfViewMiddleware; a request with no secret yet
goes through Django's get_token, which makes one and sets its cookie.

Django's get_token also sends the cookie again with every page that shows a token, to push
its expiry back: on every logged-in page, a Set-Cookie built and sent for a value the browser
holds. Here a cookie already there is not sent again: it lasts CSRF_COOKIE_AGE (a year) from
when it was made, at login (which makes a new one, rotate_token) or at the first form seen;
a request that comes without it gets a new one as before. The page still says `Vary: Cookie`
(CsrfViewMiddleware below), since it holds a token made from the cookie.
"""

import operator
import os

from django.middleware import csrf as csrf_django
from django.utils.functional import SimpleLazyObject

from permis.entetes import ajouter_a_vary

_CARACTERES = csrf_django.CSRF_ALLOWED_CHARS
_TAILLE = len(_CARACTERES)
_LONGUEUR = csrf_django.CSRF_SECRET_LENGTH
_SOUS = 256 - 256 % _TAILLE  # bytes at or above it would favour the first characters
_REJETES = bytes(range(_SOUS, 256))
_OCTET_VERS_RANG = bytes(octet % _TAILLE for octet in range(256))
_CARACTERE_VERS_RANG = bytes(
    _CARACTERES.index(chr(octet)) if chr(octet) in _CARACTERES else 0 for octet in range(256)
)
# A rank, or the sum of two (below 2 × 62), to the character of its rank modulo 62.
_RANG_VERS_CARACTERE = (_CARACTERES * 2).encode("ascii").ljust(256, b"\0")

_JETON_MONTRE = "PERMIS_CSRF_JETON_MONTRE"  # request.META: a token from the cookie is on the page


def _masque() -> bytes:
    """The mask's 32 ranks (0 to 61)."""
    rangs = b""
    while len(rangs) < _LONGUEUR:  # 48 bytes give 46.5 usable on average: rarely twice
        rangs += os.urandom(48).translate(_OCTET_VERS_RANG, _REJETES)
    return rangs[:_LONGUEUR]


def masquer(secret: str) -> str:
    """As django.middleware.csrf._mask_cipher_secret: the mask, then the secret shifted by it."""
    masque = _masque()
    secret_rangs = secret.encode("ascii").translate(_CARACTERE_VERS_RANG)
    if len(secret_rangs) != _LONGUEUR:
        raise ValueError("a CSRF secret has 32 characters")
    decale = bytes(map(operator.add, secret_rangs, masque))
    return (masque + decale).translate(_RANG_VERS_CARACTERE).decode("ascii")


def jeton(request) -> str:
    if "CSRF_COOKIE" not in request.META:
        return csrf_django.get_token(request)
    request.META[_JETON_MONTRE] = True
    return masquer(request.META["CSRF_COOKIE"])


def csrf(request):
    """Context processor standing in for Django's built-in one, listed after it."""
    return {"csrf_token": SimpleLazyObject(lambda: jeton(request))}


class CsrfViewMiddleware(csrf_django.CsrfViewMiddleware):
    """Django's, with `Vary: Cookie` on a page that shows a token from a cookie not sent again."""

    def process_response(self, request, response):
        if request.META.get(_JETON_MONTRE) and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            ajouter_a_vary(response, "Cookie")
        return super().process_response(request, response)
