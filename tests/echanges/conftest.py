import pytest

from instruction.models import PriseEnCharge


@pytest.fixture
def prendre():
    """Claim a request for an agent, as the "Prendre en charge" button does."""

    def _prendre(demande, agent):
        return PriseEnCharge.objects.prendre(demande, agent)

    return _prendre
