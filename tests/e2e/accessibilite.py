"""What the accessibility journeys share: axe-core on a page, a logged-in tab, a crawler.

axe runs with its default rule set (WCAG 2.x A/AA and best practices) and every violation
counts, whatever its impact. The crawler follows the links a user of a role sees, so a page
added later is audited without anyone listing it; it also checks that each page says where the
user is (a unique title, a breadcrumb from the home page).
"""

import json
import re
import weakref
from urllib.parse import urljoin, urlsplit

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import Error as ErreurPlaywright

_AXE = Axe()
_AUDIT = f"axe.run({json.dumps({'resultTypes': ['violations']})})"
# The contexts whose documents get axe as they open (see violations).
_AVEC_AXE: weakref.WeakSet = weakref.WeakSet()

# Never followed: leaving the session, the file downloads and images, the outside services
# (audited on their own), the admin's actions (audited separately).
NON_SUIVIS = re.compile(
    r"/compte/logout/"
    r"|/(photo|signature)(\.jpg|\.png|/)$"
    r"|/pieces/\d+/$|/documents/\d+/$|/piece-jointe/$"
    r"|/simulateurs/|/franceconnect-simulateur/"
    r"|/admin/"
)


def violations(page) -> list[tuple]:
    """axe-core's violations on the page as it is now: (rule, impact, help, targets)."""
    # axe (570 kB) is handed once to the tab's context, which runs it in each document it
    # opens, rather than sent to every page audited (Axe.run's way, as costly as the audit).
    if page.context not in _AVEC_AXE:
        page.context.add_init_script(script=_AXE.axe_script)
        _AVEC_AXE.add(page.context)
    if page.evaluate("typeof axe") == "undefined":  # a document opened before
        page.evaluate(_AXE.axe_script)
    return [
        (v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:5])
        for v in page.evaluate(_AUDIT)["violations"]
    ]


def onglet(browser, live_server, user=None, **options):
    """A new tab (its own context, its own cookies), logged in as `user` if one is given."""
    contexte = browser.new_context(
        base_url=live_server.url, locale="fr-FR", accept_downloads=True, **options
    )
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        contexte.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = contexte.new_page()
    page.set_default_timeout(15_000)
    return page


def _cle(url: str) -> str:
    """One visit per path and set of query parameters (filters differ by value only)."""
    morceaux = urlsplit(url)
    cles = sorted({p.split("=")[0] for p in morceaux.query.split("&") if p})
    return morceaux.path + ("?" + "&".join(cles) if cles else "")


def reperes(page) -> list[tuple]:
    """What tells the user where they are: a title naming the page before the service, and
    (on every page but the home page) a breadcrumb whose first link is the home page."""
    fautes = []
    titre = page.title()
    if not re.fullmatch(rf".+ – {re.escape(settings.PERMIS_SERVICE_NAME)}", titre):
        fautes.append(("titre", titre))
    accueil = page.locator("nav.fr-breadcrumb a.fr-breadcrumb__link[href='/']")
    if urlsplit(page.url).path != "/" and accueil.count() != 1:
        fautes.append(("fil-ariane", "no breadcrumb starting at the home page"))
    return fautes


def _ouvrir(page, url: str):
    """Go to `url`: its response, or None for a file (the browser downloads it)."""
    try:
        return page.goto(url)
    except ErreurPlaywright as erreur:
        if "Download is starting" in erreur.message:
            return None
        raise


def parcourir(page, depart: list[str], limite: int = 80) -> dict[str, list[tuple]]:
    """Visit every HTML page reachable by links from `depart`; axe each and check its
    landmarks (reperes); a title shared by two pages (paths) is a fault too."""
    a_voir, vues, visites, fautes, titres = list(depart), set(), 0, {}, {}
    while a_voir and visites < limite:
        url = a_voir.pop(0)
        if _cle(url) in vues:
            continue
        vues.add(_cle(url))
        visites += 1
        reponse = _ouvrir(page, url)
        # Files are not pages; a page this role may not see is an error page, audited once
        # in its own test rather than once per forbidden link.
        if (
            reponse is None
            or not reponse.ok
            or "text/html" not in reponse.headers.get("content-type", "")
        ):
            continue
        # A link that redirects lands on a page seen once too: every protected link on the
        # login page (its `next` differs by value only), a role's /espace/ on its home page.
        arrivee = _cle(page.url)
        if arrivee != _cle(url):
            if arrivee in vues:
                continue
            vues.add(arrivee)
        origine = urlsplit(page.url).netloc
        if trouvees := violations(page) + reperes(page):
            fautes[url] = trouvees
        titres.setdefault(page.title(), set()).add(urlsplit(page.url).path)
        for lien in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            absolu = urljoin(page.url, lien).split("#")[0]
            morceaux = urlsplit(absolu)
            if morceaux.netloc != origine or NON_SUIVIS.search(morceaux.path):
                continue
            chemin = morceaux.path + (f"?{morceaux.query}" if morceaux.query else "")
            if _cle(chemin) not in vues:
                a_voir.append(chemin)
    restantes = [url for url in a_voir if _cle(url) not in vues]
    assert not restantes, f"more than {limite} pages: raise the limit ({restantes[:5]})"
    for titre, chemins in titres.items():
        if len(chemins) > 1:
            fautes[f"« {titre} »"] = [("titre-unique", sorted(chemins))]
    return fautes
