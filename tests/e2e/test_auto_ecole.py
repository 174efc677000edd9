"""A school manager invites a student, the student accepts, the school files an
inscription for them in the browser, and the student sees it in their account."""

import re

import pytest
from django.core import mail
from PIL import Image
from playwright.sync_api import expect

from demandes.enums import Etat
from demandes.models import Demande
from simulateurs.cabine import emettre_code
from tests.auto_ecoles.factories import MembreFactory
from tests.e2e.test_demande_candidat import sans_violation_grave, se_connecter
from tests.factories import CandidatFactory, pdf_minimal


@pytest.mark.django_db(transaction=True)
def test_school_invites_student_then_files_an_inscription_the_student_sees(
    browser, live_server, tmp_path
):
    gestionnaire = MembreFactory(gestionnaire=True, auto_ecole__nom="Auto-école Bellecour").user
    eleve = CandidatFactory(first_name="Hugo", last_name="Bernard", email="hugo@exemple.fr")
    ecole_page = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    eleve_page = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    se_connecter(ecole_page, live_server.url, gestionnaire)
    se_connecter(eleve_page, live_server.url, eleve)

    # The manager invites the student by email.
    ecole_page.goto("/auto-ecoles/ecole/")
    sans_violation_grave(ecole_page)
    invitation = ecole_page.locator(
        "form", has=ecole_page.get_by_role("button", name="Envoyer l'invitation")
    ).first
    invitation.get_by_label("Adresse électronique").fill("hugo@exemple.fr")
    invitation.get_by_role("button", name="Envoyer l'invitation").click()
    expect(ecole_page.get_by_text("Invitation envoyée à hugo@exemple.fr")).to_be_visible()
    lien = re.search(r"https?://\S+/auto-ecoles/invitation/\S+/", mail.outbox[-1].body).group(0)

    # The student follows the link and gives the mandate.
    eleve_page.goto("/auto-ecoles" + lien.split("/auto-ecoles", 1)[1])  # the live server's host
    eleve_page.get_by_role("button", name="Donner mandat à Auto-école Bellecour").click()
    expect(eleve_page.get_by_text("Vous avez donné mandat à Auto-école Bellecour")).to_be_visible()

    # The school starts an inscription for the student and walks the wizard.
    ecole_page.goto("/auto-ecoles/ecole/")
    ligne = ecole_page.get_by_role("row", name=re.compile("Hugo Bernard"))
    ligne.get_by_role("button", name="Nouvelle inscription").click()
    expect(ecole_page.get_by_role("heading", level=1)).to_contain_text("Motif de la demande")
    ecole_page.get_by_label("Motif de la demande").select_option("inscription_premiere")
    ecole_page.get_by_text("B — voiture", exact=True).click()
    ecole_page.get_by_role("button", name="Valider le motif").click()

    expect(ecole_page.get_by_label("Nom de naissance")).to_have_value("Bernard")
    ecole_page.get_by_text("Masculin", exact=True).click()
    ecole_page.get_by_label("Date de naissance").fill("2006-09-01")
    ecole_page.get_by_label("Commune de naissance").fill("Lyon")
    ecole_page.get_by_role("button", name="Enregistrer et continuer").click()

    ecole_page.get_by_label("Numéro et voie").fill("5 rue Mercière")
    ecole_page.get_by_label("Code postal").fill("69002")
    ecole_page.get_by_label("Commune", exact=True).fill("Lyon")
    ecole_page.get_by_label("Téléphone portable").fill("06 98 76 54 32")
    ecole_page.get_by_role("button", name="Enregistrer et continuer").click()

    ecole_page.get_by_label("Code photo numérique").fill(emettre_code("Bernard", "Hugo").code)
    ecole_page.get_by_role("button", name="Vérifier le code").click()
    ecole_page.get_by_text(re.compile("Je confirme que cette photo")).click()
    ecole_page.get_by_role("button", name="Confirmer et continuer").click()

    carte = tmp_path / "carte.jpg"
    Image.new("RGB", (900, 600), (90, 90, 160)).save(carte, "JPEG")
    facture = tmp_path / "facture.pdf"
    facture.write_bytes(pdf_minimal())
    ecole_page.get_by_label("Justificatif d'identité").set_input_files(carte)
    ecole_page.get_by_label("Justificatif de domicile").set_input_files(facture)
    ecole_page.get_by_label("Attestation de participation à la JDC").set_input_files(facture)
    ecole_page.get_by_role("button", name="Enregistrer et continuer").click()

    expect(ecole_page.get_by_role("heading", level=1)).to_contain_text("Récapitulatif")
    ecole_page.get_by_text("Je certifie sur l'honneur").click()
    ecole_page.get_by_role("button", name=re.compile("Déposer")).click()
    numero = ecole_page.locator("[data-numero-demande]").inner_text().strip()
    demande = Demande.objects.get(numero=numero)
    assert (demande.candidat, demande.depose_par, demande.etat) == (
        eleve,
        gestionnaire,
        Etat.DEPOSEE,
    )

    # The school's dashboard and the student's account both show it.
    ecole_page.goto("/auto-ecoles/ecole/")
    expect(ecole_page.get_by_role("row", name=re.compile("Hugo Bernard"))).to_contain_text(numero)
    eleve_page.goto("/demandes/")
    expect(eleve_page.get_by_role("link", name=numero, exact=True)).to_be_visible()
    ecole_page.context.close()
    eleve_page.context.close()
