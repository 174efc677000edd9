"""django-csp's middleware, with the Content-Security-Policy header built once per process.

django-csp builds the header from the settings at every response (each directive copied,
deduplicated and joined, then again for the report-only header), though only the nonce
changes from one response to the next. Here it is built once with a mark in the nonce's
place; a response with a policy of its own (@csp_update, @csp_replace, @csp_exempt…), a
report-only policy or excluded prefixes go through django-csp itself, as before.
"""

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as CSPMiddlewareDjangoCsp
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# What django-csp's decorators set on a response.
_POLITIQUE_PROPRE = tuple(
    f"_csp_{quoi}{ro}" for quoi in ("config", "update", "replace", "exempt") for ro in ("", "_ro")
)
_MARQUE = "NONCE-DE-LA-POLITIQUE"  # no directive holds it; base64 nonces cannot either
_POLITIQUES: dict[bool, str] = {}


def _politique(avec_nonce: bool) -> str:
    try:
        return _POLITIQUES[avec_nonce]
    except KeyError:
        politique = _POLITIQUES[avec_nonce] = build_policy(nonce=_MARQUE if avec_nonce else None)
        return politique


def _particuliere(response) -> bool:
    """Whether the header needs django-csp's own work for this response."""
    return (
        any(hasattr(response, attribut) for attribut in _POLITIQUE_PROPRE)
        or HEADER in response
        or bool(getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None))
        or bool(
            (getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}).get("EXCLUDE_URL_PREFIXES")
        )
        or (settings.DEBUG and response.status_code in (404, 500))
    )


class CSPMiddleware(CSPMiddlewareDjangoCsp):
    def process_response(self, request, response):
        if _particuliere(response):
            return super().process_response(request, response)
        nonce = getattr(request, "_csp_nonce", None)
        if politique := _politique(bool(nonce)):
            response[HEADER] = politique.replace(_MARQUE, nonce) if nonce else politique
        if nonce is None:  # as django-csp: a nonce read after the header was written is refused
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


@receiver(setting_changed)
def _oublier(**kwargs) -> None:
    _POLITIQUES.clear()
