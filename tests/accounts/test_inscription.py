"""Sign-up by email: activation link, logged in, identifiant by email, then login with it."""

import re

import pytest

from accounts.enums import Role
from accounts.models import User
from tests.accounts.navigateur import texte

MOT_DE_PASSE = "un-mot-de-passe-solide-2026"


def inscription(navigateur, **donnees):
    page = navigateur.get("/compte/signup/")
    valeurs = {
        "first_name": "Camille",
        "last_name": "Rousseau",
        "email": "camille.rousseau@exemple.fr",
        "password1": MOT_DE_PASSE,
        "password2": MOT_DE_PASSE,
        **donnees,
    }
    return navigateur.soumettre(page, valeurs, action_contient="/compte/signup/")


def lien_activation(message) -> str:
    return re.search(r"https?://\S+/compte/confirm-email/\S+/", message.body).group(0)


def test_sign_up_activate_receive_identifiant_log_out_and_log_in_with_it(navigateur, mailoutbox):
    reponse = inscription(navigateur)

    assert "Un courriel d'activation vous a été envoyé" in texte(reponse)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["camille.rousseau@exemple.fr"]
    assert "Activez votre compte" in mailoutbox[0].subject
    user = User.objects.get(email="camille.rousseau@exemple.fr")
    assert (user.first_name, user.last_name) == ("Camille", "Rousseau")
    assert user.roles == {Role.CANDIDAT}
    assert not user.emailaddress_set.get().verified

    confirmation = navigateur.get(lien_activation(mailoutbox[0]))
    activee = navigateur.soumettre(confirmation, action_contient="/compte/confirm-email/")

    assert activee.url.endswith("/demandes/")
    assert "Se déconnecter" in texte(activee)
    user.refresh_from_db()
    assert user.emailaddress_set.get().verified
    assert len(mailoutbox) == 2
    assert mailoutbox[1].to == ["camille.rousseau@exemple.fr"]
    assert user.username in mailoutbox[1].subject
    assert f"Votre identifiant : {user.username}" in mailoutbox[1].body
    assert user.username in mailoutbox[1].alternatives[0][0]
    assert user.identifiant_envoye_le is not None

    sortie = navigateur.soumettre(navigateur.get("/compte/logout/"), action_contient="logout")
    assert "Se connecter" in texte(sortie)
    assert "Se déconnecter" not in texte(sortie)

    page = navigateur.get("/compte/login/")
    connecte = navigateur.soumettre(
        page, {"login": user.username, "password": MOT_DE_PASSE}, action_contient="/compte/login/"
    )
    assert connecte.url.endswith("/demandes/")
    assert "Se déconnecter" in texte(connecte)
    assert len(mailoutbox) == 2  # the identifiant is told once


def test_an_account_not_yet_activated_cannot_log_in(navigateur, mailoutbox):
    inscription(navigateur)

    page = navigateur.get("/compte/login/")
    reponse = navigateur.soumettre(
        page,
        {"login": "camille.rousseau@exemple.fr", "password": MOT_DE_PASSE},
        action_contient="/compte/login/",
    )

    assert "Un courriel d'activation vous a été envoyé" in texte(reponse)
    assert "Se déconnecter" not in texte(reponse)
    # The activation mail is not sent again so soon (allauth's confirm_email rate limit).
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_bad_sign_up_input_is_explained_next_to_the_field_and_keeps_what_was_typed(client):
    reponse = client.post(
        "/compte/signup/",
        {
            "first_name": "Camille",
            "last_name": "Rousseau",
            "email": "camille.rousseau@exemple.fr",
            "password1": "court",
            "password2": "court",
        },
    )

    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert "fr-input-group--error" in page
    assert "Ce mot de passe est trop court" in page
    assert 'value="Camille"' in page
    assert 'value="camille.rousseau@exemple.fr"' in page
    assert not User.objects.exists()


@pytest.mark.django_db
def test_sign_up_needs_a_name(client):
    reponse = client.post(
        "/compte/signup/",
        {
            "email": "camille.rousseau@exemple.fr",
            "password1": MOT_DE_PASSE,
            "password2": MOT_DE_PASSE,
        },
    )

    assert reponse.status_code == 200
    assert reponse.context["form"].errors["first_name"] == ["Ce champ est obligatoire."]
    assert reponse.context["form"].errors["last_name"] == ["Ce champ est obligatoire."]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_an_email_already_used_creates_no_second_account(client, candidat, mailoutbox):
    reponse = client.post(
        "/compte/signup/",
        {
            "first_name": "Autre",
            "last_name": "Personne",
            "email": candidat.email,
            "password1": MOT_DE_PASSE,
            "password2": MOT_DE_PASSE,
        },
        follow=True,
    )

    # Like any sign-up (no way to probe which addresses have an account)...
    assert "Un courriel d'activation vous a été envoyé" in reponse.content.decode()
    assert User.objects.count() == 1
    # ...but the mail tells the owner an account exists already.
    assert mailoutbox[0].to == [candidat.email]
    assert "Activez" not in mailoutbox[0].subject


def test_the_activation_link_opened_elsewhere_activates_without_logging_in(
    navigateur, live_server, mailoutbox
):
    from tests.accounts.navigateur import Navigateur

    inscription(navigateur)

    with Navigateur(live_server.url) as autre:
        confirmation = autre.get(lien_activation(mailoutbox[0]))
        reponse = autre.soumettre(confirmation, action_contient="/compte/confirm-email/")

    assert reponse.url.endswith("/compte/login/")
    assert "Se déconnecter" not in texte(reponse)
    assert User.objects.get().emailaddress_set.get().verified
    assert len(mailoutbox) == 2
