"""RGAA in the browser: zero axe-core violations, of any impact, on every page of every role.

Each role's tab starts where that user starts and follows every link it sees (the crawler in
tests/e2e/accessibilite.py), on the demo data plus requests in the states the demo lacks.
Forms are also audited in their error state, as the user sees them after a mistake.
"""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.urls import reverse
from playwright.sync_api import expect

from accounts.enums import Role
from accounts.models import User
from demandes import uploads
from demandes.enums import Etat
from demandes.models import Demande
from demandes.wizard import ETAPES
from echanges.enums import Cote
from echanges.models import Message
from instruction.models import PriseEnCharge
from permis.erreurs import erreur_serveur
from tests.e2e import instantane
from tests.e2e.accessibilite import onglet, parcourir, violations
from tests.factories import DemandeFactory, pdf_minimal

PAGES_OBLIGATOIRES = [
    "/accessibilite/",
    "/mentions-legales/",
    "/donnees-personnelles/",
    "/plan-du-site/",
    "/gestion-des-cookies/",
]


COMPTES = {
    "candidat@demo.permis.fr": Role.CANDIDAT,
    "auto-ecole@demo.permis.fr": Role.AUTO_ECOLE,
    "agent.ctn@demo.permis.fr": Role.AGENT_CTN,
    "instructeur.ddt69@demo.permis.fr": Role.INSTRUCTEUR_DDT,
    "admin@demo.permis.fr": "admin",
}


def _comptes() -> dict:
    return {role: User.objects.get(email=email) for email, role in COMPTES.items()}


@pytest.fixture(scope="module")
def _demo_en_reserve(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once for the module (its PDFs and emails take seconds), its rows kept
    aside (tests/e2e/instantane.py) and its files in a folder of the module's; yields it."""
    dossier = tmp_path_factory.mktemp("demo") / "private"
    stockage = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": dossier, "base_url": None},
        },
    }
    md5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PERMIS_DEMO=True, STORAGES=stockage, PASSWORD_HASHERS=md5),
    ):
        call_command("charger_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        comptes = _comptes()
        candidat = comptes[Role.CANDIDAT]
        for trait in ["a_completer_depuis_controle", "acceptee", "retourne", "en_instance"]:
            DemandeFactory(candidat=candidat, departement="69", **{trait: True})
        DemandeFactory(candidat=candidat, departement="69", etat=Etat.REJETEE)
        _fil_de_messages(candidat, comptes[Role.INSTRUCTEUR_DDT])
        instantane.prendre()
        # The database as the module found it, as pytest-django's flush leaves it.
        call_command("flush", verbosity=0, interactive=False, reset_sequences=False)
    yield stockage
    with django_db_blocker.unblock():
        instantane.effacer()


@pytest.fixture
def demo(_demo_en_reserve, settings, transactional_db):
    """The demo accounts and requests, plus the states a candidate's list can also show: the
    module's copy put back, whatever the previous test changed (a thread read, a session)."""
    settings.PERMIS_DEMO = True
    settings.STORAGES = _demo_en_reserve
    instantane.restaurer()
    return _comptes()


def _fil_de_messages(candidat, instructeur) -> None:
    """A thread in each state its pages show: read and unread messages, an attachment, a
    request of the instructor's queue with « Réponse reçue », a closed thread."""
    en_cours = DemandeFactory(candidat=candidat, departement="69", en_instruction=True)
    PriseEnCharge.objects.prendre(en_cours, instructeur)
    piece = uploads.verifier(SimpleUploadedFile("releve.pdf", pdf_minimal(), "application/pdf"))
    Message.objects.envoyer(en_cours, instructeur, Cote.SERVICE, "Pouvez-vous préciser ?", piece)
    Message.objects.envoyer(en_cours, candidat, Cote.DEMANDEUR, "Voici la précision demandée.")
    close = DemandeFactory(candidat=candidat, departement="69", en_instruction=True)
    Message.objects.envoyer(close, candidat, Cote.DEMANDEUR, "Une question avant la décision.")
    close.executer("accepter", par=instructeur)


def _sans_faute(fautes: dict) -> None:
    assert fautes == {}, "\n".join(
        f"{url}: {faute}" for url, liste in fautes.items() for faute in liste
    )


@pytest.mark.django_db(transaction=True)
def test_public_pages_and_mandatory_pages_have_no_violation(browser, live_server, demo):
    page = onglet(browser, live_server)
    depart = ["/", "/compte/login/", "/compte/signup/", "/compte/password/reset/"]
    _sans_faute(parcourir(page, depart + PAGES_OBLIGATOIRES))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "role,depart",
    [
        (Role.CANDIDAT, ["/espace/", "/demandes/", "/demandes/nouvelle/"]),
        (Role.AUTO_ECOLE, ["/espace/", "/auto-ecoles/ecole/"]),
        (Role.AGENT_CTN, ["/espace/", "/instruction/", "/instruction/pilotage/"]),
        (Role.INSTRUCTEUR_DDT, ["/espace/", "/instruction/", "/instruction/pilotage/"]),
    ],
)
def test_every_page_a_role_reaches_has_no_violation(browser, live_server, demo, role, depart):
    page = onglet(browser, live_server, demo[role])
    _sans_faute(parcourir(page, depart))
    page.context.close()


