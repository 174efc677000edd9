"""session/end ends the simulator's session and returns to a registered URL with the state."""

from urllib.parse import urlencode

import pytest

from fc_simulateur.models import Autorisation
from fc_simulateur.views import COOKIE_SESSION
from tests.fc_simulateur.conftest import AUTRE_CLIENT, CLIENT, echanger, obtenir_code


def fin_de_session(client, **parametres):
    return client.get(f"/franceconnect-simulateur/api/v2/session/end?{urlencode(parametres)}")


@pytest.fixture
def id_token(client):
    return echanger(client, obtenir_code(client)["code"]).json()["id_token"]


@pytest.mark.django_db
def test_logout_ends_the_session_and_returns_with_the_state(client, id_token):
    reponse = fin_de_session(
        client,
        id_token_hint=id_token,
        state="etat-de-deconnexion-0123456789abcdef",
        post_logout_redirect_uri=CLIENT["post_logout_redirect_uris"][0],
    )

    assert reponse.status_code == 302
    assert reponse["Location"] == (
        "https://service-a.exemple.fr/au-revoir?state=etat-de-deconnexion-0123456789abcdef"
    )
    assert reponse.cookies[COOKIE_SESSION].value == ""
    autorisation = Autorisation.objects.get()
    assert autorisation.session_terminee_le is not None
    assert autorisation.jeton_expire_le is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changement", "message"),
    [
        ({"post_logout_redirect_uri": "https://ailleurs.exemple.fr/"}, "n&#x27;est pas déclarée"),
        ({"id_token_hint": "pas.un.jeton"}, "jeton d&#x27;identité valide"),
        ({"state": ""}, "Le paramètre state est obligatoire."),
    ],
)
def test_logout_refuses_what_it_cannot_trust(client, id_token, changement, message):
    parametres = {
        "id_token_hint": id_token,
        "state": "etat-de-deconnexion-0123456789abcdef",
        "post_logout_redirect_uri": CLIENT["post_logout_redirect_uris"][0],
        **changement,
    }

    reponse = fin_de_session(client, **parametres)

    assert reponse.status_code == 400
    assert message in reponse.content.decode()
    assert Autorisation.objects.get().session_terminee_le is None


@pytest.mark.django_db
def test_a_client_cannot_use_another_clients_logout_url(client):
    jeton = echanger(client, obtenir_code(client, client_config=AUTRE_CLIENT)["code"], AUTRE_CLIENT)
    reponse = fin_de_session(
        client,
        id_token_hint=jeton.json()["id_token"],
        state="etat-de-deconnexion-0123456789abcdef",
        post_logout_redirect_uri=CLIENT["post_logout_redirect_uris"][0],
    )

    assert reponse.status_code == 400
