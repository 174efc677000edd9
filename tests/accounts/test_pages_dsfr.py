"""Every account page is in French on the DSFR layout, allauth's own pages included."""

import re

import pytest

ANONYMES = [
    "/compte/login/",
    "/compte/signup/",
    "/compte/password/reset/",
    "/compte/password/reset/done/",
    "/compte/confirm-email/cle-inconnue/",
    "/compte/franceconnect/login/",
    "/compte/3rdparty/login/cancelled/",
]
CONNECTES = [
    "/compte/logout/",
    "/compte/password/change/",
    "/compte/email/",
    "/compte/3rdparty/",
]
# Words of allauth's unstyled defaults or of an English page.
ETRANGERS = re.compile(r"Menu:|Messages:|Sign In|Sign Up|Password|Email address|Forgot")


def verifier(reponse):
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert '<html lang="fr"' in page
    assert 'class="fr-header"' in page
    assert "fr-btn" in page or "fr-connect" in page
    assert not ETRANGERS.search(page), ETRANGERS.search(page).group(0)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ANONYMES)
def test_anonymous_account_pages_wear_dsfr_in_french(client, url):
    verifier(client.get(url))


@pytest.mark.django_db
@pytest.mark.parametrize("url", CONNECTES)
def test_account_management_pages_wear_dsfr_in_french(client, candidat, url):
    from tests.accounts.conftest import email_verifie

    client.force_login(email_verifie(candidat))
    verifier(client.get(url))


@pytest.mark.django_db
def test_forms_use_dsfr_fields(client):
    page = client.get("/compte/password/reset/").content.decode()

    assert 'class="fr-input-group' in page
    assert 'class="fr-label"' in page
    assert 'class="fr-input"' in page
