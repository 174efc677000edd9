"""Benchmark, run by hand: the attestation and the récépissé against a plain one-page PDF.

    .venv/bin/python bench/pdf.py [runs]

In process, no database (the request is built in memory, with a booth-sized photo and a
signature): each document is rendered `runs` times (default 15), interleaved with a plain
one-page WeasyPrint document rendered in the same run, and the medians are printed with
their ratio to the plain page's. Times are the process's CPU time (a render uses one thread):
on a machine others load, the wall clock also counts the time spent waiting for a core. For
figures that do not move with the load, count instructions with valgrind --tool=callgrind.

Two more lines for reading the ratios, neither of them the reference: the attestation's and
the récépissé's text alone (what pypdf extracts from them, one paragraph a line) in the plain
page's document, i.e. what WeasyPrint needs to lay out that much text with no letterhead,
table, image, QR code, webfont or tagging: the floor below which no change to our templates
or to how we call WeasyPrint can bring a document.
"""

import html
import io
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "permis.settings")

import django  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.utils import timezone  # noqa: E402
from PIL import Image  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from weasyprint import HTML  # noqa: E402

from demandes import attestation, pdf  # noqa: E402
from demandes.enums import Motif  # noqa: E402
from demandes.models import Demande, DocumentEmis  # noqa: E402

PAGE_SIMPLE = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<style>@page { size: A4; margin: 2cm } body { font-family: sans-serif }</style></head>
<body><h1>Attestation</h1><p>Une page, un titre et un paragraphe de texte.</p></body></html>"""


def _image(taille: tuple[int, int], format: str) -> ContentFile:
    sortie = io.BytesIO()
    Image.new("RGB", taille, (200, 180, 160)).save(sortie, format)
    return ContentFile(sortie.getvalue(), name=f"image.{format.lower()}")


def _texte_seul(pdf_document: bytes) -> str:
    """The plain page's document with the text of `pdf_document`, page for page."""
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf_document)).pages]
    corps = '<p style="page-break-before: always"></p>'.join(
        "".join(f"<p>{html.escape(ligne)}</p>" for ligne in texte.splitlines()) for texte in pages
    )
    return PAGE_SIMPLE[: PAGE_SIMPLE.index("<body>")] + f"<body>{corps}</body></html>"


def main() -> None:
    essais = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    demande = Demande(
        numero="B3KX-9QF2-7M4T",
        motif=Motif.INSCRIPTION_PREMIERE,
        categories=["B"],
        nom_naissance="MARTIN",
        prenoms="Camille",
        sexe="F",
        date_naissance=date(2006, 4, 12),
        commune_naissance="Lyon",
        adresse="8 place Bellecour",
        code_postal="69002",
        commune="Lyon",
        departement="69",
        neph="690123456789",
        deposee_le=timezone.now(),
        decidee_le=timezone.now(),
    )
    emis = DocumentEmis(nature="attestation_inscription", version=1)  # a fresh reference
    emis.titulaire = "Camille MARTIN"
    contexte = attestation.contexte(demande)
    photo, signature = _image((350, 450), "JPEG"), _image((400, 150), "PNG")
    contexte["images"] = {"photo": photo.read(), "signature": signature.read()}
    documents = {
        "page simple (WeasyPrint)": lambda: HTML(string=PAGE_SIMPLE).write_pdf(),
        "attestation d'inscription": lambda: pdf.rendre_pdf(
            "demandes/pdf/attestation_inscription.html", contexte, emis
        ),
        "récépissé de dépôt": lambda: pdf.recepisse_depot(demande, emis),
    }
    textes = {
        "(texte de l'attestation seul)": _texte_seul(documents["attestation d'inscription"]()),
        "(texte du récépissé seul)": _texte_seul(documents["récépissé de dépôt"]()),
    }
    for nom, texte in textes.items():
        documents[nom] = lambda texte=texte: HTML(string=texte).write_pdf()
    for rendu in documents.values():  # warm-up: imports, first font loading
        rendu()
    durees: dict[str, list[float]] = {nom: [] for nom in documents}
    charge_avant = os.getloadavg()[0]
    for _ in range(essais):
        for nom, rendu in documents.items():
            debut = time.process_time()
            rendu()
            durees[nom].append(time.process_time() - debut)
    reference = statistics.median(durees["page simple (WeasyPrint)"])
    charge = f"{charge_avant:.1f} before, {os.getloadavg()[0]:.1f} after"
    print(f"{essais} renders each, interleaved; load average {charge}")
    print(f"{'document':<32}{'median CPU ms':>14}{'× plain page':>14}")
    for nom, liste in durees.items():
        mediane = statistics.median(liste)
        print(f"{nom:<32}{mediane * 1000:>14.1f}{mediane / reference:>14.2f}")


if __name__ == "__main__":
    main()
