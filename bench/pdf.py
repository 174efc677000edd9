"""Benchmark, run by hand: the attestation and the récépissé against a plain one-page PDF.

    .venv/bin/python bench/pdf.py [runs] [--parties]

In process, no database (the request is built in memory, with a booth-sized photo and a
signature): each document is rendered `runs` times (default 15), interleaved with a plain
one-page WeasyPrint document rendered in the same run, and the medians are printed with
their ratio to the plain page's. Times are the process's CPU time (a render uses one thread):
on a machine others load, the wall clock also counts the time spent waiting for a core. For
figures that do not move with the load, count instructions with valgrind --tool=callgrind.

The portal keeps, per thread, what the same templates give at every render (styles, line
breaks, drawn lines: demandes/pdf.py), and rendering one request again and again finds its
names and numbers kept too, which another request's document would not: the two lines
"another request each time" render each time a request never rendered before in the process,
as the portal mostly does: names, communes and street never seen (with the capitals and
accents of French names, hence at times glyphs new to the fonts' subsets), a request number
drawn as demandes.numeros draws them, another NEPH, birth date and filing time.

Two more lines for reading the ratios, neither of them the reference: the attestation's and
the récépissé's text alone (what pypdf extracts from them, one paragraph a line) in the plain
page's document, i.e. what WeasyPrint needs to lay out that much text with no letterhead,
table, image, QR code, webfont or tagging: the floor below which no change to our templates
or to how we call WeasyPrint can bring a document.

With --parties, what each part of the two documents costs: each is rendered again with one
part hidden (`display: none` in one more stylesheet, so that WeasyPrint neither styles, lays
out, draws nor tags it) or untagged, and the CPU it saves is printed beside the whole
document's. The parts overlap (the verso holds lists) and hiding one moves what follows, so
read them as orders of magnitude: where a change can pay, not what it will.
"""

import copy
import html
import io
import itertools
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "permis.settings")

import django  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.utils import timezone  # noqa: E402
from PIL import Image  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from weasyprint import CSS, HTML  # noqa: E402

from demandes import attestation, numeros, pdf  # noqa: E402
from demandes.enums import Motif  # noqa: E402
from demandes.models import Demande, DocumentEmis  # noqa: E402
from permis.crockford import ALPHABET  # noqa: E402

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


# What --parties hides in each document, one at a time: a selector, "@page" for the footer,
# None for the tagging (PDF/UA-1).
_COMMUNES = {
    "en-tête (République française, service)": ".entete",
    "bloc de vérification (QR code, code)": ".verification",
    "titre": "h1",
    "tableau de l'identité": "table",
}
PARTIES = {
    "attestation d'inscription": {
        **_COMMUNES,
        "photo": ".cadre-photo",
        "NEPH": ".neph",
        "verso": ".verso",
        "listes du verso (et leurs puces)": "ul",
        "pied de page": "@page",
        "balisage PDF/UA": None,
    },
    "récépissé de dépôt": {
        **_COMMUNES,
        "encadré": ".encadre",
        "pied de page": "@page",
        "balisage PDF/UA": None,
    },
}


def _medianes(rendus: dict, essais: int) -> dict[str, float]:
    """Each render's median CPU time over `essais` interleaved runs, after a warm-up."""
    for rendu in rendus.values():
        rendu()
    durees: dict[str, list[float]] = {nom: [] for nom in rendus}
    for _ in range(essais):
        for nom, rendu in rendus.items():
            debut = time.process_time()
            rendu()
            durees[nom].append(time.process_time() - debut)
    return {nom: statistics.median(liste) for nom, liste in durees.items()}


def _parties(documents: dict, essais: int) -> None:
    """--parties: each document again with one part hidden, and the CPU that saves."""
    cache = pdf._moteur()
    feuilles, ecrire = cache.feuilles, pdf._HTML.write_pdf
    masque = {"regle": None, "balisage": True}

    def feuilles_et_masque(template):
        return feuilles(template) + ([masque["regle"]] if masque["regle"] else [])

    def ecrire_peut_etre_sans_balises(self, *args, **kwargs):
        if not masque["balisage"]:
            kwargs["pdf_variant"] = None
        return ecrire(self, *args, **kwargs)

    cache.feuilles = feuilles_et_masque
    pdf._HTML.write_pdf = ecrire_peut_etre_sans_balises

    def sans(rendu, selecteur):
        if selecteur == "@page":
            regle = "@page { @bottom-center { content: none !important } }"
        else:
            regle = f"{selecteur} {{ display: none }}" if selecteur else None
        feuille = CSS(string=regle, font_config=cache.polices) if regle else None

        def rendre():
            masque["regle"], masque["balisage"] = feuille, selecteur is not None
            try:
                return rendu()
            finally:
                masque["regle"], masque["balisage"] = None, True

        return rendre

    for nom, parties in PARTIES.items():
        rendus = {nom: documents[nom]}
        for partie, selecteur in parties.items():
            rendus[partie] = sans(documents[nom], selecteur)
        medianes = _medianes(rendus, essais)
        tout = medianes.pop(nom)
        print(f"\n{nom}: {tout * 1000:.1f} ms; without…{'CPU saved':>30}")
        for partie, mediane in medianes.items():
            economie = tout - mediane
            print(f"  {partie:<44}{economie * 1000:>8.1f} ms {economie / tout:>6.0%}")


