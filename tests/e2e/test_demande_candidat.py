"""A candidate files a category B inscription in the browser and downloads the receipt."""

import io
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect
from pypdf import PdfReader

from demandes.enums import Etat
from demandes.models import Demande
from tests.factories import CandidatFactory


def se_connecter(page, url: str, user) -> None:
    """Open a session for `user` and hand its cookie to the browser (login has its own tests)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": url}])


def sans_violation_grave(page) -> None:
    resultats = Axe().run(page)
    graves = [v for v in resultats.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert graves == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in graves]


@pytest.mark.django_db(transaction=True)
def test_candidate_files_a_category_b_inscription_and_downloads_the_receipt(
    page, live_server, fichiers
):
    candidat = CandidatFactory(first_name="Léa", last_name="Moreau")
    se_connecter(page, live_server.url, candidat)

    page.goto("/demandes/")
    page.get_by_role("link", name="Commencer une demande").click()

    # 1. Motif and category.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Motif de la demande")
    expect(
        page.get_by_text("ne pourra plus être modifié une fois cette étape validée")
    ).to_be_visible()
    page.get_by_label("Motif de la demande").select_option("inscription_premiere")
    page.get_by_text("B — voiture", exact=True).click()
    page.get_by_role("button", name="Valider le motif").click()

    # 2. État civil: a first try with mistakes, then fixed.
    expect(page.get_by_role("heading", level=1)).to_contain_text("État civil")
    page.get_by_label("Nom de naissance").fill("Moreau3")
    page.get_by_label("Prénoms", exact=False).first.fill("Léa Marie")
    page.get_by_text("Féminin", exact=True).click()
    page.get_by_label("Date de naissance").fill("2005-03-02")
    page.get_by_label("Commune de naissance").fill("Nantes")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    resume = page.locator("#resume-erreurs")
    expect(resume).to_contain_text("Le formulaire contient une erreur")
    expect(page.get_by_label("Commune de naissance")).to_have_value("Nantes")
    sans_violation_grave(page)
    resume.get_by_role("link").first.click()
    expect(page.get_by_label("Nom de naissance")).to_be_focused()
    page.get_by_label("Nom de naissance").fill("Moreau")
    page.get_by_role("button", name="Enregistrer et continuer").click()

    # 3. Address and contact.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Adresse et contact")
    page.get_by_label("Numéro et voie").fill("3 place Royale")
    page.get_by_label("Code postal").fill("44000")
    page.get_by_label("Commune", exact=True).fill("Nantes")
    page.get_by_label("Adresse électronique").fill("lea.moreau@exemple.fr")
    page.get_by_label("Téléphone portable").fill("07 51 22 33 44")
    page.get_by_role("button", name="Enregistrer et continuer").click()

    # 4. Photo code, taken at the (simulated) approved booth in another tab.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Photo et signature")
    with page.context.expect_page() as nouvel_onglet:
        page.get_by_role("link", name=re.compile("Obtenir un code photo")).click()
    cabine = nouvel_onglet.value
    cabine.get_by_label("Nom", exact=True).fill("Moreau")
    cabine.get_by_label("Prénoms").fill("Léa")
    cabine.get_by_role("button", name="Prendre la photo").click()
    code = cabine.locator("[data-code-photo]").inner_text().strip()
    cabine.close()
    assert re.fullmatch(r"[A-Z0-9]{22}", code)
    page.get_by_label("Code photo numérique").fill(code)
    page.get_by_role("button", name="Vérifier le code").click()
    photo = page.get_by_role("img", name="Votre photo d'identité")
    expect(photo).to_be_visible()
    expect(photo).to_have_js_property("naturalWidth", 413)  # the booth's image, loaded
    page.get_by_text("Je confirme que cette photo et cette signature sont les miennes.").click()
    page.get_by_role("button", name="Confirmer et continuer").click()

    # 5. Pieces: what the matrix asks of a French 21-year-old: ID, address proof, JDC.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pièces justificatives")
    page.get_by_label("Justificatif d'identité").set_input_files(fichiers["carte"])
    page.get_by_label("Justificatif de domicile").set_input_files(fichiers["facture"])
    page.get_by_label("Attestation de participation à la JDC").set_input_files(fichiers["jdc"])
    page.get_by_role("button", name="Enregistrer et continuer").click()

    # 6. Recap, then submission.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Récapitulatif")
    expect(page.get_by_text("carte-identite.jpg")).to_be_visible()
    expect(page.get_by_text("le 02/03/2005 à Nantes (France)")).to_be_visible()
    sans_violation_grave(page)
    page.get_by_text("Je certifie sur l'honneur").click()
    page.get_by_role("button", name="Déposer ma demande").click()

    expect(page.get_by_text("Votre demande a bien été déposée")).to_be_visible(timeout=15_000)
    numero = page.locator("[data-numero-demande]").inner_text().strip()
    demande = Demande.objects.get(numero=numero)
    assert demande.etat == Etat.DEPOSEE and demande.candidat == candidat
    assert sorted(demande.pieces.values_list("nature", flat=True)) == [
        "domicile",
        "identite",
        "jdc",
    ]

    # 7. The receipt, from "Mes demandes".
    page.get_by_role("link", name="Mes demandes").first.click()
    with page.expect_download() as telechargement:
        page.get_by_role("link", name=re.compile("Récépissé de dépôt")).click()
    contenu = telechargement.value.path().read_bytes()
    texte = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(contenu)).pages)
    assert numero in texte
    assert "Moreau" in texte and "Léa Marie" in texte
