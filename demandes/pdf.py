"""PDFs the portal produces for a request, rendered from HTML templates by WeasyPrint.

`rendre_pdf` is the one way to turn a template into a PDF (the DSFR's Marianne font is
embedded from the static files); `recepisse_depot` is the receipt of a submitted category B
inscription. Tasks call these and store the result as a `DocumentProduit`.
"""

from pathlib import Path

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from weasyprint import HTML

from demandes import verification
from demandes.models import Demande, DocumentEmis
from demandes.pays import nom_pays


def _dossier_polices() -> str:
    chemin = finders.find("dsfr/dist/fonts/Marianne-Regular.woff2")
    return Path(chemin).parent.as_uri() + "/" if chemin else ""


def bloc_verification(emis: DocumentEmis) -> dict:
    """The code and QR code printed on a document, and the page they lead to."""
    code = emis.code
    url = settings.SITE_URL + reverse("verifier_code", args=[code])
    return {
        "code": verification.lisible(code),
        "url": url,
        "page": settings.SITE_URL + reverse("verifier"),
        # Quartile error correction: the code still scans from a creased printout. A PNG
        # (8 px a module, drawn without smoothing) rather than an SVG, whose hundreds of
        # paths WeasyPrint would lay out again at every render.
        "qr": segno.make(url, error="q").png_data_uri(scale=8, border=0, dark="#161616"),
    }


def rendre_pdf(template: str, contexte: dict, emis: DocumentEmis | None = None) -> bytes:
    """The PDF of a template; with `emis`, it carries that edition's verification code."""
    html = render_to_string(
        template,
        {
            "service": settings.PERMIS_SERVICE_NAME,
            "site_url": settings.SITE_URL,
            "polices": _dossier_polices(),
            "verification": bloc_verification(emis) if emis else None,
            **contexte,
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def recepisse_depot(demande: Demande, emis: DocumentEmis | None = None) -> bytes:
    """The récépissé de dépôt: lets the candidate start driving lessons on public roads."""
    return rendre_pdf(
        "demandes/pdf/recepisse_depot.html",
        {
            "demande": demande,
            "pays_naissance": nom_pays(demande.pays_naissance),
            "edite_le": emis.emis_le if emis else timezone.localtime(),
        },
        emis,
    )
