"""Login and sign-up cost the same for an existing and an unknown email (no enumeration).

A counting hasher stands in for PBKDF2: every hash (checking or making a password) goes
through its encode(), so the number of calls is the number of PBKDF2 runs in production.
"""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail

from tests.accounts.conftest import email_verifie
from tests.factories import CandidatFactory


class HasherCompteur(MD5PasswordHasher):
    appels = 0

    def encode(self, password, salt):
        HasherCompteur.appels += 1
        return super().encode(password, salt)


@pytest.fixture
def hashes(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.HasherCompteur"]

    def compter(action) -> int:
        HasherCompteur.appels = 0
        action()
        return HasherCompteur.appels

    return compter


@pytest.fixture
def existant(db, settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.HasherCompteur"]
    return email_verifie(CandidatFactory(email="existe@exemple.fr"))


def connexion(client, login, mot_de_passe="pas-le-bon-mot-de-passe"):
    return lambda: client.post("/compte/login/", {"login": login, "password": mot_de_passe})


@pytest.mark.django_db
def test_a_wrong_password_costs_one_hash_whether_the_email_exists_or_not(client, hashes, existant):
    assert hashes(connexion(client, "existe@exemple.fr")) == 1
    assert hashes(connexion(client, "inconnu@exemple.fr")) == 1


@pytest.mark.django_db
def test_a_wrong_password_costs_one_hash_whether_the_identifiant_exists_or_not(
    client, hashes, existant
):
    assert hashes(connexion(client, existant.username)) == 1
    assert hashes(connexion(client, "ZZZZZ-ZZZZZ")) == 1


@pytest.mark.django_db
def test_an_account_without_password_costs_the_same(client, hashes, existant):
    """A FranceConnect-only account has no usable password: Django hashes anyway."""
    sans = email_verifie(CandidatFactory(email="fc@exemple.fr", password=None))
    sans.set_unusable_password()
    sans.save()
    assert hashes(connexion(client, "fc@exemple.fr")) == 1


@pytest.mark.django_db
def test_both_failures_answer_the_same_page(client, existant):
    existe = connexion(client, "existe@exemple.fr")()
    inconnu = connexion(client, "inconnu@exemple.fr")()
    assert existe.status_code == inconnu.status_code == 200
    message = "L&#x27;adresse électronique ou le mot de passe est incorrect."
    assert message in existe.content.decode() and message in inconnu.content.decode()


@pytest.mark.django_db
def test_the_right_password_still_logs_in(client, hashes, existant):
    from tests.factories import MOT_DE_PASSE

    assert hashes(connexion(client, "existe@exemple.fr", MOT_DE_PASSE)) == 1
    assert client.session["_auth_user_id"] == str(existant.pk)


def inscription(client, email):
    donnees = {
        "first_name": "Camille",
        "last_name": "Rousseau",
        "email": email,
        "password1": "un-mot-de-passe-solide-2026",
        "password2": "un-mot-de-passe-solide-2026",
    }
    return lambda: client.post("/compte/signup/", donnees)


@pytest.mark.django_db
def test_sign_up_costs_one_hash_whether_the_email_has_an_account_or_not(client, hashes, existant):
    assert hashes(inscription(client, "existe@exemple.fr")) == 1
    client.logout()
    assert hashes(inscription(client, "nouveau@exemple.fr")) == 1


@pytest.mark.django_db
def test_sign_up_answers_and_mails_alike_whether_the_email_has_an_account_or_not(client, existant):
    existe = inscription(client, "existe@exemple.fr")()
    nouveau = inscription(client, "nouveau@exemple.fr")()
    assert existe.status_code == nouveau.status_code == 302
    assert existe["Location"] == nouveau["Location"]
    # One mail each: "you already have an account" to the owner, the activation link to the new one.
    assert [m.to for m in mail.outbox] == [["existe@exemple.fr"], ["nouveau@exemple.fr"]]
