"""Security headers: a strict Content-Security-Policy with a fresh nonce on every response,
markup that needs nothing more (no inline style attribute or unnonced script/style), a
Permissions-Policy denying what the portal does not use, and CSP reports logged."""

import json
import logging
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse

from demandes.enums import Motif, Piece
from demandes.models import PieceJustificative
from tests.demandes import assistant
from tests.factories import AdminFactory, DemandeFactory

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Mails and PDFs are not pages a browser loads under the portal's policy.
HORS_NAVIGATEUR = ("emails", "demandes/pdf")


def politique(reponse) -> dict[str, list[str]]:
    entete = reponse["Content-Security-Policy"]
    return {
        directive.split()[0]: directive.split()[1:]
        for directive in (d.strip() for d in entete.split(";"))
        if directive
    }


class _Balises(HTMLParser):
    """Every style attribute, and the nonce of every inline script and <style> (and of any
    element that has one)."""

    def __init__(self):
        super().__init__()
        self.attributs_style: list[str] = []
        self.nonces: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        attributs = dict(attrs)
        if "style" in attributs:
            self.attributs_style.append(tag)
        inline = tag == "style" or (
            tag == "script"
            and "src" not in attributs
            and attributs.get("type") not in {"application/json", "application/ld+json"}
        )
        if inline or "nonce" in attributs:
            self.nonces.append((tag, attributs.get("nonce")))
        if any(nom.startswith("on") for nom in attributs):
            self.attributs_style.append(f"{tag} (gestionnaire on…)")


def verifier_page(reponse, dsfr: bool = True) -> None:
    assert reponse.status_code == 200, reponse.status_code
    directives = politique(reponse)
    nonce = directives["script-src"][-1].removeprefix("'nonce-").removesuffix("'")
    assert directives["default-src"] == ["'none'"]
    assert re.fullmatch(r"[A-Za-z0-9+/]{22}==", nonce)  # 16 random bytes
    assert directives["script-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert directives["style-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert directives["object-src"] == ["'none'"] and directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["report-uri"] == ["/csp/rapport/"]
    assert "'unsafe-inline'" not in reponse["Content-Security-Policy"]
    assert "'unsafe-eval'" not in reponse["Content-Security-Policy"]
    balises = _Balises()
    balises.feed(reponse.content.decode())
    assert balises.attributs_style == []
    if dsfr:
        assert balises.nonces, "the DSFR base loads its scripts with the nonce"
    assert all(n == nonce for _, n in balises.nonces), balises.nonces


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    # (the admin's login is allauth's /compte/login/: /admin/login/ only redirects there)
    ["/", "/compte/login/", "/compte/signup/", "/ou-en-est-mon-permis/"],
)
def test_anonymous_pages_carry_a_strict_policy_their_markup_fits(client, url):
    verifier_page(client.get(url), dsfr=not url.startswith("/admin/"))


@pytest.mark.django_db
def test_each_response_gets_a_new_nonce(client):
    premiere, seconde = (politique(client.get("/"))["script-src"][-1] for _ in range(2))
    assert premiere != seconde


@pytest.mark.django_db
def test_wizard_pages_fit_the_policy(client, candidat):
    client.force_login(candidat)
    demande = assistant.commencer(client, Motif.FIN_VALIDITE)
    assistant.remplir_etat_civil(client, demande)
    assistant.remplir_adresse(client, demande)
    verifier_page(client.get(assistant.url_etape(demande, "photo")))
    assistant.remplir_photo(client, demande)
    verifier_page(client.get(assistant.url_etape(demande, "photo")))  # the kept photo shown
    assistant.remplir_pieces(client, demande)
    verifier_page(client.get(assistant.url_etape(demande, "recapitulatif")))