# Syllables of the names, streets and communes of the requests "another request each time"
# renders: each name drawn from them is new to the process (a counter's digits in base 24),
# with the capitals and accents that French names bring, so that the lines, their breaks
# and the fonts' glyphs are new ones too, as a worker meets them.
_SYLLABES = (
    "ma", "ri", "lo", "bé", "ka", "zu", "no", "vè", "ja", "qui", "xa", "wi",
    "yo", "gé", "ël", "cha", "dé", "fo", "pi", "ro", "çon", "hu", "sa", "ti",
)  # fmt: skip


def _nom(n: int, syllabes: int) -> str:
    """The n-th name of `syllabes` syllables or more: no two values of n give the same one."""
    parties = []
    for _ in range(syllabes):
        n, reste = divmod(n, len(_SYLLABES))
        parties.append(_SYLLABES[reste])
    while n:
        n, reste = divmod(n, len(_SYLLABES))
        parties.append(_SYLLABES[reste])
    return "".join(parties).capitalize()


def _numero(aleatoire: random.Random) -> str:
    """A request number as demandes.numeros draws them (Crockford letters and digits)."""
    corps = "".join(aleatoire.choice(ALPHABET) for _ in range(11))
    code = corps + numeros._cle(corps)
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def _autres_demandes(demande: Demande):
    """Requests like `demande`, each of names, numbers, address, communes and dates not
    rendered before in this process (the same sequence at every run)."""
    aleatoire = random.Random(14)
    for i in itertools.count(1):
        autre = copy.copy(demande)
        # 7i + k, k the field's: no two fields, no two requests share a name.
        autre.nom_naissance = f"{_nom(7 * i, 3)}-{_nom(7 * i + 1, 2)}".upper()
        autre.prenoms = f"{_nom(7 * i + 2, 2)} {_nom(7 * i + 3, 3)}"
        autre.commune_naissance = _nom(7 * i + 4, 3)
        autre.commune = f"Saint-{_nom(7 * i + 5, 2)}"
        autre.adresse = f"{aleatoire.randint(1, 300)} rue {_nom(7 * i + 6, 3)}"
        autre.code_postal = f"{aleatoire.randint(1000, 97699):05d}"
        autre.numero = _numero(aleatoire)
        autre.neph = f"{aleatoire.randrange(10**12):012d}"
        autre.date_naissance = date(1950, 1, 1) + timedelta(days=aleatoire.randrange(21000))
        autre.deposee_le = autre.decidee_le = demande.deposee_le - timedelta(
            minutes=aleatoire.randrange(10**6)
        )
        yield autre


def main() -> None:
    parties = "--parties" in sys.argv
    arguments = [a for a in sys.argv[1:] if a != "--parties"]
    essais = int(arguments[0]) if arguments else 15
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
    autres = _autres_demandes(demande)

    def autre_attestation():
        autre = next(autres)
        return pdf.rendre_pdf(
            "demandes/pdf/attestation_inscription.html",
            {**attestation.contexte(autre), "images": contexte["images"]},
            DocumentEmis(nature="attestation_inscription", version=1),
        )

    def autre_recepisse():
        return pdf.recepisse_depot(next(autres), DocumentEmis(nature="recepisse_depot", version=1))

    textes = {
        "(texte de l'attestation seul)": _texte_seul(documents["attestation d'inscription"]()),
        "(texte du récépissé seul)": _texte_seul(documents["récépissé de dépôt"]()),
    }
    documents["attestation, another request each time"] = autre_attestation
    documents["récépissé, another request each time"] = autre_recepisse
    for nom, texte in textes.items():
        documents[nom] = lambda texte=texte: HTML(string=texte).write_pdf()
    charge_avant = os.getloadavg()[0]
    medianes = _medianes(documents, essais)  # the warm-up: imports, first font loading
    reference = medianes["page simple (WeasyPrint)"]
    charge = f"{charge_avant:.1f} before, {os.getloadavg()[0]:.1f} after"
    print(f"{essais} renders each, interleaved; load average {charge}")
    print(f"{'document':<40}{'median CPU ms':>14}{'× plain page':>14}")
    for nom, mediane in medianes.items():
        print(f"{nom:<40}{mediane * 1000:>14.1f}{mediane / reference:>14.2f}")
    if parties:
        _parties(documents, essais)


if __name__ == "__main__":
    main()
