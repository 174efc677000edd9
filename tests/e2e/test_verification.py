"""An exam inspector checks an attestation: the candidate downloads it, the inspector's phone
scans its QR code and opens the page, which says the document is genuine and valid."""

import re

import pypdfium2
import pytest
import zxingcpp
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from playwright.sync_api import expect

from tests.factories import DemandeFactory, InstructeurFactory


def _sans_violation(page):
    violations = Axe().run(page).response["violations"]
    assert violations == [], [(v["id"], v["impact"], v["help"]) for v in violations]


def _scanner(chemin_pdf: str) -> str:
    image = pypdfium2.PdfDocument(chemin_pdf)[0].render(scale=150 / 72).to_pil()
    (qr,) = zxingcpp.read_barcodes(image)
    return qr.text


@pytest.mark.django_db(transaction=True)
def test_inspector_scans_the_attestation_and_sees_it_verified(browser, live_server, settings):
    settings.SITE_URL = live_server.url  # what the QR code points at
    demande = DemandeFactory(
        en_instruction=True, departement="69", nom_naissance="Garnier", prenoms="Lucie"
    )
    demande.executer("accepter", par=InstructeurFactory(departement="69"))

    client = Client()
    client.force_login(demande.candidat)
    candidat = browser.new_context(base_url=live_server.url, locale="fr-FR", accept_downloads=True)
    candidat.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = candidat.new_page()
    page.goto(f"/demandes/{demande.numero}/")
    with page.expect_download() as telechargement:
        page.get_by_role("link", name=re.compile("Attestation d'inscription")).click()
    url = _scanner(telechargement.value.path())
    candidat.close()
    assert url.startswith(f"{live_server.url}/verifier/")

    # The inspector's phone: no account, no cookie.
    inspecteur = browser.new_context(locale="fr-FR")
    page = inspecteur.new_page()
    page.goto(url)
    expect(page.get_by_role("heading", name="Document authentique et valable")).to_be_visible()
    expect(page.get_by_text(demande.numero)).to_be_visible()
    expect(page.get_by_text("Lucie GARNIER")).to_be_visible()
    _sans_violation(page)

    # A mistyped code: the message sits in the error summary and next to the field, the
    # input is kept.
    page.get_by_label("Code de vérification").fill("AAAA-BBBB-CCCC-DDDD")
    page.get_by_role("button", name="Vérifier").click()
    expect(page.locator("#resume-erreurs")).to_be_focused()
    expect(page.get_by_text("ne correspond à aucun document")).to_have_count(2)
    expect(page.get_by_label("Code de vérification")).to_have_value("AAAA-BBBB-CCCC-DDDD")
    assert page.title().startswith("Erreur")
    _sans_violation(page)
    inspecteur.close()
