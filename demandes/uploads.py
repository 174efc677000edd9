"""Checking an uploaded supporting document before it is stored.

Only JPEG, PNG and PDF are accepted, recognised from the content (never the name or the
type the browser sent). Size and pixel count are bounded, so a decompression bomb is
refused before it is decoded. Images are decoded fully (a truncated image is refused),
then re-encoded, which drops every metadata (EXIF with its GPS position, comments, text
chunks; an ICC profile once the colours are converted to sRGB) and anything hidden after
the image data. PDFs must open with pikepdf (qpdf), without a password, with at least one
page, and are rebuilt from their pages only: no action, JavaScript, form, attachment,
annotation or unreferenced object survives. When PERMIS_CLAMAV_URL is set, ClamAV scans
the file as sent first. Every refusal is a ValidationError with a French message that names
the file and the problem.
"""

import io
import logging
import math
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import PurePath

import pikepdf
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from demandes import antivirus

logger = logging.getLogger(__name__)

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
    _analyser(contenu, nom)
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


def _analyser(contenu: bytes, nom: str) -> None:
    """The antivirus scan of the file as sent, whatever its format."""
    if not antivirus.actif():
        return
    try:
        antivirus.analyser(contenu)
    except antivirus.FichierInfecte as exc:
        raise ValidationError(
            f"Le fichier « {nom} » contient un virus ou un logiciel malveillant : il n'a pas "
            "été enregistré. Analysez votre appareil, puis envoyez un autre fichier.",
            code="infecte",
        ) from exc
    except antivirus.AntivirusIndisponible as exc:
        # Fail closed: a file the scanner could not check is not stored.
        logger.error("Analyse antivirus impossible : %s", exc)
        raise ValidationError(
            f"Le fichier « {nom} » n'a pas pu être analysé par l'antivirus pour le moment : "
            "réessayez dans quelques minutes.",
            code="antivirus_indisponible",
        ) from exc


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

    image = _en_srgb(ImageOps.exif_transpose(image))
    # Pillow writes back what `info` holds (a JPEG's COM comment, a PNG's ICC profile): keep
    # only the PNG transparency, which is pixels, not metadata.
    image.info = {k: v for k, v in image.info.items() if k == "transparency"}
    sortie = io.BytesIO()
    if extension == "jpg":
        if image.mode not in {"RGB", "L"}:
            image = image.convert("RGB")
        image.save(sortie, "JPEG", quality=90, optimize=True)
    else:
        if image.mode not in {"1", "L", "LA", "P", "RGB", "RGBA"}:
            image = image.convert("RGBA")
        image.save(sortie, "PNG", optimize=True)
    return sortie.getvalue()


