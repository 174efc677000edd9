import pytest
from axe_playwright_python.sync_playwright import Axe


@pytest.mark.django_db(transaction=True)
def test_home_page_loads_in_chromium_with_its_title(page):
    page.goto("/")
    assert page.title() == "Accueil – Permis en ligne"
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Vos démarches de permis de conduire, en ligne"
    )
    # The DSFR stylesheet and its Marianne font are served by the portal itself (no CDN).
    assert "Marianne" in page.evaluate("getComputedStyle(document.body).fontFamily")


@pytest.mark.django_db(transaction=True)
def test_home_page_has_no_serious_accessibility_violation(page):
    page.goto("/")
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert serious == [], [(v["id"], v["help"]) for v in serious]
