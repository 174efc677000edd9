"""The authorization endpoint checks the request as FranceConnect v2 does."""

import pytest

from fc_simulateur.views import COOKIE_SESSION
from tests.fc_simulateur.conftest import AUTRE_CLIENT, CLIENT, authorize, parametres_authorize


def refus(reponse, message: str) -> None:
    assert reponse.status_code == 400
    assert message in reponse.content.decode()


@pytest.mark.django_db
def test_a_valid_request_opens_the_provider_choice(client):
    reponse = authorize(client, **parametres_authorize())

    assert reponse.status_code == 302
    assert "/franceconnect-simulateur/api/v2/interaction/" in reponse["Location"]
    assert COOKIE_SESSION in reponse.cookies
    choix = client.get(reponse["Location"])
    assert "Je choisis un compte pour me connecter sur Service A" in choix.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("parametre", ["state", "nonce"])
def test_state_and_nonce_shorter_than_32_characters_are_refused(client, parametre):
    refus(
        authorize(client, **parametres_authorize(**{parametre: "x" * 31})),
        f"Le paramètre {parametre} doit faire au moins 32 caractères.",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("parametre", ["state", "nonce"])
def test_state_and_nonce_are_required(client, parametre):
    parametres = parametres_authorize()
    del parametres[parametre]

    refus(authorize(client, **parametres), f"Le paramètre {parametre} doit faire au moins")


@pytest.mark.django_db
def test_an_unknown_client_is_refused(client):
    refus(authorize(client, **parametres_authorize(client_id="c" * 64)), "client_id inconnu")


@pytest.mark.django_db
def test_a_redirect_uri_not_registered_for_the_client_is_refused(client):
    parametres = parametres_authorize(redirect_uri=AUTRE_CLIENT["redirect_uris"][0])

    refus(authorize(client, **parametres), "n&#x27;est pas déclarée pour ce service")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changement", "message"),
    [
        ({"scope": "identite_pivot email"}, "Le scope « openid » est obligatoire."),
        ({"scope": "openid adresse_postale"}, "Un des scopes demandés n&#x27;existe pas."),
        ({"acr_values": "eidas3"}, "acr_values doit valoir « eidas1 »."),
        ({"response_type": "token"}, "response_type doit valoir « code »."),
        ({"state": "x" * 501}, "state et nonce ne doivent pas dépasser 500 caractères."),
    ],
)
def test_other_invalid_requests_are_refused(client, changement, message):
    refus(authorize(client, **parametres_authorize(**changement)), message)


@pytest.mark.django_db
def test_an_interaction_belongs_to_the_browser_that_started_it(client):
    interaction = authorize(client, **parametres_authorize())["Location"]
    client.cookies.pop(COOKIE_SESSION)

    refus(client.get(interaction), "Session expirée")
    refus(client.post(f"{interaction}/demo", {"identite": "adulte"}), "Session expirée")


@pytest.mark.django_db
def test_choosing_no_identity_asks_again(client):
    interaction = authorize(client, **parametres_authorize())["Location"]

    reponse = client.post(f"{interaction}/demo", {"identite": "personne"})

    assert reponse.status_code == 400
    assert "Choisissez une des identités de test." in reponse.content.decode()


@pytest.mark.django_db
def test_the_demo_provider_lists_the_test_identities(client):
    interaction = authorize(client, **parametres_authorize())["Location"]

    page = client.get(f"{interaction}/demo").content.decode()

    for nom in [
        "Lucas Antoine BERNARD",
        "Angela Claire Louise DUBOIS",
        "Léa Sophie PETIT",
        "Karim Youssef HADDAD",
    ]:
        assert nom in page
    assert CLIENT["nom"] in page


@pytest.mark.django_db
def test_a_nul_byte_in_the_request_is_refused_not_a_server_error(client):
    # Refused at the portal's door (permis/controle_url.py), before the simulator.
    reponse = authorize(client, **parametres_authorize(state="\x00" + "x" * 40))
    assert reponse.status_code == 400


@pytest.mark.django_db
def test_an_interaction_id_that_could_not_be_ours_is_refused(client):
    authorize(client, **parametres_authorize())

    reponse = client.get(
        "/franceconnect-simulateur/api/v2/interaction/abc"
    )  # too short to be drawn by us

    assert reponse.status_code == 400
    assert "Session expirée" in reponse.content.decode()


@pytest.mark.django_db
def test_a_refusal_has_the_look_of_the_portal_error_pages(client):
    """Same DSFR error pattern as the portal's pages, in the simulator's own header."""
    page = authorize(client, **parametres_authorize(client_id="inconnu")).content.decode()
    assert "<h1>Service inconnu</h1>" in page
    assert 'class="fr-text--lead fr-mb-3w"' in page and "fr-artwork" in page
    assert "Revenir au service" in page
    assert "FranceConnect" in page and "Simulateur" in page
