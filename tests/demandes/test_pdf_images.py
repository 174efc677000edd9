"""The PNGs of a PDF (QR code, signature) go in as their own compressed rows when they can
(demandes.pdf._PNG), with the very pixels of the file; the others as WeasyPrint makes them."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from pypdf import PdfReader
from weasyprint.images import RasterImage

from demandes import attestation, pdf
from demandes.models import DocumentEmis, DocumentProduit
from tests.factories import DemandeFactory


def _png(image: Image.Image, **options) -> bytes:
    sortie = io.BytesIO()
    image.save(sortie, "PNG", **options)
    return sortie.getvalue()


def _signature(mode: str) -> Image.Image:
    image = Image.new("L", (120, 40), 255)
    for x in range(10, 110):
        image.putpixel((x, 20 + (x % 7)), 0)
    return image.convert(mode)


def _images_du_pdf(contenu: bytes) -> list[Image.Image]:
    return [image.image for image in PdfReader(io.BytesIO(contenu)).pages[0].images]


@pytest.fixture
def acceptee(instructeur):
    demande = DemandeFactory(en_instruction=True, departement="69")
    demande.executer("accepter", par=instructeur)
    return demande


def _rendre(demande, signature: bytes) -> bytes:
    demande.signature.save("signature.png", ContentFile(signature), save=True)
    emis = DocumentEmis.edition_de(demande, DocumentProduit.Nature.ATTESTATION_INSCRIPTION)
    return attestation.rendre(demande, emis), pdf.bloc_verification(emis)["qr"]


@pytest.mark.parametrize("mode", ["L", "RGB"])
@pytest.mark.django_db
def test_grey_and_rgb_pngs_go_in_as_they_are_with_their_pixels(acceptee, monkeypatch, mode):
    def refuse(pillow_image):
        raise AssertionError("WeasyPrint encoded the PNG again")

    monkeypatch.setattr(RasterImage, "_get_png_data", staticmethod(refuse))
    signature = _png(_signature(mode))
    contenu, qr = _rendre(acceptee, signature)
    dans_le_pdf = {image.size: image for image in _images_du_pdf(contenu)}
    for source in (Image.open(io.BytesIO(qr)), Image.open(io.BytesIO(signature))):
        image = dans_le_pdf[source.size]
        assert (image.mode, image.tobytes()) == (source.mode, source.tobytes())


@pytest.mark.parametrize(
    "signature",
    [
        _png(_signature("RGBA")),
        _png(_signature("P")),
        _png(_signature("L"), transparency=255),
        _png(_signature("1")),
    ],
    ids=["rgba", "palette", "transparent colour", "one bit"],
)
@pytest.mark.django_db
def test_other_pngs_are_left_to_weasyprint_and_still_shown(acceptee, signature):
    assert pdf._lignes_png(signature) is None
    contenu, _ = _rendre(acceptee, signature)
    assert any(image.size == (120, 40) for image in _images_du_pdf(contenu))


def test_what_is_not_a_png_is_left_to_weasyprint():
    sortie = io.BytesIO()
    Image.new("RGB", (8, 8)).save(sortie, "JPEG")
    assert pdf._lignes_png(sortie.getvalue()) is None
    assert pdf._lignes_png(_png(_signature("I;16"))) is None
    assert pdf._lignes_png(b"") is None
