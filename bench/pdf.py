"""Benchmark, run by hand: the attestation and the récépissé against a plain one-page PDF.

    .venv/bin/python bench/pdf.py [runs]

In process, no database (the request is built in memory, with a booth-sized photo and a
signature): each document is rendered `runs` times (default 15), interleaved with a plain
one-page WeasyPrint document rendered in the same run, and the medians are printed with
their ratio to the plain page's.
"""

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
    contexte["photo"] = attestation._data_uri(photo, "image/jpeg")
    contexte["signature"] = attestation._data_uri(signature, "image/png")
    documents = {
        "page simple (WeasyPrint)": lambda: HTML(string=PAGE_SIMPLE).write_pdf(),
        "attestation d'inscription": lambda: pdf.rendre_pdf(
            "demandes/pdf/attestation_inscription.html", contexte, emis
        ),
        "récépissé de dépôt": lambda: pdf.recepisse_depot(demande, emis),
    }
    for rendu in documents.values():  # warm-up: imports, first font loading
        rendu()
    durees: dict[str, list[float]] = {nom: [] for nom in documents}
    for _ in range(essais):
        for nom, rendu in documents.items():
            debut = time.perf_counter()
            rendu()
            durees[nom].append(time.perf_counter() - debut)
    reference = statistics.median(durees["page simple (WeasyPrint)"])
    print(f"{essais} renders each, interleaved; load average {os.getloadavg()[0]:.1f}")
    print(f"{'document':<28}{'median ms':>10}{'× plain page':>14}")
    for nom, liste in durees.items():
        mediane = statistics.median(liste)
        print(f"{nom:<28}{mediane * 1000:>10.1f}{mediane / reference:>14.2f}")


if __name__ == "__main__":
    main()
