"""Helpers that fill the wizard's steps through the test client, and files to upload."""

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from demandes import attestation
from demandes.exemple import ADRESSE, ETAT_CIVIL  # noqa: F401 - the tests read them here
from demandes.models import Demande, DocumentEmis, DocumentProduit
from demandes.pdf import recepisse_depot
from simulateurs.cabine import emettre_code
from simulateurs.timbres import acheter_timbre
from tests.factories import pdf_minimal


def pages_pdf(contenu: bytes) -> list[str]:
    """The text of each page of a PDF, as a reader extracts it."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(contenu)).pages]


def texte_pdf(contenu: bytes) -> str:
    """The text of a PDF, its pages one after the other."""
    return "\n".join(pages_pdf(contenu))


def lignes_pdf(contenu: bytes) -> list[str]:
    """The text lines of every page of a PDF, as a reader extracts them."""
    return [ligne for page in pages_pdf(contenu) for ligne in page.splitlines()]


def url_etape(demande: Demande, slug: str) -> str:
    return reverse("demandes:etape", kwargs={"numero": demande.numero, "slug": slug})


def jpeg(nom: str = "photo.jpg", taille=(60, 40), **save) -> SimpleUploadedFile:
    sortie = io.BytesIO()
    Image.new("RGB", taille, (200, 30, 30)).save(sortie, "JPEG", **save)
    return SimpleUploadedFile(nom, sortie.getvalue(), content_type="image/jpeg")


def png(nom: str = "scan.png", taille=(60, 40)) -> SimpleUploadedFile:
    sortie = io.BytesIO()
    Image.new("RGB", taille, (30, 30, 200)).save(sortie, "PNG")
    return SimpleUploadedFile(nom, sortie.getvalue(), content_type="image/png")


def pdf(nom: str = "justificatif.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(nom, pdf_minimal(), content_type="application/pdf")


def commencer(client, motif: str, categories=(), **extra) -> Demande:
    """Validate step 1 of a new request; returns the draft it created."""
    avant = set(Demande.objects.values_list("pk", flat=True))
    response = client.post(
        reverse("demandes:commencer"), {"motif": motif, "categories": list(categories), **extra}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return Demande.objects.exclude(pk__in=avant).get()


def poster(client, demande: Demande, slug: str, donnees: dict, **kwargs):
    return client.post(url_etape(demande, slug), donnees, **kwargs)


def valider(client, demande: Demande, slug: str, donnees: dict) -> str:
    """Post a step that must validate; returns where the wizard sends the user next."""
    response = poster(client, demande, slug, donnees)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response["Location"]


def remplir_etat_civil(client, demande, **modifs) -> str:
    return valider(client, demande, "etat-civil", {**ETAT_CIVIL, **modifs})


def remplir_adresse(client, demande, **modifs) -> str:
    return valider(client, demande, "adresse", {**ADRESSE, **modifs})


def remplir_photo(client, demande, code: str | None = None) -> str:
    code = code or emettre_code("Martin", "Camille").code
    valider(client, demande, "photo", {"action": "code", "code_photo": code})
    return valider(client, demande, "photo", {"action": "confirmer", "confirme": "on"})


def remplir_pieces(client, demande) -> tuple[str, list[str]]:
    """Upload a file for every piece the step asks for; returns (next URL, the kinds asked)."""
    page = client.get(url_etape(demande, "pieces"))
    natures = [
        nom
        for nom, champ in page.context["form"].fields.items()
        if champ.__class__.__name__ == "FileField"
    ]
    fichiers = {nature: (pdf() if i % 2 else jpeg()) for i, nature in enumerate(natures)}
    return valider(client, demande, "pieces", fichiers), natures


def remplir_timbre(client, demande, montant: int = 25) -> str:
    return valider(client, demande, "timbre", {"timbre_fiscal": acheter_timbre(montant).numero})


def deposer(client, demande):
    return poster(client, demande, "recapitulatif", {"attestation": "on"})


def age(annees: int, jour: date | None = None) -> str:
    """A birth date `annees` years ago today in Paris (ISO), for age-rule tests."""
    jour = jour or timezone.localdate()
    try:
        return jour.replace(year=jour.year - annees).isoformat()
    except ValueError:  # 29 February
        return jour.replace(year=jour.year - annees, day=28).isoformat()


def documents_pdf(demande: Demande) -> dict:
    """The request's attestation and récépissé, each a call that renders it (one edition)."""
    emis = DocumentEmis.edition_de(demande, DocumentProduit.Nature.ATTESTATION_INSCRIPTION)
    return {
        "attestation": lambda: attestation.rendre(demande, emis),
        "récépissé": lambda: recepisse_depot(demande, emis),
    }
