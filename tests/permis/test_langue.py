"""The single-language LocaleMiddleware: the language, request.LANGUAGE_CODE and the headers
Django's own LocaleMiddleware gives, whatever the browser asks; Django's work with two."""

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware as LocaleMiddlewareDjango
from django.test import RequestFactory, override_settings
from django.utils import translation

from permis.langue import LocaleMiddleware

DEMANDES = [
    {},
    {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"},
    {"HTTP_ACCEPT_LANGUAGE": "fr-CA,fr;q=0.9,en;q=0.8"},
    {"HTTP_ACCEPT_LANGUAGE": "de"},
    {"HTTP_COOKIE": f"{settings.LANGUAGE_COOKIE_NAME}=en"},
]


def _passage(classe, entetes, chemin="/", vary=None, langue_de_la_vue=None):
    requete = RequestFactory().get(chemin, **entetes)

    def vue(requete):
        reponse = HttpResponse("x")
        if vary:
            reponse["Vary"] = vary
        if langue_de_la_vue:
            translation.activate(langue_de_la_vue)
        return reponse

    with translation.override(None):
        reponse = classe(vue)(requete)
        active = translation.get_language()
    return (
        requete.LANGUAGE_CODE,
        active,
        reponse.get("Vary"),
        reponse.get("Content-Language"),
        reponse.status_code,
    )


@pytest.mark.parametrize("entetes", DEMANDES)
@pytest.mark.parametrize("chemin", ["/", "/en/", "/fr/compte/login/"])
def test_the_one_language_and_the_headers_are_djangos(entetes, chemin):
    assert _passage(LocaleMiddleware, entetes, chemin) == _passage(
        LocaleMiddlewareDjango, entetes, chemin
    )
    assert _passage(LocaleMiddleware, entetes, chemin)[:2] == ("fr", "fr")


def test_a_vary_of_the_view_and_a_language_it_activates_are_kept_as_by_django():
    for classe in (LocaleMiddleware, LocaleMiddlewareDjango):
        assert _passage(classe, {}, vary="Cookie", langue_de_la_vue="en")[2:4] == (
            "Cookie, Accept-Language",
            "en",
        )


@override_settings(LANGUAGES=[("fr", "Français"), ("en", "English")])
@pytest.mark.parametrize("entetes", DEMANDES)
def test_with_two_languages_the_browser_chooses_as_with_django(entetes):
    assert _passage(LocaleMiddleware, entetes) == _passage(LocaleMiddlewareDjango, entetes)
    assert _passage(LocaleMiddleware, {"HTTP_ACCEPT_LANGUAGE": "en"})[:2] == ("en", "en")
