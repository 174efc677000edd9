"""Login by identifiant or email, each role's landing page, and the failed-login rate limit."""

import pytest

from accounts.enums import Role
from tests.accounts.conftest import email_verifie
from tests.accounts.navigateur import texte
from tests.double_facteur import code_totp
from tests.factories import MOT_DE_PASSE, AgentCTNFactory, InstructeurFactory, UserFactory


def se_connecter(client, login, mot_de_passe=MOT_DE_PASSE):
    return client.post("/compte/login/", {"login": login, "password": mot_de_passe})


@pytest.mark.django_db
def test_login_by_email_lands_a_candidate_on_their_requests(client, candidat_actif):
    reponse = se_connecter(client, candidat_actif.email)

    assert reponse.status_code == 302
    assert reponse["Location"] == "/espace/"
    assert client.get("/espace/")["Location"] == "/demandes/"


@pytest.mark.django_db
@pytest.mark.parametrize("forme", ["exacte", "minuscules", "sans tiret", "avec espaces"])
def test_login_by_identifiant_however_it_is_typed(client, candidat_actif, forme):
    identifiant = candidat_actif.username
    saisie = {
        "exacte": identifiant,
        "minuscules": identifiant.lower(),
        "sans tiret": identifiant.replace("-", ""),
        "avec espaces": f" {identifiant[:5]} {identifiant[6:]} ",
    }[forme]

    reponse = se_connecter(client, saisie)

    assert reponse.status_code == 302
    assert client.session["_auth_user_id"] == str(candidat_actif.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fabrique", "accueil"),
    [(AgentCTNFactory, "/instruction/"), (InstructeurFactory, "/instruction/")],
    ids=["agent CTN", "instructeur DDT"],
)
def test_agents_land_on_their_queue(client, fabrique, accueil):
    agent = email_verifie(fabrique())

    se_connecter(client, agent.username)
    # Agents have a second factor (tests/double_facteur.py): the code step follows.
    client.post("/compte/2fa/authenticate/", {"code": code_totp(agent)})

    assert client.get("/espace/")["Location"] == accueil


@pytest.mark.django_db
def test_auto_ecole_staff_land_on_their_requests(client):
    membre = email_verifie(UserFactory(role=Role.AUTO_ECOLE))

    se_connecter(client, membre.email)

    assert client.get("/espace/")["Location"] == "/demandes/"


@pytest.mark.django_db
def test_wrong_password_says_so_in_french_and_keeps_the_login(client, candidat_actif):
    reponse = se_connecter(client, candidat_actif.username, "pas-le-bon-mot-de-passe")

    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert "L&#x27;identifiant ou le mot de passe est incorrect." in page
    assert f'value="{candidat_actif.username}"' in page
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_login_page_offers_franceconnect_and_dsfr_fields(client):
    page = client.get("/compte/login/").content.decode()

    assert 'class="fr-connect"' in page
    assert "S’identifier avec" in page or "S'identifier avec" in page
    assert 'action="/compte/franceconnect/login/?process=login"' in page
    assert 'class="fr-input"' in page
    assert "Identifiant ou adresse électronique" in page
    assert 'href="/compte/password/reset/"' in page


def test_repeated_failed_logins_are_rate_limited_with_a_clear_message(navigateur, candidat_actif):
    for _ in range(5):
        page = navigateur.get("/compte/login/")
        reponse = navigateur.soumettre(
            page,
            {"login": candidat_actif.username, "password": "pas-le-bon-mot-de-passe"},
            action_contient="/compte/login/",
        )
        assert "L'identifiant ou le mot de passe est incorrect." in texte(reponse)

    # Even the right password is refused for now.
    page = navigateur.get("/compte/login/")
    reponse = navigateur.soumettre(
        page,
        {"login": candidat_actif.username, "password": MOT_DE_PASSE},
        action_contient="/compte/login/",
    )

    assert "Trop de tentatives de connexion ont échoué" in texte(reponse)
    assert "Se déconnecter" not in texte(reponse)


@pytest.mark.django_db
def test_without_franceconnect_configured_there_is_no_button(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"franceconnect": {"APPS": []}}

    page = client.get("/compte/login/").content.decode()

    assert "fr-connect" not in page
    assert "Se connecter avec son compte" in page
    assert client.post("/compte/franceconnect/login/").status_code == 404
