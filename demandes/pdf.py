"""PDFs the portal produces for a request, rendered from HTML templates by WeasyPrint.

`rendre_pdf` is the one way to turn a template into a PDF (the DSFR's Marianne font is
embedded from the static files); `recepisse_depot` is the receipt of a submitted category B
inscription. Tasks call these and store the result as a `DocumentProduit`.

What is the same for every document is done once per thread, not at every render
(bench/pdf.py measures it): loading the fonts (a WeasyPrint `FontConfiguration`, which reads
and decodes the Marianne files) and parsing the stylesheets (base.css and the document's
own .css beside its template, as `weasyprint.CSS`). WeasyPrint's objects are not shared
between threads (gunicorn runs several), hence one set per thread.
"""

import threading
from pathlib import Path

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

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
        # Quartile error correction: the code still scans from a creased printout. A fixed
        # mask: any of the eight is valid and read by every scanner, choosing the best one
        # (segno scores all eight) cost more than the rest of the code. A PNG of one pixel a
        # module, enlarged without smoothing (`image-rendering: crisp-edges`): WeasyPrint
        # draws it faster than a bigger PNG or an SVG, at every render.
        "qr": segno.make(url, error="q", mask=0).png_data_uri(scale=1, border=0, dark="#161616"),
    }


class _Moteur:
    """One thread's fonts and parsed stylesheets, kept from one render to the next."""

    def __init__(self):
        self.polices = FontConfiguration()
        self._feuilles: dict[str, CSS] = {}

    def feuilles(self, template: str) -> list[CSS]:
        return [self._feuille("demandes/pdf/base.css"), self._feuille(template[:-5] + ".css")]

    def _feuille(self, nom: str) -> CSS:
        if nom not in self._feuilles:
            texte = render_to_string(nom, {"polices": _dossier_polices()})
            self._feuilles[nom] = CSS(string=texte, font_config=self.polices)
        return self._feuilles[nom]


_local = threading.local()


def _moteur() -> _Moteur:
    if not hasattr(_local, "moteur"):
        _local.moteur = _Moteur()
    return _local.moteur


def rendre_pdf(template: str, contexte: dict, emis: DocumentEmis | None = None) -> bytes:
    """The PDF of a template; with `emis`, it carries that edition's verification code."""
    html = render_to_string(
        template,
        {
            "service": settings.PERMIS_SERVICE_NAME,
            "site_url": settings.SITE_URL,
            "verification": bloc_verification(emis) if emis else None,
            **contexte,
        },
    )
    moteur = _moteur()
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=moteur.feuilles(template),
        font_config=moteur.polices,
        # Tagged (RGAA 13.3): headings, tables, lists and images with their text
        # alternative for screen readers, the language and the title shown. About a
        # twentieth of a render (bench/pdf.py).
        pdf_variant="pdf/ua-1",
    )


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
