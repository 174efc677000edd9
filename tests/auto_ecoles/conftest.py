"""The school pages' kept-HTML tests' cast: a managing member and a candidate, logged in."""

import pytest

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
