"""Back-office journey in Chromium: a CTN agent passes the form check, an instructor of the
département accepts, the candidate downloads the attestation d'inscription."""

import io
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from playwright.sync_api import expect
from pypdf import PdfReader

from demandes.models import Demande
from tests.factories import AgentCTNFactory, DemandeFactory, InstructeurFactory


@pytest.fixture
def ouvrir(browser, live_server):
    """A browser tab logged in as `user` (its own context: its own cookies)."""
    contextes = []

    def _ouvrir(user):
        client = Client()
        client.force_login(user)
        contexte = browser.new_context(
            base_url=live_server.url, locale="fr-FR", accept_downloads=True
        )
        contexte.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        contextes.append(contexte)
        page = contexte.new_page()
        page.set_default_timeout(15_000)
        return page

    yield _ouvrir
    for contexte in contextes:
        contexte.close()


def _sans_violation_grave(page):
    resultats = Axe().run(page)
    graves = [v for v in resultats.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert graves == [], [(v["id"], v["help"]) for v in graves]


def _confirmer(page, bouton: str):
    page.get_by_role("link", name=bouton).click()
    page.get_by_role("button", name=re.compile(r"^Confirmer")).click()


@pytest.mark.django_db(transaction=True)
def test_form_check_then_acceptance_then_the_candidate_downloads_the_attestation(ouvrir):
    demande = DemandeFactory(
        deposee=True, departement="69", nom_naissance="Garnier", prenoms="Lucie"
    )
    agent = AgentCTNFactory(first_name="Paul", last_name="Lefèvre")
    instructeur = InstructeurFactory(departement="69", first_name="Inès", last_name="Girard")

    # The CTN agent finds the request in the queue, claims it and passes the form check.
    page = ouvrir(agent)
    page.goto("/instruction/")
    _sans_violation_grave(page)
    page.get_by_label("Rechercher").fill("garnier")
    page.get_by_role("button", name="Filtrer").click()
    page.get_by_role("link", name=demande.numero).click()
    page.get_by_role("button", name="Prendre en charge").click()
    expect(page.get_by_text("Vous avez pris en charge cette demande")).to_be_visible()
    _sans_violation_grave(page)
    _confirmer(page, "Commencer le contrôle de forme")
    expect(page.locator("#etat")).to_have_text("En contrôle de forme")
    _confirmer(page, "Déclarer conforme et transmettre à l'instruction")
    expect(
        page.get_by_text(f"La demande {demande.numero} est transmise à l'instruction.")
    ).to_be_visible()

    # The instructor of the Rhône claims it and accepts it.
    page = ouvrir(instructeur)
    page.goto("/instruction/")
    page.get_by_role("link", name=demande.numero).click()
    page.get_by_role("button", name="Prendre en charge").click()
    _confirmer(page, "Accepter la demande")
    expect(page.get_by_text(f"La demande {demande.numero} est acceptée.")).to_be_visible()
    page.get_by_role("link", name="Pilotage").click()
    expect(page.get_by_role("heading", name="Pilotage", level=1)).to_be_visible()
    _sans_violation_grave(page)
    neph = Demande.objects.get(pk=demande.pk).neph
    assert neph and re.fullmatch(r"\d{4}6901\d{4}", neph)

    # The candidate downloads the attestation from the request's page.
    page = ouvrir(demande.candidat)
    page.goto(f"/demandes/{demande.numero}/")
    expect(page.get_by_text(neph)).to_be_visible()
    with page.expect_download() as telechargement:
        page.get_by_role("link", name=re.compile("Attestation d'inscription")).click()
    with open(telechargement.value.path(), "rb") as flux:
        texte = "".join(p.extract_text() for p in PdfReader(io.BytesIO(flux.read())).pages)
    assert neph in texte
    assert "GARNIER" in texte and "Lucie" in texte
