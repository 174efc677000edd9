"""The backlog's weekly chart in a real browser: drawn under the portal's CSP (its colours
are SVG presentation attributes, which style-src does not govern), named for assistive
technologies by its text alternative, and free of axe-core violations."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from demandes.enums import Etat
from tests.e2e.accessibilite import onglet, violations
from tests.factories import AgentCTNFactory, DemandeFactory


@pytest.mark.django_db(transaction=True)
def test_the_weekly_chart_is_drawn_named_and_accessible(browser, live_server):
    maintenant = timezone.now()
    for semaines, jours in [(1, 2), (1, 9), (3, 4), (8, 20), (20, 6)]:
        decidee_le = maintenant - timedelta(weeks=semaines)
        DemandeFactory(
            etat=Etat.ACCEPTEE,
            departement="69",
            deposee_le=decidee_le - timedelta(days=jours),
            decidee_le=decidee_le,
        )
    DemandeFactory(en_instruction=True, departement="69", deposee_le=maintenant)

    page = onglet(browser, live_server, AgentCTNFactory())
    page.goto("/instruction/pilotage/")

    graphique = page.get_by_role(
        "img", name="Demandes déposées et décidées par semaine, et délai médian de décision"
    )
    expect(graphique).to_be_visible()
    boite = graphique.bounding_box()
    assert boite["width"] > 300 and boite["height"] > 100  # drawn, at its aspect ratio
    # The bars kept their colour: the CSP did not strip the presentation attributes.
    couleur = page.locator("#graphique-semaines rect[fill='#000091']").last.evaluate(
        "el => getComputedStyle(el).fill"
    )
    assert couleur == "rgb(0, 0, 145)"
    expect(page.get_by_role("table", name="Demandes déposées et décidées")).to_be_visible()
    if dossier := os.environ.get("PERMIS_CAPTURES"):
        page.screenshot(path=f"{dossier}/pilotage.png", full_page=True)
    assert violations(page) == []
