"""A FranceConnect answer that fails a check is refused, said clearly, and creates nothing."""

import html
import secrets
from datetime import timedelta

import jwt
import pytest
import time_machine
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives.asymmetric import ec
from django.utils import timezone

from accounts.franceconnect import erreurs
from accounts.models import User
from fc_simulateur import cles
from tests.accounts import franceconnect
from tests.accounts.navigateur import Navigateur, texte


def refuse(reponse, message: str) -> None:
    assert reponse.status_code == 401, reponse.text[:800]
    assert message in texte(reponse)
    assert "Aucun compte n'a été créé ni modifié." in texte(reponse)


def personne_connectee(navigateur) -> bool:
    return "Se déconnecter" in texte(navigateur.get("/"))


def test_a_state_the_browser_did_not_send_is_refused(navigateur, simulateur):
    callback = franceconnect.choisir_identite(
        navigateur, franceconnect.demarrer(navigateur), "adulte"
    )

    reponse = navigateur.get(
        franceconnect.avec_parametre(callback, state=secrets.token_urlsafe(32))
    )

    refuse(reponse, erreurs.ETAT_INCONNU)
    assert User.objects.count() == 0
    assert not personne_connectee(navigateur)


def test_a_callback_opened_in_another_browser_is_refused(navigateur, simulateur, live_server):
    callback = franceconnect.choisir_identite(
        navigateur, franceconnect.demarrer(navigateur), "adulte"
    )

    with Navigateur(live_server.url) as autre:
        reponse = autre.get(callback)

    refuse(reponse, erreurs.ETAT_INCONNU)
    assert User.objects.count() == 0


def test_a_replayed_code_is_refused(navigateur, simulateur):
    premier = franceconnect.choisir_identite(
        navigateur, franceconnect.demarrer(navigateur), "adulte"
    )
    assert navigateur.get(premier).url.endswith("/demandes/")
    navigateur.soumettre(navigateur.get("/compte/logout/"), action_contient="logout")
    # A new login in progress, whose callback carries the first (already used) code.
    second = franceconnect.choisir_identite(
        navigateur, franceconnect.demarrer(navigateur), "adulte"
    )
    rejoue = franceconnect.avec_parametre(second, code=franceconnect.parametre(premier, "code"))

    reponse = navigateur.get(rejoue)

    refuse(reponse, erreurs.CODE_INVALIDE)
    assert not personne_connectee(navigateur)
    assert User.objects.count() == 1
    assert SocialAccount.objects.count() == 1


def test_an_expired_code_is_refused(navigateur, simulateur):
    callback = franceconnect.choisir_identite(
        navigateur, franceconnect.demarrer(navigateur), "adulte"
    )

    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        reponse = navigateur.get(callback)

    refuse(reponse, erreurs.CODE_INVALIDE)
    assert User.objects.count() == 0


def test_an_id_token_with_another_nonce_is_refused(navigateur, simulateur):
    authorize = franceconnect.demarrer(navigateur)
    falsifiee = franceconnect.avec_parametre(authorize, nonce=secrets.token_urlsafe(32))
    callback = franceconnect.choisir_identite(navigateur, falsifiee, "adulte")

    reponse = navigateur.get(callback)

    refuse(reponse, erreurs.NONCE_DIFFERENT)
    assert User.objects.count() == 0
    assert not personne_connectee(navigateur)


def _signe_par_une_autre_cle(claims: dict) -> str:
    autre_cle = ec.generate_private_key(ec.SECP256R1())
    entete = {"kid": cles.jwk_publique()["kid"], "typ": "JWT"}
    return jwt.encode(claims, autre_cle, algorithm="ES256", headers=entete)


def _signe_avec_le_secret_du_client(claims: dict) -> str:
    entete = {"kid": cles.jwk_publique()["kid"], "typ": "JWT"}
    return jwt.encode(claims, franceconnect.SECRET, algorithm="HS256", headers=entete)


@pytest.mark.parametrize("signer", [_signe_par_une_autre_cle, _signe_avec_le_secret_du_client])
def test_an_id_token_not_signed_by_the_published_key_is_refused(
    navigateur, simulateur, monkeypatch, signer
):
    callback = franceconnect.choisir_identite(
        navigateur, franceconnect.demarrer(navigateur), "adulte"
    )
    # The simulator still publishes its genuine key, but what it signs comes from elsewhere.
    monkeypatch.setattr(cles, "signer", signer)

    reponse = navigateur.get(callback)

    refuse(reponse, erreurs.SIGNATURE_INVALIDE)
    assert User.objects.count() == 0


def test_an_unknown_client_is_refused_by_franceconnect(navigateur, simulateur, settings):
    franceconnect.configurer(settings, simulateur, client_id="client-inconnu-" + "0" * 50)

    reponse = navigateur.get(franceconnect.demarrer(navigateur))

    assert reponse.status_code == 400
    assert "Service inconnu" in texte(reponse)
    assert "client_id inconnu" in texte(reponse)
    assert User.objects.count() == 0


def test_a_client_with_a_wrong_secret_is_refused_at_the_token_endpoint(
    navigateur, simulateur, settings
):
    franceconnect.configurer(settings, simulateur, secret="pas-le-bon-secret")
    callback = franceconnect.choisir_identite(
        navigateur, franceconnect.demarrer(navigateur), "adulte"
    )

    reponse = navigateur.get(callback)

    refuse(reponse, erreurs.CLIENT_INCONNU)
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_franceconnect_unreachable_at_the_start_is_said_not_a_server_error(client, settings):
    from tests.accounts import franceconnect

    franceconnect.configurer(settings, "http://127.0.0.1:19299")  # nothing listens there
    reponse = client.post("/compte/franceconnect/login/")
    assert reponse.status_code == 401
    assert erreurs.INDISPONIBLE in html.unescape(reponse.content.decode())
