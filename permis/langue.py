"""Django's LocaleMiddleware, without choosing among languages when the portal speaks one.

LocaleMiddleware reads the language cookie and parses Accept-Language on every request, and
looks for a language prefix in the path twice, only to land on the one language of LANGUAGES
whatever the browser asks (about 25 µs of CPU per request). With a single language and no
i18n_patterns, that language is activated at once; the response gets the same headers as from
Django's (Vary: Accept-Language, Content-Language of the language active at the end). With
more languages or prefixed URLs, Django's middleware does its own work.
"""

import functools

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware.locale import LocaleMiddleware as LocaleMiddlewareDjango
from django.utils import translation

from permis.entetes import ajouter_a_vary


@functools.cache
def _langue_unique(urlconf: str) -> str | None:
    """The language every request gets, or None when the request decides."""
    if len(settings.LANGUAGES) != 1 or is_language_prefix_patterns_used(urlconf)[0]:
        return None
    try:  # as the end of translation.get_language_from_request
        return translation.get_supported_language_variant(settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


class LocaleMiddleware(LocaleMiddlewareDjango):
    def process_request(self, request):
        langue = _langue_unique(getattr(request, "urlconf", settings.ROOT_URLCONF))
        if langue is None:
            return super().process_request(request)
        translation.activate(langue)
        request.LANGUAGE_CODE = langue
        return None

    def process_response(self, request, response):
        if _langue_unique(getattr(request, "urlconf", settings.ROOT_URLCONF)) is None:
            return super().process_response(request, response)
        ajouter_a_vary(response, "Accept-Language")
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


@receiver(setting_changed)
def _oublier(setting, **kwargs) -> None:
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "ROOT_URLCONF"}:
        _langue_unique.cache_clear()
