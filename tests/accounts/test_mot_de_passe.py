"""Password reset (the mail reminds the identifiant) and password change."""

import re

import pytest

from tests.factories import MOT_DE_PASSE

NOUVEAU = "nouveau-mot-de-passe-2026"


@pytest.mark.django_db
def test_password_reset_mail_leads_to_a_new_password_and_reminds_the_identifiant(
    client, candidat_actif, mailoutbox
):
    reponse = client.post("/compte/password/reset/", {"email": candidat_actif.email}, follow=True)

    assert reponse.status_code == 200
    assert len(mailoutbox) == 1
    assert "Réinitialisation de votre mot de passe" in mailoutbox[0].subject
    assert f"votre identifiant est : {candidat_actif.username}" in mailoutbox[0].body
    lien = re.search(r"http://\S+/compte/password/reset/key/\S+/", mailoutbox[0].body).group(0)
    formulaire = client.get(lien, follow=True)
    action = formulaire.redirect_chain[-1][0] if formulaire.redirect_chain else lien
    client.post(action, {"password1": NOUVEAU, "password2": NOUVEAU})

    candidat_actif.refresh_from_db()
    assert candidat_actif.check_password(NOUVEAU)


@pytest.mark.django_db
def test_password_change_needs_the_current_password(client, candidat_actif):
    client.force_login(candidat_actif)

    refuse = client.post(
        "/compte/password/change/",
        {"oldpassword": "pas-le-bon", "password1": NOUVEAU, "password2": NOUVEAU},
    )
    assert refuse.status_code == 200
    assert "fr-input-group--error" in refuse.content.decode()

    client.post(
        "/compte/password/change/",
        {"oldpassword": MOT_DE_PASSE, "password1": NOUVEAU, "password2": NOUVEAU},
    )
    candidat_actif.refresh_from_db()
    assert candidat_actif.check_password(NOUVEAU)
