"""allauth's rate limits answer with a French page on the DSFR layout."""

import pytest

from accounts.models import User


@pytest.mark.django_db
def test_too_many_sign_ups_get_a_french_429_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/h/ip"}
    for numero in range(3):
        reponse = client.post(
            "/compte/signup/",
            {
                "first_name": "Camille",
                "last_name": "Rousseau",
                "email": f"camille{numero}@exemple.fr",
                "password1": "un-mot-de-passe-solide-2026",
                "password2": "un-mot-de-passe-solide-2026",
            },
        )

    assert reponse.status_code == 429
    page = reponse.content.decode()
    assert "Trop de tentatives" in page
    assert "Réessayez dans quelques minutes" in page
    assert "fr-alert" in page and 'lang="fr"' in page
    assert User.objects.count() == 2


@pytest.mark.django_db
def test_too_many_password_resets_get_the_french_429_page(client, settings, candidat):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "1/m/ip"}
    client.post("/compte/password/reset/", {"email": candidat.email})

    reponse = client.post("/compte/password/reset/", {"email": candidat.email})

    assert reponse.status_code == 429
    assert "Trop de tentatives" in reponse.content.decode()
