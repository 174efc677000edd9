"""Discovery document and JWKS, as FranceConnect v2 publishes them under its issuer."""

import stat

import pytest

from fc_simulateur import cles
from tests.fc_simulateur.conftest import EMETTEUR


@pytest.mark.django_db
def test_discovery_lists_franceconnect_v2_endpoints_under_one_issuer(client):
    config = client.get("/franceconnect-simulateur/api/v2/.well-known/openid-configuration").json()

    assert config["issuer"] == EMETTEUR
    for cle, chemin in [
        ("authorization_endpoint", "/authorize"),
        ("token_endpoint", "/token"),
        ("userinfo_endpoint", "/userinfo"),
        ("end_session_endpoint", "/session/end"),
        ("jwks_uri", "/jwks"),
    ]:
        assert config[cle] == EMETTEUR + chemin
    assert config["acr_values_supported"] == ["eidas1"]
    assert config["id_token_signing_alg_values_supported"] == ["ES256"]
    assert config["userinfo_signing_alg_values_supported"] == ["ES256"]
    assert {"openid", "identite_pivot", "email", "given_name", "birthcountry"} <= set(
        config["scopes_supported"]
    )


@pytest.mark.django_db
def test_jwks_publishes_the_p256_public_key_named_by_its_thumbprint(client):
    jwks = client.get("/franceconnect-simulateur/api/v2/jwks").json()

    (cle,) = jwks["keys"]
    assert (cle["kty"], cle["crv"], cle["alg"], cle["use"]) == ("EC", "P-256", "ES256", "sig")
    assert "d" not in cle  # never the private part
    assert len(cle["kid"]) == 43


def test_the_signing_key_is_kept_on_disk_and_survives_a_restart(settings, tmp_path):
    settings.FRANCECONNECT_SIMULATEUR_CLE = tmp_path / "cles" / "cle.pem"
    avant = cles.jwk_publique()
    cles._cles.clear()  # a restart: nothing in memory

    assert cles.jwk_publique() == avant
    assert stat.S_IMODE((tmp_path / "cles" / "cle.pem").stat().st_mode) == 0o600


def test_another_key_file_is_another_key(settings, tmp_path):
    settings.FRANCECONNECT_SIMULATEUR_CLE = tmp_path / "une.pem"
    une = cles.jwk_publique()["kid"]
    settings.FRANCECONNECT_SIMULATEUR_CLE = tmp_path / "autre.pem"

    assert cles.jwk_publique()["kid"] != une


@pytest.mark.django_db
def test_switched_off_the_simulator_answers_404_everywhere(client, settings):
    settings.FRANCECONNECT_SIMULATEUR = False

    for chemin in [".well-known/openid-configuration", "jwks", "authorize", "session/end"]:
        assert client.get(f"/franceconnect-simulateur/api/v2/{chemin}").status_code == 404
    assert client.post("/franceconnect-simulateur/api/v2/token").status_code == 404
