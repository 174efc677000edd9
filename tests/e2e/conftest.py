"""Browser journeys: Playwright driving Debian's Chromium against pytest-django's live server."""

import os
import shutil

import pytest
from PIL import Image

from tests.factories import pdf_minimal

# Playwright's sync API keeps an event loop in the test thread; Django's ORM calls made
# there from the test itself are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        _surveiller_la_csp(browser)
        yield browser
        browser.close()


# What Chromium reported as blocked by the Content-Security-Policy in the current test.
VIOLATIONS_CSP: list[str] = []


def _surveiller_la_csp(browser) -> None:
    """Every context the tests open reports the console's CSP refusals (an inline style, a
    script without the nonce, a form posting elsewhere) into VIOLATIONS_CSP."""
    ouvrir = browser.new_context

    def new_context(*args, **kwargs):
        context = ouvrir(*args, **kwargs)
        context.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text
                and VIOLATIONS_CSP.append(f"{message.text} ({message.location.get('url')})")
            ),
        )
        return context

    browser.new_context = new_context


@pytest.fixture(autouse=True)
def _aucune_violation_csp():
    """A journey passes only if the browser blocked nothing under the portal's policy."""
    VIOLATIONS_CSP.clear()
    yield
    assert VIOLATIONS_CSP == []


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def fichiers(tmp_path):
    """Real files as a candidate has them: a phone photo of an ID card, PDFs."""
    carte = tmp_path / "carte-identite.jpg"
    Image.new("RGB", (1200, 800), (40, 90, 160)).save(carte, "JPEG", quality=85)
    facture = tmp_path / "facture-edf.pdf"
    facture.write_bytes(pdf_minimal(2))
    jdc = tmp_path / "certificat-jdc.pdf"
    jdc.write_bytes(pdf_minimal())
    return {"carte": carte, "facture": facture, "jdc": jdc}
