"""The back-office cast: a CTN agent, two instructors of the Rhône, one of the Hérault."""

import pytest

from instruction.models import PriseEnCharge
from tests.factories import InstructeurFactory


@pytest.fixture
def collegue(db):
    """A second instructor of the same département (69) as `instructeur`."""
    return InstructeurFactory(departement="69", first_name="Jeanne", last_name="Collègue")


@pytest.fixture
def prendre():
    """Claim a request for an agent, as the "Prendre en charge" button does."""

    def _prendre(demande, agent):
        return PriseEnCharge.objects.prendre(demande, agent)

    return _prendre
