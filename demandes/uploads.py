"""Checking an uploaded supporting document before it is stored.

Only JPEG, PNG and PDF are accepted, recognised from the content (never the name or the
type the browser sent). Size and pixel count are bounded, so a decompression bomb is
refused before it is decoded. Images are decoded fully (a truncated image is refused),
then re-encoded, which drops every metadata (EXIF with its GPS position, ICC, text
chunks) and anything hidden after the image data. PDFs must open with pypdf, unencrypted,
with at least one page, and are rewritten with their pages only (no JavaScript, open
action, attachment or annotation). Every refusal is a ValidationError with a French
message that names the file and the problem.
"""

import io
import math
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter

TAILLE_MAX = 10 * 1024 * 1024  # 10 Mo
PIXELS_MAX = 40_000_000  # a 40-megapixel photo is plenty for a document
PAGES_MAX = 30
FORMATS_ACCEPTES = "JPEG, PNG ou PDF"
ACCEPT = ".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"

# Magic numbers of the accepted formats.
_SIGNATURES = (
    (b"\xff\xd8\xff", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"%PDF-", "pdf"),
)
TYPES_MIME = {"jpg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}


@dataclass(frozen=True)
class FichierVerifie:
    """A file that passed every check, ready to be stored: `contenu` is what to store."""

    contenu: bytes
    extension: str
    nom_original: str

    @property
    def type_mime(self) -> str:
        return TYPES_MIME[self.extension]


def nom_affichable(nom: str) -> str:
    """The base name the user gave, without control characters, at most 200 characters."""
    base = PurePath((nom or "").replace("\\", "/")).name
    propre = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    return (propre or "fichier")[:200]


def en_mo(octets: int) -> str:
    """'10 Mo', '12,4 Mo' (1 Mo = 1024 × 1024 octets; rounded up, so over 10 reads over 10)."""
    mo = math.ceil(octets * 10 / (1024 * 1024)) / 10
    return f"{mo:.0f} Mo" if mo == int(mo) else f"{mo:.1f} Mo".replace(".", ",")


def type_reconnu(entete: bytes) -> str | None:
    for signature, extension in _SIGNATURES:
        if entete.startswith(signature):
            return extension
    return None


def verifier(fichier: UploadedFile) -> FichierVerifie:
    """Check an uploaded file; returns what to store or raises ValidationError."""
    nom = nom_affichable(fichier.name)
    if not fichier.size:
        raise ValidationError(f"Le fichier « {nom} » est vide.", code="vide")
    if fichier.size > TAILLE_MAX:
        raise ValidationError(
            f"Le fichier « {nom} » pèse {en_mo(fichier.size)} : la taille maximale est de "
            f"{en_mo(TAILLE_MAX)}.",
            code="trop_gros",
        )
    fichier.seek(0)
    contenu = fichier.read(TAILLE_MAX + 1)
    extension = type_reconnu(contenu[:8])
    if extension is None:
        raise ValidationError(
            f"Le fichier « {nom} » n'est pas au format {FORMATS_ACCEPTES} : le format est "
            "reconnu d'après le contenu du fichier, pas d'après son nom.",
            code="format",
        )
    if extension == "pdf":
        return FichierVerifie(
            contenu=_verifier_pdf(contenu, nom), extension="pdf", nom_original=nom
        )
    return FichierVerifie(
        contenu=_reencoder_image(contenu, extension, nom), extension=extension, nom_original=nom
    )


def _reencoder_image(contenu: bytes, extension: str, nom: str) -> bytes:
    endommagee = ValidationError(
        f"L'image « {nom} » est endommagée ou incomplète : elle ne peut pas être lue.",
        code="image_endommagee",
    )
    trop_grande = ValidationError(
        f"L'image « {nom} » est trop grande : au plus {PIXELS_MAX // 1_000_000} millions "
        "de pixels.",
        code="trop_de_pixels",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(contenu))
            largeur, hauteur = image.size
            if largeur * hauteur > PIXELS_MAX:
                raise trop_grande
            if image.format != {"jpg": "JPEG", "png": "PNG"}[extension]:
                raise endommagee
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise trop_grande from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise endommagee from exc

    image = ImageOps.exif_transpose(image)
    sortie = io.BytesIO()
    if extension == "jpg":
        if image.mode not in {"RGB", "L"}:
            image = image.convert("RGB")
        # No exif= nor icc_profile=: the re-encoded file carries no metadata.
        image.save(sortie, "JPEG", quality=90, optimize=True)
    else:
        if image.mode not in {"1", "L", "LA", "P", "RGB", "RGBA"}:
            image = image.convert("RGBA")
        image.save(sortie, "PNG", optimize=True)
    return sortie.getvalue()


def _verifier_pdf(contenu: bytes, nom: str) -> bytes:
    """The PDF rewritten with its pages only, once checked to open (see _pages_seules)."""
    illisible = ValidationError(
        f"Le PDF « {nom} » ne s'ouvre pas : il est endommagé ou incomplet.", code="pdf_illisible"
    )
    # A complete PDF ends with its %%EOF marker (give or take a few trailing bytes).
    if b"%%EOF" not in contenu[-1024:]:
        raise illisible
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            lecteur = PdfReader(io.BytesIO(contenu), strict=False)
            if lecteur.is_encrypted:
                raise ValidationError(
                    f"Le PDF « {nom} » est protégé par un mot de passe : envoyez-le sans "
                    "protection.",
                    code="pdf_chiffre",
                )
            pages = len(lecteur.pages)
            if pages == 0:
                raise illisible
            for page in lecteur.pages:
                page.mediabox  # noqa: B018 - parses the page, raises when it is broken
    except ValidationError:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors on a broken file
        raise illisible from exc
    if pages > PAGES_MAX:
        raise ValidationError(
            f"Le PDF « {nom} » compte {pages} pages : au plus {PAGES_MAX}.", code="pdf_pages"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _pages_seules(lecteur)
    except Exception as exc:  # a page pypdf can read but not write back
        raise illisible from exc


def _pages_seules(lecteur: PdfReader) -> bytes:
    """Copy only the pages: no document JavaScript, open action, attachment, form or
    annotation follows, so what an agent opens in the back-office is inert."""
    ecrivain = PdfWriter()
    for page in lecteur.pages:
        ecrivain.add_page(page)
    ecrivain.remove_annotations(subtypes=None)
    for page in ecrivain.pages:
        for cle in ("/AA", "/Annots"):
            if cle in page:
                del page[cle]
    sortie = io.BytesIO()
    ecrivain.write(sortie)
    return sortie.getvalue()
