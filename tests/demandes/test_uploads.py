"""Uploaded pieces: JPEG/PNG/PDF recognised from the content, bounded, cleaned, kept private."""

import io
import re
import struct
import zlib

import pikepdf
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from pikepdf import Name
from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript

from demandes import uploads
from demandes.enums import Motif
from demandes.models import Demande, PieceJustificative
from tests.demandes import assistant
from tests.factories import DemandeFactory, pdf_minimal


def fichier(nom: str, contenu: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(nom, contenu)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_annoncant(largeur: int, hauteur: int) -> bytes:
    """A tiny PNG whose header announces a huge image: a decompression bomb's shape."""
    ihdr = struct.pack(">IIBBBBB", largeur, hauteur, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
    )


def jpeg_octets(**save) -> bytes:
    return assistant.jpeg(**save).read()


def pdf_chiffre() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("secret")
    sortie = io.BytesIO()
    writer.write(sortie)
    return sortie.getvalue()


REFUS = [
    ("texte.jpg", b"Ceci n'est pas une image, juste du texte.\n", "n'est pas au format JPEG, PNG ou PDF"),
    ("page.html", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "n'est pas au format"),
    ("page.pdf", b"<html><body>faux PDF</body></html>", "n'est pas au format"),
    (
        "dessin.png",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "n'est pas au format",
    ),
    ("vide.pdf", b"", "est vide"),
    ("coupee.jpg", jpeg_octets()[:300], "est endommagée ou incomplète"),
    ("bombe.png", png_annoncant(30_000, 30_000), "est trop grande"),
    ("grande.png", png_annoncant(7_000, 7_000), "est trop grande"),
    ("coupe.pdf", pdf_minimal()[:200], "ne s'ouvre pas"),
    ("faux.pdf", b"%PDF-1.4\nrien de plus\n%%EOF\n", "ne s'ouvre pas"),
    ("chiffre.pdf", pdf_chiffre(), "est protégé par un mot de passe"),
    ("enorme.jpg", b"\xff\xd8\xff" + b"\x00" * uploads.TAILLE_MAX, "pèse 10,1 Mo : la taille maximale est de 10 Mo."),
]  # fmt: skip


@pytest.mark.parametrize("nom, contenu, message", REFUS, ids=[r[0] for r in REFUS])
def test_bad_file_is_refused_with_a_message_naming_it_and_the_problem(nom, contenu, message):
    with pytest.raises(ValidationError) as exc:
        uploads.verifier(fichier(nom, contenu))
    texte = exc.value.messages[0]
    assert f"« {nom} »" in texte
    assert message in texte


def test_type_comes_from_the_content_not_the_name():
    verifie = uploads.verifier(fichier("scan.pdf", assistant.png().read()))
    assert verifie.extension == "png" and verifie.type_mime == "image/png"
    verifie = uploads.verifier(fichier("document.jpg", pdf_minimal()))
    assert verifie.extension == "pdf"


def test_images_are_reencoded_without_metadata():
    exif = Image.Exif()
    exif[0x010F] = "Appareil Espion"  # Make
    exif[0x010E] = "Chez moi, 12 rue Secrète"  # ImageDescription
    avec_exif = jpeg_octets(exif=exif.tobytes()) + b"<script>cache</script>"
    propre = uploads.verifier(fichier("photo.jpg", avec_exif)).contenu
    assert b"Appareil Espion" not in propre and b"Secr" not in propre and b"script" not in propre
    assert not Image.open(io.BytesIO(propre)).getexif()

    infos = PngInfo()
    infos.add_text("Author", "Camille Martin, 06 12 34 56 78")
    sortie = io.BytesIO()
    Image.new("RGB", (20, 20)).save(sortie, "PNG", pnginfo=infos)
    propre = uploads.verifier(fichier("scan.png", sortie.getvalue())).contenu
    assert b"Camille" not in propre
    assert Image.open(io.BytesIO(propre)).size == (20, 20)


def test_jpeg_comment_is_not_kept():
    """A valid JPEG whose COM segment holds HTML (a polyglot) is stored without it."""
    polyglotte = jpeg_octets(comment=b"<script>alert(document.cookie)</script>")
    assert Image.open(io.BytesIO(polyglotte)).info["comment"].startswith(b"<script>")
    propre = uploads.verifier(fichier("photo.jpg", polyglotte)).contenu
    assert b"script" not in propre and b"\xff\xfe" not in propre  # no COM marker at all
    assert "comment" not in Image.open(io.BytesIO(propre)).info


def test_icc_profile_is_applied_then_dropped():
    """An ICC profile is free-form bytes: the colours are converted to sRGB and the stored
    image carries no profile, CMYK scans included."""
    profil = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    sortie = io.BytesIO()
    Image.new("RGB", (20, 20), (10, 120, 200)).save(sortie, "JPEG", icc_profile=profil)
    propre = Image.open(io.BytesIO(uploads.verifier(fichier("a.jpg", sortie.getvalue())).contenu))
    assert "icc_profile" not in propre.info and propre.mode == "RGB"

    sortie = io.BytesIO()
    Image.new("RGB", (20, 20), (10, 120, 200)).save(sortie, "PNG", icc_profile=profil)
    propre = Image.open(io.BytesIO(uploads.verifier(fichier("a.png", sortie.getvalue())).contenu))
    assert "icc_profile" not in propre.info
    assert propre.convert("RGB").getpixel((5, 5)) == (10, 120, 200)

    sortie = io.BytesIO()
    Image.new("CMYK", (20, 20), (0, 0, 0, 0)).save(sortie, "JPEG")
    propre = Image.open(
        io.BytesIO(uploads.verifier(fichier("cmjn.jpg", sortie.getvalue())).contenu)
    )
    assert propre.mode == "RGB" and min(propre.getpixel((5, 5))) > 240  # white stays white


def test_file_name_shown_is_cleaned():
    verifie = uploads.verifier(fichier("../../etc/\x07pass\u202ewd.pdf", pdf_minimal()))
    assert verifie.nom_original == "passwd.pdf"


# --- Through the pieces step ---------------------------------------------------------------


@pytest.fixture
def aux_pieces(client, candidat):
    """A draft at the pieces step (identity and address proofs asked)."""
    client.force_login(candidat)
    demande = assistant.commencer(client, Motif.FIN_VALIDITE)
    assistant.remplir_etat_civil(client, demande)
    assistant.remplir_adresse(client, demande)
    assistant.remplir_photo(client, demande)
    return demande


@pytest.mark.parametrize("nom, contenu, message", REFUS, ids=[r[0] for r in REFUS])
@pytest.mark.django_db
def test_a_bad_file_is_refused_and_the_good_one_beside_it_is_kept(
    client, aux_pieces, nom, contenu, message
):
    response = assistant.poster(
        client,
        aux_pieces,
        "pieces",
        {"identite": fichier(nom, contenu), "domicile": assistant.pdf("edf.pdf")},
    )
    assert response.status_code == 200
    erreurs = response.context["form"].errors
    assert list(erreurs) == ["identite"]
    assert f"« {nom} »" in erreurs["identite"][0] and message in erreurs["identite"][0]
    page = response.content.decode()
    assert "Le formulaire contient une erreur" in page
    pieces = {p.nature: p for p in aux_pieces.pieces.all()}
    assert list(pieces) == ["domicile"]
    assert pieces["domicile"].nom_original == "edf.pdf"
    assert "edf.pdf" in page  # shown as already sent
    demande = Demande.objects.get(pk=aux_pieces.pk)
    assert demande.nom_naissance == "Martin" and demande.photo_confirmee


@pytest.mark.django_db
def test_an_oversized_upload_is_refused_by_the_step(client, aux_pieces):
    enorme = fichier("scan.pdf", b"%PDF-1.4\n" + b"0" * (uploads.TAILLE_MAX + 1))
    response = assistant.poster(client, aux_pieces, "pieces", {"identite": enorme})
    assert response.status_code == 200
    assert "la taille maximale est de 10 Mo" in response.context["form"].errors["identite"][0]
    assert not aux_pieces.pieces.exists()


@pytest.mark.django_db
def test_missing_pieces_are_named_and_the_step_is_not_left(client, aux_pieces):
    response = assistant.poster(client, aux_pieces, "pieces", {"identite": assistant.jpeg()})
    assert response.status_code == 200
    assert response.context["form"].errors == {"domicile": ["Ajoutez ce justificatif."]}
    assert list(aux_pieces.pieces.values_list("nature", flat=True)) == ["identite"]


@pytest.mark.django_db
def test_a_piece_is_replaced_then_deleted_before_submission(
    client, aux_pieces, django_capture_on_commit_callbacks
):
    assistant.remplir_pieces(client, aux_pieces)
    ancienne = aux_pieces.pieces.get(nature="identite")
    with django_capture_on_commit_callbacks(execute=True):
        assistant.poster(client, aux_pieces, "pieces", {"identite": assistant.png("recto.png")})
    nouvelle = aux_pieces.pieces.get(nature="identite")
    assert nouvelle.pk != ancienne.pk and nouvelle.nom_original == "recto.png"
    assert not default_storage.exists(ancienne.fichier.name)
    assert default_storage.exists(nouvelle.fichier.name)

    url = f"/demandes/{aux_pieces.numero}/pieces/{nouvelle.pk}/supprimer/"
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response["Location"] == assistant.url_etape(aux_pieces, "pieces")
    assert not aux_pieces.pieces.filter(nature="identite").exists()
    assert not default_storage.exists(nouvelle.fichier.name)


@pytest.mark.django_db
def test_pieces_of_a_submitted_request_cannot_be_deleted(client, candidat):
    demande = DemandeFactory(candidat=candidat, deposee=True)
    piece = demande.pieces.first()
    client.force_login(candidat)
    assert (
        client.post(f"/demandes/{demande.numero}/pieces/{piece.pk}/supprimer/").status_code == 404
    )
    assert PieceJustificative.objects.filter(pk=piece.pk).exists()


@pytest.mark.django_db
def test_stored_file_is_the_cleaned_one_under_a_random_name_in_private_storage(client, aux_pieces):
    assistant.poster(client, aux_pieces, "pieces", {"identite": assistant.jpeg("ma carte.jpg")})
    piece = aux_pieces.pieces.get()
    assert piece.type_mime == "image/jpeg" and piece.nom_original == "ma carte.jpg"
    assert "carte" not in piece.fichier.name and piece.fichier.name.startswith("pieces/")
    chemin = piece.fichier.path
    assert chemin.startswith(str(settings.STORAGES["default"]["OPTIONS"]["location"]))
    # No URL of the site serves the storage: only the view that checks who asks.
    assert client.get("/" + piece.fichier.name).status_code == 404
    assert client.get("/media/" + piece.fichier.name).status_code == 404
    with piece.fichier.open("rb") as flux:
        assert Image.open(flux).format == "JPEG"


def test_pdf_is_stored_without_javascript_attachments_or_annotations():
    piege = PdfWriter()
    piege.add_blank_page(width=595, height=842)
    piege.add_open_action(JavaScript("app.alert('bonjour');"))
    piege.add_attachment("charge.exe", b"MZ not really a program")
    sortie = io.BytesIO()
    piege.write(sortie)
    assert b"/JavaScript" in sortie.getvalue() and b"/EmbeddedFile" in sortie.getvalue()

    verifie = uploads.verifier(fichier("scan.pdf", sortie.getvalue()))

    propre = PdfReader(io.BytesIO(verifie.contenu))
    assert len(propre.pages) == 1
    assert b"/JavaScript" not in verifie.contenu
    assert b"/EmbeddedFile" not in verifie.contenu
    assert b"/OpenAction" not in verifie.contenu


def _action_js(pdf: pikepdf.Pdf, code: str) -> pikepdf.Object:
    return pdf.make_indirect(
        pikepdf.Dictionary(Type=Name.Action, S=Name.JavaScript, JS=pikepdf.String(code))
    )


def pdf_piege() -> bytes:
    """Two real pages, and JavaScript in every place a reader runs it from or a file keeps it:
    page-level /AA, open action, the JavaScript name tree, a link and a form field, an
    attachment, an outline, a key hidden in the page resources and an unreferenced object."""
    pdf = pikepdf.new()
    police = pdf.make_indirect(
        pikepdf.Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    )
    for numero, (largeur, hauteur) in enumerate([(595, 842), (842, 595)], start=1):
        contenu = f"BT /F1 24 Tf 72 500 Td (Bonjour page {numero}) Tj ET".encode()
        page = pikepdf.Dictionary(
            Type=Name.Page,
            MediaBox=[0, 0, largeur, hauteur],
            Contents=pdf.make_stream(contenu),
            Resources=pikepdf.Dictionary(
                Font=pikepdf.Dictionary(F1=police),
                ExtGState=pikepdf.Dictionary(
                    G0=pikepdf.Dictionary(Type=Name.ExtGState, JS=pikepdf.String("cache()"))
                ),
            ),
            AA=pikepdf.Dictionary(O=_action_js(pdf, "app.alert('page ouverte');")),
            Annots=[
                pdf.make_indirect(
                    pikepdf.Dictionary(
                        Type=Name.Annot,
                        Subtype=Name.Link,
                        Rect=[0, 0, 100, 100],
                        A=_action_js(pdf, "app.launchURL('https://piege.example');"),
                    )
                )
            ],
        )
        pdf.pages.append(pikepdf.Page(page))
    pdf.Root.OpenAction = _action_js(pdf, "app.alert('ouverture');")
    pdf.Root.AA = pikepdf.Dictionary(WC=_action_js(pdf, "app.alert('fermeture');"))
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=["init", _action_js(pdf, "app.alert('init');")])
    )
    champ = pdf.make_indirect(
        pikepdf.Dictionary(
            FT=Name.Tx, T=pikepdf.String("nom"), AA=pikepdf.Dictionary(K=_action_js(pdf, "x()"))
        )
    )
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=[champ])
    pdf.Root.Outlines = pdf.make_indirect(
        pikepdf.Dictionary(Type=Name.Outlines, First=_action_js(pdf, "app.alert('signet');"))
    )
    pdf.attachments["charge.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ not really a program")
    sortie = io.BytesIO()
    pdf.save(sortie, object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=False)
    return avec_objet_orphelin(sortie.getvalue(), pdf.Root.objgen[0])


