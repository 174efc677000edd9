"""permis/context_processors.py: what every page reads of the service, built once, and again
when a setting changes."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from permis import context_processors

pytestmark = pytest.mark.django_db


def test_the_service_s_name_follows_its_setting(client, settings):
    assert (
        f"– {settings.PERMIS_SERVICE_NAME}</title>" in client.get(reverse("home")).content.decode()
    )
    settings.PERMIS_SERVICE_NAME = "Permis de démonstration renommé"
    page = client.get(reverse("home")).content.decode()
    assert "Accueil – Permis de démonstration renommé</title>" in page
    assert page.count("Permis de démonstration renommé") >= 2  # the header's title too


def test_the_context_is_built_once_until_a_setting_changes(settings):
    requete = RequestFactory().get("/")
    premier = context_processors.site(requete)
    assert context_processors.site(requete) is premier
    settings.PERMIS_DEMO = not settings.PERMIS_DEMO
    nouveau = context_processors.site(requete)
    assert nouveau is not premier and nouveau["DEMO"] is settings.PERMIS_DEMO
