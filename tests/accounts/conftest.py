import pytest

from tests.accounts import franceconnect
from tests.accounts.navigateur import Navigateur


@pytest.fixture(scope="session")
def cle_simulateur(tmp_path_factory):
    """One signing key for the whole run, out of the work tree."""
    return tmp_path_factory.mktemp("fc_simulateur") / "cle-es256.pem"


@pytest.fixture(autouse=True)
def _cle_simulateur_isolee(settings, cle_simulateur):
    settings.FRANCECONNECT_SIMULATEUR_CLE = cle_simulateur


@pytest.fixture
def navigateur(live_server):
    with Navigateur(live_server.url) as session:
        yield session


@pytest.fixture
def simulateur(live_server, settings):
    """The portal's FranceConnect provider pointed at the simulator on the live server."""
    franceconnect.configurer(settings, live_server.url)
    return live_server.url


def email_verifie(user):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def candidat_actif(candidat):
    """A candidate whose account was activated (email confirmed), so it may log in."""
    return email_verifie(candidat)