@pytest.mark.django_db(transaction=True)
def test_admin_login_and_changelists_have_no_violation(browser, live_server, demo):
    from django.contrib import admin

    page = onglet(browser, live_server)
    fautes = {}
    page.goto("/admin/login/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    if trouvees := violations(page):
        fautes["/admin/login/"] = trouvees
    page.context.close()

    page = onglet(browser, live_server, demo["admin"])
    urls = ["/admin/"] + [
        f"/admin/{modele._meta.app_label}/{modele._meta.model_name}/"
        for modele in admin.site._registry
    ]
    for url in urls:
        page.goto(url)
        if trouvees := violations(page):
            fautes[url] = trouvees
    page.context.close()
    _sans_faute(fautes)


@pytest.mark.django_db(transaction=True)
def test_simulated_services_pages_have_no_violation(browser, live_server, demo):
    page = onglet(browser, live_server)
    fautes = {}
    page.goto("/simulateurs/cabine-photo/")
    fautes["cabine"] = violations(page)
    page.get_by_label("Nom", exact=True).fill("Martin")
    page.get_by_label("Prénoms").fill("Camille")
    page.get_by_role("button", name="Prendre la photo").click()
    fautes["planche"] = violations(page)
    page.goto("/simulateurs/timbres-fiscaux/")
    fautes["timbres"] = violations(page)
    page.get_by_role("button").click()
    fautes["timbres, erreurs"] = violations(page)
    _sans_faute({k: v for k, v in fautes.items() if v})


@pytest.mark.django_db(transaction=True)
def test_error_pages_have_no_violation(browser, live_server, demo):
    page = onglet(browser, live_server, demo[Role.CANDIDAT])
    fautes = {}
    page.goto("/une-page-qui-n-existe-pas/")
    fautes["404"] = violations(page)
    page.goto("/instruction/")  # a candidate in the back-office
    fautes["403"] = violations(page)
    page.goto("/demandes/?q=%00")  # a NUL byte is refused before any query
    fautes["400"] = violations(page)
    # A form sent without its CSRF cookie (as after the cookie expired).
    page.goto("/demandes/nouvelle/")
    page.context.clear_cookies(name="csrftoken")
    page.get_by_role("button", name="Valider le motif").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Formulaire expiré")
    fautes["csrf"] = violations(page)
    # No URL fails on purpose: the 500 page is served as its handler renders it.
    html = erreur_serveur(RequestFactory().get("/")).content.decode()
    page.route("**/erreur-serveur/", lambda route: route.fulfill(status=500, body=html))
    page.goto("/erreur-serveur/")
    fautes["500"] = violations(page)
    _sans_faute({k: v for k, v in fautes.items() if v})


LARGEUR_REFLOW = 320  # CSS px: RGAA 10.11 / WCAG 1.4.10
PAGES_REFLOW = [
    "/",
    "/demandes/",
    "/demandes/nouvelle/",
    "/ou-en-est-mon-permis/",
    *PAGES_OBLIGATOIRES,
]
PAGES_AGENT = ["/instruction/", "/instruction/pilotage/"]


def _deborde(page) -> list[str]:
    """The page scrolls sideways, or some text is cut by its box (tables scroll in their own
    frame, as the DSFR designs them; DSFR's icon-only menu button hides its label on purpose)."""
    return page.evaluate(
        """() => {
        const racine = document.documentElement;
        const fautes = [];
        if (racine.scrollWidth > racine.clientWidth) fautes.push("page: " + racine.scrollWidth + "px");
        for (const el of document.querySelectorAll("body *")) {
            if (el.closest(".fr-table__container, .fr-sr-only, .fr-btn--menu, .fr-collapse, .fr-modal"))
                continue;
            const style = getComputedStyle(el);
            if (style.display === "none" || style.visibility === "hidden") continue;
            const coupe = ["hidden", "clip"].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
            const texte = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
            if (coupe && texte) fautes.push("coupé : " + el.tagName + "." + el.className);
        }
        return fautes.slice(0, 10);
    }"""
    )


@pytest.mark.django_db(transaction=True)
def test_pages_reflow_at_320_px_and_with_text_at_200_percent(browser, live_server, demo):
    page = onglet(
        browser,
        live_server,
        demo[Role.CANDIDAT],
        viewport={"width": LARGEUR_REFLOW, "height": 640},
    )
    brouillon = Demande.objects.filter(candidat=demo[Role.CANDIDAT]).brouillons().get()
    etapes = [
        reverse("demandes:etape", args=[brouillon.numero, e.slug])
        for e in ETAPES
        if e.slug != "confirmation"
    ]
    agent = onglet(
        browser,
        live_server,
        demo[Role.AGENT_CTN],
        viewport={"width": LARGEUR_REFLOW, "height": 640},
    )
    fautes = {}
    for onglet_, urls in [(page, PAGES_REFLOW + etapes), (agent, PAGES_AGENT)]:
        for url in urls:
            onglet_.goto(url)
            if trouvees := _deborde(onglet_):
                fautes[f"{url} (320 px)"] = trouvees
    agent.context.close()
    page.set_viewport_size({"width": 1280, "height": 800})
    # Text zoom (not page zoom): the browser's default font size doubled, as its setting does;
    # the DSFR's rem sizes and em breakpoints follow it.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    for url in PAGES_REFLOW:
        page.goto(url)
        if trouvees := _deborde(page):
            fautes[f"{url} (texte 200 %)"] = trouvees
    page.context.close()
    assert fautes == {}


@pytest.mark.django_db(transaction=True)
def test_forms_in_their_error_state_have_no_violation(browser, live_server, demo):
    """Sent back with errors: the summary has the focus and links to each field."""
    fautes = {}
    page = onglet(browser, live_server)
    for url, bouton in [
        ("/compte/login/", "Se connecter"),
        ("/compte/signup/", "Créer mon compte"),
        ("/ou-en-est-mon-permis/", "Consulter l'état"),
        ("/compte/password/reset/", "Réinitialiser mon mot de passe"),
        ("/verifier/", "Vérifier"),
    ]:
        page.goto(url)
        page.get_by_role("button", name=bouton, exact=True).click()
        expect(page.locator("#resume-erreurs")).to_be_focused()
        assert page.title().startswith("Erreur : ")
        fautes[url] = violations(page)
    page.context.close()

    # A request's thread, sent empty, on both sides.
    fil = Message.objects.filter(demande__etat=Etat.EN_INSTRUCTION).first().demande
    for role, url in [
        (Role.CANDIDAT, reverse("echanges:fil", args=[fil.numero])),
        (Role.INSTRUCTEUR_DDT, reverse("instruction:messages", args=[fil.numero])),
    ]:
        page = onglet(browser, live_server, demo[role])
        page.goto(url)
        page.get_by_role("button", name="Envoyer le message").click()
        expect(page.locator("#resume-erreurs")).to_be_focused()
        assert page.title().startswith("Erreur : ")
        fautes[url] = violations(page)
        page.context.close()

    # A school's invitation, sent to an address that is not one.
    page = onglet(browser, live_server, demo[Role.AUTO_ECOLE])
    page.goto("/auto-ecoles/ecole/")
    page.locator("#id_eleve_email").fill("hugo@exemple")
    page.locator("#id_eleve_email").press("Enter")
    expect(page.locator("#resume-erreurs")).to_be_focused()
    expect(page.locator("#id_eleve_email")).to_have_value("hugo@exemple")
    assert page.title().startswith("Erreur : ")
    fautes["/auto-ecoles/ecole/inviter/eleve/"] = violations(page)
    page.context.close()

    _sans_faute({k: v for k, v in fautes.items() if v})


# WCAG 1.4.12's spacings, the largest a user's style sheet may set (RGAA 10.12).
ESPACEMENTS = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""


def _texte_coupe(page) -> list[str]:
    """Text a box hides (it clips its overflow and the text no longer fits), either way."""
    return page.evaluate(
        """() => {
        const fautes = [];
        for (const el of document.querySelectorAll("body *")) {
            if (el.closest(".fr-table__container, .fr-sr-only, .fr-btn--menu, .fr-collapse, .fr-modal"))
                continue;
            const style = getComputedStyle(el);
            if (style.display === "none" || style.visibility === "hidden") continue;
            const texte = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
            if (!texte) continue;
            const cache = v => ["hidden", "clip"].includes(v);
            if ((cache(style.overflowX) && el.scrollWidth > el.clientWidth + 1)
                || (cache(style.overflowY) && el.scrollHeight > el.clientHeight + 1))
                fautes.push("coupé : " + el.tagName + "." + el.className);
        }
        return fautes.slice(0, 10);
    }"""
    )


@pytest.mark.django_db(transaction=True)
def test_text_spacing_can_be_raised_without_loss(browser, live_server, demo):
    """A user style sheet (here injected, hence the policy bypassed) spaces lines, letters,
    words and paragraphs as far as WCAG 1.4.12 asks: no text is cut, the page does not widen."""
    page = onglet(browser, live_server, demo[Role.CANDIDAT], bypass_csp=True)
    brouillon = Demande.objects.filter(candidat=demo[Role.CANDIDAT]).brouillons().get()
    etapes = [
        reverse("demandes:etape", args=[brouillon.numero, e.slug])
        for e in ETAPES
        if e.slug != "confirmation"
    ]
    fautes = {}
    for url in PAGES_REFLOW + etapes:
        page.goto(url)
        page.add_style_tag(content=ESPACEMENTS)
        # The sheet applies (a sheet the page refused would make the test vacuous).
        assert page.evaluate("() => getComputedStyle(document.body).wordSpacing") != "0px"
        if trouvees := _deborde(page) + _texte_coupe(page):
            fautes[url] = trouvees
    page.context.close()
    assert fautes == {}
