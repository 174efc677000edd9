"""A person logs in with FranceConnect (the simulator) in Chromium, then logs out of both."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.accounts import franceconnect


@pytest.fixture
def simulateur(live_server, settings, tmp_path):
    settings.FRANCECONNECT_SIMULATEUR_CLE = tmp_path / "cle-es256.pem"
    franceconnect.configurer(settings, live_server.url)


@pytest.mark.django_db(transaction=True)
def test_login_with_franceconnect_then_logout_of_both(page, simulateur):
    page.goto("/compte/login/")
    page.get_by_role("button", name=re.compile("FranceConnect")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Je choisis un compte pour me connecter sur Permis en ligne"
    )
    page.get_by_role("link", name="Démonstration").click()
    page.get_by_text("Lucas Antoine BERNARD").click()
    page.get_by_role("button", name="Continuer sur Permis en ligne").click()

    expect(page).to_have_url(re.compile(r"/demandes/$"))
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    user = User.objects.get()
    assert user.identite_franceconnect.nom_naissance == "BERNARD"

    page.get_by_role("button", name="Se déconnecter").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_text("Vous êtes également déconnecté de FranceConnect.")).to_be_visible()
    expect(page.get_by_role("link", name="Se connecter").first).to_be_visible()