def avec_objet_orphelin(base: bytes, racine: int) -> bytes:
    """`base` plus an incremental update adding an object that nothing refers to."""
    precedent = int(base.rsplit(b"startxref", 1)[1].split()[0])
    numero = int(re.findall(rb"/Size (\d+)", base)[-1])
    objet = f"{numero} 0 obj\n<< /S /JavaScript /JS (orphelin\\(\\)) >>\nendobj\n".encode()
    xref = len(base) + len(objet)
    return (
        base
        + objet
        + f"xref\n{numero} 1\n{len(base):010d} 00000 n \ntrailer\n"
        f"<< /Size {numero + 1} /Root {racine} 0 R /Prev {precedent} >>\n"
        f"startxref\n{xref}\n%%EOF\n".encode()
    )


# Every key that makes a PDF act, and what the trap's scripts and attachment contain.
TRACES_ACTIVES = [
    b"/JS", b"/JavaScript", b"/AA", b"/OpenAction", b"/Annots", b"/AcroForm", b"/EmbeddedFile",
    b"/Names", b"/Outlines", b"app.", b"orphelin", b"cache()", b"MZ not really",
]  # fmt: skip


def test_pdf_is_rebuilt_from_its_pages_and_no_script_survives_anywhere():
    piege = pdf_piege()
    for trace in (b"/JS", b"/JavaScript", b"/AA", b"orphelin", b"/EmbeddedFile"):
        assert trace in piege  # the trap really holds what must go

    stocke = uploads.verifier(fichier("scan.pdf", piege)).contenu

    # The stored bytes are searched as they are: dictionaries are not packed in compressed
    # object streams, so a key left anywhere would show.
    for trace in TRACES_ACTIVES:
        assert trace not in stocke, trace
    with pikepdf.open(io.BytesIO(stocke)) as propre:
        assert [list(page.mediabox) for page in propre.pages] == [
            [0, 0, 595, 842],
            [0, 0, 842, 595],
        ]
        for numero, page in enumerate(propre.pages, start=1):
            assert f"(Bonjour page {numero})".encode() in page.Contents.read_bytes()
            assert "/F1" in page.Resources.Font
        assert set(propre.Root.keys()) == {"/Type", "/Pages"}
        assert not propre.attachments
        for objet in propre.objects:
            if isinstance(objet, pikepdf.Dictionary | pikepdf.Stream):
                assert not set(objet.keys()) & {"/JS", "/AA", "/A", "/Annots", "/S"}


def test_pdf_with_only_an_owner_password_is_accepted_and_stored_unencrypted():
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    sortie = io.BytesIO()
    pdf.save(sortie, encryption=pikepdf.Encryption(owner="proprietaire", user=""))
    assert b"/Encrypt" in sortie.getvalue()
    stocke = uploads.verifier(fichier("releve.pdf", sortie.getvalue())).contenu
    assert b"/Encrypt" not in stocke
    with pikepdf.open(io.BytesIO(stocke)) as propre:
        assert len(propre.pages) == 1


def test_pdf_with_too_many_pages_is_refused():
    pdf = pikepdf.new()
    for _ in range(uploads.PAGES_MAX + 1):
        pdf.add_blank_page()
    sortie = io.BytesIO()
    pdf.save(sortie)
    with pytest.raises(ValidationError) as exc:
        uploads.verifier(fichier("gros.pdf", sortie.getvalue()))
    assert exc.value.messages == [
        f"Le PDF « gros.pdf » compte 31 pages : au plus {uploads.PAGES_MAX}."
    ]
