import secrets
from urllib.parse import parse_qs, urlencode, urlparse

import pytest

CLIENT = {
    "client_id": "a" * 64,
    "secret": "secret-du-client-a",
    "nom": "Service A",
    "redirect_uris": ["https://service-a.exemple.fr/callback"],
    "post_logout_redirect_uris": ["https://service-a.exemple.fr/au-revoir"],
}
AUTRE_CLIENT = {
    "client_id": "b" * 64,
    "secret": "secret-du-client-b",
    "nom": "Service B",
    "redirect_uris": ["https://service-b.exemple.fr/callback"],
    "post_logout_redirect_uris": [],
}
EMETTEUR = "http://testserver/franceconnect-simulateur/api/v2"


@pytest.fixture(scope="session")
def cle_simulateur(tmp_path_factory):
    return tmp_path_factory.mktemp("fc_simulateur") / "cle-es256.pem"


@pytest.fixture(autouse=True)
def _simulateur(settings, cle_simulateur):
    settings.FRANCECONNECT_SIMULATEUR = True
    settings.FRANCECONNECT_SIMULATEUR_CLE = cle_simulateur
    settings.FRANCECONNECT_SIMULATEUR_CLIENTS = [CLIENT, AUTRE_CLIENT]


def parametres_authorize(client_config=CLIENT, **autres) -> dict:
    return {
        "response_type": "code",
        "client_id": client_config["client_id"],
        "redirect_uri": client_config["redirect_uris"][0],
        "scope": "openid identite_pivot email",
        "state": secrets.token_urlsafe(32),
        "nonce": secrets.token_urlsafe(32),
        "acr_values": "eidas1",
        **autres,
    }


def authorize(client, **parametres):
    return client.get(f"/franceconnect-simulateur/api/v2/authorize?{urlencode(parametres)}")


def obtenir_code(client, identite="adulte", client_config=CLIENT, **autres) -> dict:
    """Authorize, choose the demo provider and an identity: the parameters sent back."""
    parametres = parametres_authorize(client_config, **autres)
    interaction = authorize(client, **parametres)["Location"]
    reponse = client.post(f"{interaction}/demo", {"identite": identite})
    assert reponse.status_code == 302, reponse.content[:400]
    retour = urlparse(reponse["Location"])
    assert f"{retour.scheme}://{retour.netloc}{retour.path}" == parametres["redirect_uri"]
    return {k: v[0] for k, v in parse_qs(retour.query).items()} | {"nonce": parametres["nonce"]}


def echanger(client, code, client_config=CLIENT, **autres):
    return client.post(
        "/franceconnect-simulateur/api/v2/token",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": client_config["redirect_uris"][0],
            "client_id": client_config["client_id"],
            "client_secret": client_config["secret"],
            **autres,
        },
    )
