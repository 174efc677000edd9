"""A person creates an account by email in Chromium, activates it from the mail, gets logged in.

The account pages' accessibility (every violation, not only the serious ones) is audited by
the public crawl of test_accessibilite.py."""

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