@pytest.mark.django_db
def test_back_office_page_fits_the_policy_and_only_documents_may_be_framed(client, instructeur):
    demande = DemandeFactory(en_instruction=True, departement="69", pieces=False)
    for nature, contenu, type_mime in [
        (Piece.IDENTITE, b"%PDF-1.4\n", "application/pdf"),
        (Piece.DOMICILE, assistant.png().read(), "image/png"),
    ]:
        piece = PieceJustificative(
            demande=demande, nature=nature, nom_original="x", type_mime=type_mime, taille=1
        )
        piece.fichier.save("x", ContentFile(contenu), save=True)
    client.force_login(instructeur)
    verifier_page(client.get(reverse("instruction:demande", args=[demande.numero])))

    # The preview frame of the same page: framed by the portal itself, by no one else.
    identite = demande.pieces.get(nature=Piece.IDENTITE)
    apercu = client.get(reverse("instruction:piece", args=[demande.numero, identite.pk]))
    assert apercu["X-Frame-Options"] == "SAMEORIGIN"
    assert politique(apercu)["frame-ancestors"] == ["'self'"]
    # Anything else may not be framed at all.
    assert client.get("/")["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_admin_pages_fit_the_policy(client):
    client.force_login(AdminFactory())  # enrolled in the second factor the admin requires
    verifier_page(client.get("/admin/"), dsfr=False)
    verifier_page(client.get("/admin/demandes/demande/"), dsfr=False)


@pytest.mark.parametrize(
    "gabarit",
    sorted(
        str(p.relative_to(TEMPLATES))
        for p in TEMPLATES.rglob("*.html")
        if not str(p.relative_to(TEMPLATES)).startswith(HORS_NAVIGATEUR)
    ),
)
def test_no_template_needs_unsafe_inline(gabarit):
    """Every page template, the simulators' and FranceConnect's included: no style attribute,
    no inline event handler, and any inline <script> or <style> carries the nonce."""
    source = (TEMPLATES / gabarit).read_text()
    assert not re.search(r"\sstyle=", source)
    assert not re.search(r"\son[a-z]+=", source)
    for balise in re.findall(r"<(?:script|style)\b[^>]*>", source):
        assert "src=" in balise or "csp_nonce" in balise, balise


def test_permissions_policy_denies_what_the_portal_does_not_use(client):
    entete = client.get("/ou-en-est-mon-permis/")["Permissions-Policy"]
    regles = dict(regle.strip().split("=", 1) for regle in entete.split(","))
    for fonction in ("camera", "microphone", "geolocation", "payment", "usb", "autoplay"):
        assert regles[fonction] == "()", fonction
    assert regles["fullscreen"] == "(self)"


# --- CSP reports ----------------------------------------------------------------------------


RAPPORT = {
    "csp-report": {
        "document-uri": "https://permis.example.gouv.fr/demandes/",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "blocked-uri": "https://piege.example/x.js",
        "disposition": "enforce",
    }
}


def test_a_violation_report_is_logged(client, caplog):
    with caplog.at_level(logging.WARNING, logger="permis.csp"):
        reponse = client.post(
            "/csp/rapport/", json.dumps(RAPPORT), content_type="application/csp-report"
        )
    assert reponse.status_code == 204
    assert "https://piege.example/x.js" in caplog.text and "script-src-elem" in caplog.text


def test_a_reporting_api_batch_is_logged(client, caplog):
    lot = [
        {
            "type": "csp-violation",
            "body": {
                "documentURL": "https://permis.example.gouv.fr/",
                "effectiveDirective": "style-src-attr",
                "blockedURL": "inline",
            },
        },
        {"type": "deprecation", "body": {"id": "x"}},
    ]
    with caplog.at_level(logging.WARNING, logger="permis.csp"):
        reponse = client.post("/csp/rapport/", lot, content_type="application/reports+json")
    assert reponse.status_code == 204
    assert len(caplog.records) == 1 and "style-src-attr" in caplog.text


@pytest.mark.parametrize(
    "methode, corps, statut",
    [("get", None, 405), ("post", b"pas du json", 400), ("post", b"{" + b" " * 20_000 + b"}", 413)],
)
def test_report_endpoint_refuses_what_is_not_a_report(client, caplog, methode, corps, statut):
    with caplog.at_level(logging.WARNING, logger="permis.csp"):
        if methode == "get":
            reponse = client.get("/csp/rapport/")
        else:
            reponse = client.post("/csp/rapport/", corps, content_type="application/csp-report")
    assert reponse.status_code == statut
    assert not [r for r in caplog.records if r.name == "permis.csp"]
