"""The Content-Security-Policy header built once per process: the same header as django-csp's."""

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.decorators import csp_exempt, csp_update
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware as CSPMiddlewareDjangoCsp
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from permis.csp_entete import CSPMiddleware


def _entetes(middleware_classe, vue, lire_le_nonce: bool):
    """(CSP header, report-only header, the nonce) of one response through the middleware."""
    requete = RequestFactory().get("/")
    middleware = middleware_classe(lambda r: vue(r))
    middleware.process_request(requete)
    nonce = str(requete.csp_nonce) if lire_le_nonce else None
    reponse = middleware.process_response(requete, vue(requete))
    return reponse.get(HEADER), reponse.get(HEADER_REPORT_ONLY), nonce, requete


def _memes_entetes(vue, lire_le_nonce: bool):
    notre = _entetes(CSPMiddleware, vue, lire_le_nonce)
    sien = _entetes(CSPMiddlewareDjangoCsp, vue, lire_le_nonce)
    attendu = sien[0].replace(sien[2], notre[2]) if lire_le_nonce and sien[0] else sien[0]
    assert notre[:2] == (attendu, sien[1])
    return notre


def _page(request):
    return HttpResponse("ok")


@pytest.mark.parametrize("lire_le_nonce", [True, False])
def test_the_kept_header_is_django_csp_s(lire_le_nonce):
    entete, _, nonce, requete = _memes_entetes(_page, lire_le_nonce)
    assert ("'nonce-" in entete) == lire_le_nonce
    if lire_le_nonce:
        assert entete.count(f"'nonce-{nonce}'") == 2  # script-src and style-src
    else:
        with pytest.raises(CSPNonceError):  # read after the header was written: refused
            str(requete.csp_nonce)


def test_each_response_has_its_own_nonce():
    premier = _entetes(CSPMiddleware, _page, True)
    second = _entetes(CSPMiddleware, _page, True)
    assert premier[2] != second[2] and premier[2] not in second[0]


def test_a_view_s_own_policy_and_exemption_are_django_csp_s():
    entete = _memes_entetes(csp_update({"img-src": "https://tuiles.exemple.fr"})(_page), True)[0]
    assert "https://tuiles.exemple.fr" in entete
    assert _memes_entetes(csp_exempt()(_page), True)[0] is None


def test_a_setting_changed_is_followed():
    avant = _memes_entetes(_page, False)[0]
    with override_settings(
        CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'self'"]}},
        CONTENT_SECURITY_POLICY_REPORT_ONLY={"DIRECTIVES": {"default-src": ["'none'"]}},
    ):
        entete, rapport, _, _ = _memes_entetes(_page, False)
        assert entete == "default-src 'self'" and rapport == "default-src 'none'"
    assert _memes_entetes(_page, False)[0] == avant
