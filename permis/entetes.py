"""The fixed security headers of every response, written in one pass.

Django's SecurityMiddleware (HSTS, nosniff, Referrer-Policy, Cross-Origin-Opener-Policy),
XFrameOptionsMiddleware and django-permissions-policy's middleware each set their headers one
by one through HttpResponse's checks (the name and the value encoded and searched for a line
break at each response), two more layers of middleware around every request, for values that
only change with the settings. Here they are checked once (by Django's own ResponseHeaders)
and written straight into the response's headers, under the same rules: a header the view set
is kept, @xframe_options_exempt and django-permissions-policy's per-response overrides are
honoured (Permissions-Policy replaces any, as django-permissions-policy does), HSTS only over
HTTPS. SecurityMiddleware's redirect to HTTPS is unchanged.

This middleware stands where SecurityMiddleware stood: the responses that do not reach the
view (a redirect of CommonMiddleware, the 400 of permis/controle_url.py) now get
X-Frame-Options and Permissions-Policy too; WhiteNoise's static files get what they got
(SecurityMiddleware's headers only).
"""

import functools

from django.conf import settings
from django.core import checks
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http.response import ResponseHeaders
from django.middleware.security import SecurityMiddleware
from django.utils.cache import patch_vary_headers
from django_permissions_policy import PermissionsPolicyMiddleware
from whitenoise.middleware import WhiteNoiseFileResponse

_ENTETES: dict[str, tuple] = {}  # what the current settings write, built at first use


@functools.lru_cache(maxsize=16)
def _paire(nom: str, valeur: str) -> tuple[str, str]:
    """The header as HttpResponse would store it, checked once per value."""
    return ResponseHeaders({nom: valeur})._store[nom.lower()]


def ajouter_a_vary(response, nom: str) -> None:
    """django.utils.cache.patch_vary_headers(response, (nom,)), the same header, without its
    regular expression and header checks while Vary names one header at most: the portal's
    middlewares add theirs one at a time (the CSRF token's Cookie, then Accept-Language)."""
    entetes = response.headers._store
    actuel = entetes.get("vary")
    if actuel is None:
        entetes["vary"] = _paire("Vary", nom)
        return
    valeur = actuel[1]
    if "," in valeur:
        patch_vary_headers(response, (nom,))
    elif valeur.lower() != nom.lower():
        entetes["vary"] = _paire("Vary", "*" if "*" in (valeur, nom) else f"{valeur}, {nom}")


def _entetes() -> tuple:
    """(SecurityMiddleware's headers, X-Frame-Options, HSTS) as (lower name, (name, value))
    pairs, checked by ResponseHeaders as HttpResponse would."""
    try:
        return _ENTETES["valeurs"]
    except KeyError:
        pass
    fixes = ResponseHeaders({})
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        fixes["X-Content-Type-Options"] = "nosniff"
    politique = settings.SECURE_REFERRER_POLICY
    if politique:
        fixes["Referrer-Policy"] = ",".join(
            [v.strip() for v in politique.split(",")] if isinstance(politique, str) else politique
        )
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        fixes["Cross-Origin-Opener-Policy"] = settings.SECURE_CROSS_ORIGIN_OPENER_POLICY
    autres = ResponseHeaders({})
    autres["X-Frame-Options"] = getattr(settings, "X_FRAME_OPTIONS", "DENY").upper()
    if settings.SECURE_HSTS_SECONDS:
        hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            hsts += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            hsts += "; preload"
        autres["Strict-Transport-Security"] = hsts
    valeurs = (
        tuple(fixes._store.items()),
        ("x-frame-options", autres._store["x-frame-options"]),
        autres._store.get("strict-transport-security"),
    )
    _ENTETES["valeurs"] = valeurs
    return valeurs


@receiver(setting_changed)
def _oublier(**kwargs) -> None:
    _ENTETES.clear()


class EntetesMiddleware(SecurityMiddleware):
    def __init__(self, get_response):
        super().__init__(get_response)
        # django-permissions-policy's own, for its header values kept up to date.
        self.permissions = PermissionsPolicyMiddleware(get_response)

    def process_response(self, request, response):
        fixes, (_, xfo), hsts = _entetes()
        entetes = response.headers._store
        if hsts is not None and "strict-transport-security" not in entetes and request.is_secure():
            entetes["strict-transport-security"] = hsts
        for cle, entete in fixes:
            if cle not in entetes:
                entetes[cle] = entete
        if isinstance(response, WhiteNoiseFileResponse):
            return response
        if "x-frame-options" not in entetes and not getattr(
            response, "xframe_options_exempt", False
        ):
            entetes["x-frame-options"] = xfo
        permissions = self.permissions
        if hasattr(response, "_permissions_policy_override"):
            if response._permissions_policy_override:
                response["Permissions-Policy"] = response._permissions_policy_override
        elif valeur := permissions.permissions_policy:
            entetes["permissions-policy"] = _paire("Permissions-Policy", valeur)
        if hasattr(response, "_permissions_policy_report_only_override"):
            if response._permissions_policy_report_only_override:
                response["Permissions-Policy-Report-Only"] = (
                    response._permissions_policy_report_only_override
                )
        elif valeur := permissions.permissions_policy_report_only:
            entetes["permissions-policy-report-only"] = _paire(
                "Permissions-Policy-Report-Only", valeur
            )
        return response


# Django's deployment checks find its middlewares by their dotted paths in MIDDLEWARE: for
# the ones replaced here, its checks run again with Django's paths in their place (registered
# by permis/apps.py; its "not in MIDDLEWARE" warnings, security.W001 to W003, are silenced in
# the settings).
_DE_DJANGO = {
    "permis.entetes.EntetesMiddleware": (
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ),
    "permis.jeton_csrf.CsrfViewMiddleware": ("django.middleware.csrf.CsrfViewMiddleware",),
}
_ABSENT = checks.Warning(
    "Neither permis.entetes.EntetesMiddleware nor Django's SecurityMiddleware, "
    "XFrameOptionsMiddleware and CsrfViewMiddleware are all in MIDDLEWARE.",
    id="permis.W010",
)


def verifier_comme_django(app_configs, **kwargs):
    from django.core.checks.security import base, csrf
    from django.test.utils import override_settings

    comme_django = [d for m in settings.MIDDLEWARE for d in _DE_DJANGO.get(m, (m,))]
    if not {d for ds in _DE_DJANGO.values() for d in ds} <= set(comme_django):
        return [_ABSENT]
    verifications = (
        base.check_sts,
        base.check_sts_include_subdomains,
        base.check_sts_preload,
        base.check_content_type_nosniff,
        base.check_ssl_redirect,
        base.check_xframe_deny,
        base.check_referrer_policy,
        base.check_cross_origin_opener_policy,
        csrf.check_csrf_cookie_secure,
    )
    with override_settings(MIDDLEWARE=comme_django):
        return [message for verifier in verifications for message in verifier(app_configs)]