def _en_srgb(image: Image.Image) -> Image.Image:
    """Colours converted to sRGB through the image's own ICC profile, so the profile (free-form
    bytes) can be dropped without the colours of a CMYK or wide-gamut scan going wrong. A
    profile that does not fit the image is just dropped."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in {"RGB", "RGBA", "CMYK"}:
        return image
    try:
        return ImageCms.profileToProfile(
            image,
            ImageCms.ImageCmsProfile(io.BytesIO(icc)),
            ImageCms.createProfile("sRGB"),
            outputMode="RGBA" if image.mode == "RGBA" else "RGB",
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image


# Keys that make a PDF act (actions, JavaScript, forms, attachments, annotations, multimedia)
# or carry metadata; removed wherever they appear in what the stored copy keeps.
_CLES_ACTIVES = frozenset(
    {
        "/AA",
        "/OpenAction",
        "/A",
        "/JS",
        "/JavaScript",
        "/Annots",
        "/AcroForm",
        "/XFA",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/Names",
        "/RichMedia",
        "/RichMediaContent",
        "/Metadata",
        "/PieceInfo",
        "/B",
    }
)
_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/URI",
        "/SubmitForm",
        "/ImportData",
        "/ResetForm",
        "/GoTo",
        "/GoToR",
        "/GoToE",
        "/Rendition",
        "/Sound",
        "/Movie",
        "/Hide",
        "/Named",
        "/SetOCGState",
        "/Trans",
        "/Thread",
        "/GoTo3DView",
        "/RichMediaExecute",
    }
)


def _verifier_pdf(contenu: bytes, nom: str) -> bytes:
    """A new PDF made of the upload's pages only (see _pages_seules), once it opens."""
    illisible = ValidationError(
        f"Le PDF « {nom} » ne s'ouvre pas : il est endommagé ou incomplet.", code="pdf_illisible"
    )
    # A complete PDF ends with its %%EOF marker (give or take a few trailing bytes).
    if b"%%EOF" not in contenu[-1024:]:
        raise illisible
    try:
        source = pikepdf.open(io.BytesIO(contenu))
    except pikepdf.PasswordError as exc:
        raise ValidationError(
            f"Le PDF « {nom} » est protégé par un mot de passe : envoyez-le sans protection.",
            code="pdf_chiffre",
        ) from exc
    except Exception as exc:  # qpdf reports a broken file in many ways
        raise illisible from exc
    with source:
        try:
            pages = len(source.pages)
            if pages == 0:
                raise illisible
            if pages > PAGES_MAX:
                raise ValidationError(
                    f"Le PDF « {nom} » compte {pages} pages : au plus {PAGES_MAX}.",
                    code="pdf_pages",
                )
            return _pages_seules(source)
        except ValidationError:
            raise
        except Exception as exc:  # a page qpdf can list but not read or copy
            raise illisible from exc


def _pages_seules(source: pikepdf.Pdf) -> bytes:
    """A new document that receives copies of the pages and what they draw with (contents,
    fonts, images), stripped of every action, annotation and metadata. Nothing else of the
    upload is copied (catalog, name trees, forms, outlines, unreferenced objects), so what an
    agent opens in the back-office is inert."""
    copie = pikepdf.new()
    for page in source.pages:
        page.mediabox  # noqa: B018 - reads the page (inherited boxes too), raises when broken
        copie.pages.append(page)
    _desactiver(copie.Root)
    sortie = io.BytesIO()
    copie.save(
        sortie,
        # Streams are copied as they are: decoding them would let a compression bomb expand.
        stream_decode_level=pikepdf.StreamDecodeLevel.none,
        # Dictionaries stay readable in the stored bytes, so a check can look for any key.
        object_stream_mode=pikepdf.ObjectStreamMode.disable,
        compress_streams=True,
    )
    return sortie.getvalue()


def _desactiver(racine: pikepdf.Object) -> None:
    """Remove active keys and action dictionaries from everything reachable from `racine`
    (iteratively: a hostile file can nest objects deeper than Python's recursion limit)."""
    vus: set[tuple[int, int]] = set()
    a_voir = [racine]
    while a_voir:
        objet = a_voir.pop()
        if objet.is_indirect:
            if objet.objgen in vus:
                continue
            vus.add(objet.objgen)
        if isinstance(objet, pikepdf.Array):
            for i, valeur in enumerate(objet):
                if _est_une_action(valeur):
                    objet[i] = None
                elif isinstance(valeur, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream):
                    a_voir.append(valeur)
        elif isinstance(objet, pikepdf.Dictionary | pikepdf.Stream):
            for cle in list(objet.keys()):
                valeur = objet[cle]
                if cle in _CLES_ACTIVES or _est_une_action(valeur):
                    del objet[cle]
                elif isinstance(valeur, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream):
                    a_voir.append(valeur)


def _est_une_action(objet: pikepdf.Object) -> bool:
    return (
        isinstance(objet, pikepdf.Dictionary)
        and not isinstance(objet, pikepdf.Stream)
        and (objet.get("/Type") == pikepdf.Name.Action or str(objet.get("/S", "")) in _ACTIONS)
    )
