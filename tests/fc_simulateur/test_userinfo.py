"""userinfo answers with a JWT signed like the ID token, holding the claims of the scopes."""

from datetime import timedelta

import jwt
import pytest
import time_machine
from django.utils import timezone

from tests.fc_simulateur.conftest import CLIENT, echanger, obtenir_code
from tests.fc_simulateur.test_token import verifier


def userinfo(client, jeton):
    return client.get(
        "/franceconnect-simulateur/api/v2/userinfo", headers={"Authorization": f"Bearer {jeton}"}
    )


@pytest.mark.django_db
def test_userinfo_is_a_signed_jwt_with_the_pivot_identity(client):
    corps = echanger(client, obtenir_code(client, "ne-a-l-etranger")["code"]).json()

    reponse = userinfo(client, corps["access_token"])

    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/jwt"
    claims = verifier(client, reponse.content.decode(), CLIENT["client_id"])
    assert (
        claims["sub"] == jwt.decode(corps["id_token"], options={"verify_signature": False})["sub"]
    )
    assert {k: claims[k] for k in ["given_name", "family_name", "gender", "birthdate"]} == {
        "given_name": "Karim Youssef",
        "family_name": "HADDAD",
        "gender": "male",
        "birthdate": "1999-11-02",
    }
    assert claims["birthplace"] == ""
    assert claims["birthcountry"] == "99350"
    assert claims["email"] == "karim.haddad@fc-demo.exemple.fr"
    assert claims["preferred_username"] == ""


@pytest.mark.django_db
def test_single_claim_scopes_give_only_those_claims(client):
    code = obtenir_code(client, scope="openid given_name birthdate")["code"]
    jeton = echanger(client, code).json()["access_token"]

    claims = verifier(client, userinfo(client, jeton).content.decode(), CLIENT["client_id"])

    assert set(claims) == {"iss", "aud", "sub", "iat", "exp", "given_name", "birthdate"}


@pytest.mark.django_db
def test_an_unknown_or_expired_access_token_is_refused(client):
    assert userinfo(client, "jeton-invente").status_code == 401
    assert client.get("/franceconnect-simulateur/api/v2/userinfo").status_code == 401

    jeton = echanger(client, obtenir_code(client)["code"]).json()["access_token"]
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        reponse = userinfo(client, jeton)
    assert reponse.status_code == 401
    assert reponse.json()["error"] == "invalid_token"
