"""The portal in Chromium. Its pages' accessibility (this one's included, every violation
counted) is audited by the crawls of test_accessibilite.py."""

import pytest


@pytest.mark.django_db(transaction=True)
def test_home_page_loads_in_chromium_with_its_title(page):
    page.goto("/")
    assert page.title() == "Accueil – Permis en ligne"
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Vos démarches de permis de conduire, en ligne"
    )
    # The DSFR stylesheet and its Marianne font are served by the portal itself (no CDN).
    assert "Marianne" in page.evaluate("getComputedStyle(document.body).fontFamily")
