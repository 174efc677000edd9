"""The pages' CSRF token (`{% csrf_token %}`), masked with one read of the system's random source.

Django masks the secret afresh for each response (so that compression cannot reveal it,
BREACH) with a mask drawn one character at a time from random.SystemRandom: 32 reads of
os.urandom and ~35 µs per logged-in page, whose header holds the logout form. Here the mask
is drawn from one os.urandom read: bytes below 248 (4 × 62) map evenly onto the 62 allowed
characters, the others are dropped, so each character is as uniform as Django's. The token is
Django's format, checked by its CsrfViewMiddleware; a request with no secret yet goes through
Django's get_token, which makes one and sets its cookie.
"""

import os

from django.middleware import csrf as csrf_django
from django.utils.functional import SimpleLazyObject

_CARACTERES = csrf_django.CSRF_ALLOWED_CHARS
_TAILLE = len(_CARACTERES)
_LONGUEUR = csrf_django.CSRF_SECRET_LENGTH
_RANG = {c: i for i, c in enumerate(_CARACTERES)}
_SOUS = 256 - 256 % _TAILLE  # bytes at or above it would favour the first characters


def _masque() -> list[int]:
    rangs: list[int] = []
    while len(rangs) < _LONGUEUR:  # 48 bytes give 46.5 usable on average: rarely twice
        rangs.extend(octet % _TAILLE for octet in os.urandom(48) if octet < _SOUS)
    return rangs[:_LONGUEUR]


def masquer(secret: str) -> str:
    """As django.middleware.csrf._mask_cipher_secret: the mask, then the secret shifted by it."""
    masque = _masque()
    return "".join(_CARACTERES[m] for m in masque) + "".join(
        _CARACTERES[(_RANG[c] + m) % _TAILLE] for c, m in zip(secret, masque, strict=True)
    )


def jeton(request) -> str:
    if "CSRF_COOKIE" not in request.META:
        return csrf_django.get_token(request)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # as get_token: the cookie's expiry renewed
    return masquer(request.META["CSRF_COOKIE"])


def csrf(request):
    """Context processor standing in for Django's built-in one, listed after it."""
    return {"csrf_token": SimpleLazyObject(lambda: jeton(request))}
