"""permis/entetes.py: the fixed security headers written at once, as Django's
SecurityMiddleware, XFrameOptionsMiddleware and django-permissions-policy's middleware did."""

import pytest
from django.http import HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.security import SecurityMiddleware
from django.test import RequestFactory, override_settings
from django.views.decorators.clickjacking import xframe_options_exempt
from django_permissions_policy import PermissionsPolicyMiddleware
from whitenoise.middleware import WhiteNoiseFileResponse

from permis import entetes


def _vue(reponse):
    return lambda request: reponse


def _par_django(request, reponse):
    """What the three middlewares wrote, in their former order (innermost first)."""
    reponse = PermissionsPolicyMiddleware(_vue(reponse))(request)
    reponse = XFrameOptionsMiddleware(_vue(reponse))(request)
    return SecurityMiddleware(_vue(reponse))(request)


def _par_entetes(request, reponse):
    return entetes.EntetesMiddleware(_vue(reponse))(request)


def _entetes(reponse) -> dict:
    return dict(sorted(reponse.items()))


@pytest.mark.parametrize("https", [False, True])
@override_settings(
    SECURE_HSTS_SECONDS=3600, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_HSTS_PRELOAD=True
)
def test_the_same_headers_as_djangos_middlewares(https):
    request = RequestFactory().get("/", secure=https)
    attendu = _entetes(_par_django(request, HttpResponse("x")))
    assert _entetes(_par_entetes(request, HttpResponse("x"))) == attendu
    assert ("Strict-Transport-Security" in attendu) is https
    assert {"X-Frame-Options", "Permissions-Policy", "Referrer-Policy"} <= attendu.keys()


def _reponses_particulieres():
    deja = HttpResponse("x")
    deja["X-Frame-Options"] = "SAMEORIGIN"
    deja["Referrer-Policy"] = "no-referrer"
    deja["Strict-Transport-Security"] = "max-age=1"
    yield deja
    yield xframe_options_exempt(lambda request: HttpResponse("x"))(None)
    propre = HttpResponse("x")
    propre._permissions_policy_override = "camera=(self)"
    propre._permissions_policy_report_only_override = "geolocation=()"
    yield propre
    sans = HttpResponse("x")
    sans._permissions_policy_override = ""
    yield sans


@pytest.mark.parametrize("rang", range(4))
@override_settings(SECURE_HSTS_SECONDS=3600)
def test_what_a_view_set_or_asked_for_is_kept_as_django_did(rang):
    request = RequestFactory().get("/", secure=True)
    attendu = _entetes(_par_django(request, list(_reponses_particulieres())[rang]))
    assert _entetes(_par_entetes(request, list(_reponses_particulieres())[rang])) == attendu


def test_a_static_file_gets_what_securitymiddleware_gave_it():
    request = RequestFactory().get("/static/dsfr.css")
    fichier = _par_entetes(request, WhiteNoiseFileResponse(b"x"))
    assert _entetes(fichier) == _entetes(
        SecurityMiddleware(_vue(WhiteNoiseFileResponse(b"x")))(request)
    )
    assert "X-Frame-Options" not in fichier and "Permissions-Policy" not in fichier


def test_a_changed_setting_is_written():
    request = RequestFactory().get("/")
    with override_settings(X_FRAME_OPTIONS="sameorigin", SECURE_REFERRER_POLICY="no-referrer"):
        reponse = _par_entetes(request, HttpResponse("x"))
    assert reponse["X-Frame-Options"] == "SAMEORIGIN"
    assert reponse["Referrer-Policy"] == "no-referrer"
    assert _par_entetes(request, HttpResponse("x"))["X-Frame-Options"] == "DENY"


def test_a_response_that_never_reaches_the_view_gets_every_header(client):
    reponse = client.get("/%00")  # refused by permis/controle_url.py, before the session
    assert reponse.status_code == 400
    assert reponse["X-Frame-Options"] == "DENY"
    assert "camera=()" in reponse["Permissions-Policy"]
    assert reponse["X-Content-Type-Options"] == "nosniff"


def test_djangos_deployment_checks_still_see_the_replaced_middlewares(settings):
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_CONTENT_TYPE_NOSNIFF = True
    trouves = {message.id for message in entetes.verifier_comme_django(None)}
    assert not {"security.W004", "security.W006"} & trouves
    settings.SECURE_HSTS_SECONDS = 0
    settings.SECURE_CONTENT_TYPE_NOSNIFF = False
    trouves = {message.id for message in entetes.verifier_comme_django(None)}
    assert {"security.W004", "security.W006"} <= trouves
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "permis.entetes.EntetesMiddleware"
    ]
    assert [m.id for m in entetes.verifier_comme_django(None)] == ["permis.W010"]


@pytest.mark.parametrize(
    "avant",
    [
        None,
        "Cookie",
        "cookie",
        "Accept-Language",
        " Cookie ",
        "*",
        "Cookie, Origin",
        "Origin,Cookie",
    ],
)
@pytest.mark.parametrize("nom", ["Cookie", "Accept-Language", "*"])
def test_a_name_added_to_vary_gives_django_s_header(avant, nom):
    from django.http import HttpResponse
    from django.utils.cache import patch_vary_headers

    from permis.entetes import ajouter_a_vary

    ici, django = HttpResponse(), HttpResponse()
    if avant is not None:
        ici["Vary"] = django["Vary"] = avant
    ajouter_a_vary(ici, nom)
    patch_vary_headers(django, (nom,))
    assert ici.headers._store["vary"] == django.headers._store["vary"]
