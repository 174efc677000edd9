"""The token endpoint: client authentication, single-use codes that expire, a signed ID token."""

import base64
from datetime import timedelta

import jwt
import pytest
import time_machine
from django.utils import timezone

from tests.fc_simulateur.conftest import (
    AUTRE_CLIENT,
    CLIENT,
    EMETTEUR,
    echanger,
    obtenir_code,
)


def verifier(client, jeton: str, audience: str) -> dict:
    jwks = client.get("/franceconnect-simulateur/api/v2/jwks").json()
    entete = jwt.get_unverified_header(jeton)
    (cle,) = [k for k in jwks["keys"] if k["kid"] == entete["kid"]]
    publique = jwt.PyJWK.from_dict(cle).key
    return jwt.decode(jeton, publique, algorithms=["ES256"], audience=audience, issuer=EMETTEUR)


@pytest.mark.django_db
def test_a_code_gives_an_es256_id_token_with_the_nonce(client):
    retour = obtenir_code(client)

    reponse = echanger(client, retour["code"])

    assert reponse.status_code == 200
    corps = reponse.json()
    assert corps["token_type"] == "Bearer"
    assert corps["access_token"]
    assert jwt.get_unverified_header(corps["id_token"])["alg"] == "ES256"
    claims = verifier(client, corps["id_token"], CLIENT["client_id"])
    assert claims["nonce"] == retour["nonce"]
    assert claims["acr"] == "eidas1"
    assert claims["sub"].endswith("v1") and len(claims["sub"]) == 66


@pytest.mark.django_db
def test_each_client_sees_its_own_sub_for_the_same_person(client):
    premier = echanger(client, obtenir_code(client, "adulte")["code"]).json()
    second = echanger(
        client, obtenir_code(client, "adulte", AUTRE_CLIENT)["code"], AUTRE_CLIENT
    ).json()
    encore = echanger(client, obtenir_code(client, "adulte")["code"]).json()

    sub = verifier(client, premier["id_token"], CLIENT["client_id"])["sub"]
    assert verifier(client, second["id_token"], AUTRE_CLIENT["client_id"])["sub"] != sub
    assert verifier(client, encore["id_token"], CLIENT["client_id"])["sub"] == sub


@pytest.mark.django_db
def test_client_secret_basic_is_accepted_too(client):
    code = obtenir_code(client)["code"]
    identifiants = base64.b64encode(f"{CLIENT['client_id']}:{CLIENT['secret']}".encode()).decode()

    reponse = client.post(
        "/franceconnect-simulateur/api/v2/token",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": CLIENT["redirect_uris"][0],
        },
        headers={"Authorization": f"Basic {identifiants}"},
    )

    assert reponse.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changement",
    [{"client_secret": "mauvais"}, {"client_id": "c" * 64}, {"client_secret": ""}],
    ids=["mauvais secret", "client inconnu", "sans secret"],
)
def test_a_client_that_does_not_authenticate_gets_invalid_client(client, changement):
    code = obtenir_code(client)["code"]

    reponse = echanger(client, code, **changement)

    assert reponse.status_code == 401
    assert reponse.json()["error"] == "invalid_client"


@pytest.mark.django_db
def test_a_code_works_once_and_its_replay_revokes_the_token(client):
    code = obtenir_code(client)["code"]
    jeton = echanger(client, code).json()["access_token"]

    rejeu = echanger(client, code)

    assert rejeu.status_code == 400
    assert rejeu.json()["error"] == "invalid_grant"
    userinfo = client.get(
        "/franceconnect-simulateur/api/v2/userinfo", headers={"Authorization": f"Bearer {jeton}"}
    )
    assert userinfo.status_code == 401


@pytest.mark.django_db
def test_a_code_expires_after_a_minute(client):
    code = obtenir_code(client)["code"]

    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        reponse = echanger(client, code)

    assert reponse.status_code == 400
    assert reponse.json() == {"error": "invalid_grant", "error_description": "code expiré"}


@pytest.mark.django_db
def test_a_code_is_bound_to_its_client_and_redirect_uri(client):
    code = obtenir_code(client)["code"]
    assert echanger(client, code, AUTRE_CLIENT).json()["error"] == "invalid_grant"

    autre_code = obtenir_code(client)["code"]
    reponse = echanger(client, autre_code, redirect_uri="https://service-a.exemple.fr/ailleurs")
    assert reponse.json()["error"] == "invalid_grant"


@pytest.mark.django_db
def test_only_the_authorization_code_grant_is_served(client):
    code = obtenir_code(client)["code"]

    reponse = echanger(client, code, grant_type="client_credentials")

    assert reponse.json()["error"] == "unsupported_grant_type"
