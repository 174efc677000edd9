"""The school pages' kept-HTML tests' cast: a managing member and a candidate, logged in."""

import pytest
from django.test.signals import template_rendered

from tests.auto_ecoles.factories import MembreFactory


@pytest.fixture
def membre(client, db):
    """A member who manages their school, logged in."""
    membre = MembreFactory(gestionnaire=True)
    client.force_login(membre.user)
    return membre


@pytest.fixture
def candidat_connecte(client, candidat):
    client.force_login(candidat)
    return candidat


@pytest.fixture
def rendus():
    """rendus(client, url, gabarit): how many times `gabarit` is rendered for a GET of `url`
    (0 for a page kept whole, only its holes rendered)."""

    def compter(client, url: str, gabarit: str) -> int:
        vus = []

        def noter(sender, template, **kwargs):
            vus.append(template.name)

        template_rendered.connect(noter)
        try:
            reponse = client.get(url)
        finally:
            template_rendered.disconnect(noter)
        assert reponse.status_code == 200
        return vus.count(gabarit)

    return compter
