"""A person creates an account by email in Chromium, activates it from the mail, gets logged in."""

import re

import pytest
from playwright.sync_api import expect

MOT_DE_PASSE = "un-mot-de-passe-solide-2026"


@pytest.mark.django_db(transaction=True)
def test_sign_up_and_activate_from_the_mail(page, mailoutbox):
    page.goto("/compte/signup/")
    page.get_by_label("Prénom(s)").fill("Camille")
    page.get_by_role("textbox", name="Nom", exact=True).fill("Rousseau")
    page.get_by_role("textbox", name="Adresse électronique").fill("camille.rousseau@exemple.fr")
    page.get_by_label("Mot de passe").first.fill(MOT_DE_PASSE)
    page.get_by_label("Confirmation du mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Créer mon compte").click()

    expect(page.get_by_text("Un courriel d'activation vous a été envoyé")).to_be_visible()
    lien = re.search(r"https?://\S+/compte/confirm-email/\S+/", mailoutbox[0].body).group(0)
    page.goto(lien)
    page.get_by_role("button", name="Confirmer mon adresse et activer mon compte").click()

    expect(page).to_have_url(re.compile(r"/demandes/$"))
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    assert "Votre identifiant" in mailoutbox[1].subject


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("url", ["/compte/login/", "/compte/signup/"])
def test_account_pages_have_no_serious_accessibility_violation(page, url):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(url)
    results = Axe().run(page)

    serious = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert serious == [], [(v["id"], v["help"]) for v in serious]
