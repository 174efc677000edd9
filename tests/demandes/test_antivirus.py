"""Uploads scanned by a real ClamAV daemon (tests/clamav.py): EICAR is refused with a French
message next to the field, clean files pass, and an unreachable scanner refuses (fail closed)."""

import io
import logging
import os
import socket

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape
from PIL import Image

from demandes import antivirus, uploads
from demandes.enums import Motif
from tests.clamav import EICAR, SIGNATURE_EICAR
from tests.demandes import assistant
from tests.factories import pdf_minimal

INFECTE = "contient un virus ou un logiciel malveillant : il n'a pas été enregistré."
REESSAYEZ = (
    "n'a pas pu être analysé par l'antivirus pour le moment : réessayez dans quelques minutes."
)


def fichier(nom: str, contenu: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(nom, contenu)


def pdf_avec_piece_jointe(contenu: bytes) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.attachments["lisez-moi.com"] = pikepdf.AttachedFileSpec(pdf, contenu)
    sortie = io.BytesIO()
    pdf.save(sortie, compress_streams=False)
    return sortie.getvalue()


def test_clamd_gives_its_verdict_over_instream(antivirus_actif):
    assert antivirus.ping()
    antivirus.analyser(pdf_minimal())
    with pytest.raises(antivirus.FichierInfecte) as exc:
        antivirus.analyser(EICAR)
    assert exc.value.signature.startswith(SIGNATURE_EICAR)
    # Sent in several chunks: the signature straddling two of them is still found.
    with pytest.raises(antivirus.FichierInfecte):
        antivirus.analyser(b"%PDF-1.4\n" + b"0" * (64 * 1024 - 20) + EICAR)


INFECTES = [
    ("eicar.com", EICAR),
    ("facture.pdf", EICAR),  # the name says PDF: the scan comes before the format check
    ("releve.pdf", pdf_avec_piece_jointe(EICAR)),  # hidden in a PDF's attachment
]


@pytest.mark.parametrize("nom, contenu", INFECTES, ids=[n for n, _ in INFECTES])
def test_infected_file_is_refused_with_a_french_message(antivirus_actif, nom, contenu, caplog):
    with (
        caplog.at_level(logging.WARNING, logger="demandes.antivirus"),
        pytest.raises(ValidationError) as exc,
    ):
        uploads.verifier(fichier(nom, contenu))
    assert exc.value.messages == [
        f"Le fichier « {nom} » {INFECTE} Analysez votre appareil, puis envoyez un autre fichier."
    ]
    assert exc.value.error_list[0].code == "infecte"
    assert SIGNATURE_EICAR in caplog.text  # the agents' logs name what was found


def test_clean_files_pass_the_scan(antivirus_actif):
    bruit = Image.frombytes("RGB", (300, 300), os.urandom(300 * 300 * 3))
    sortie = io.BytesIO()
    bruit.save(sortie, "PNG")
    assert len(sortie.getvalue()) > 4 * 64 * 1024  # several INSTREAM chunks
    assert uploads.verifier(fichier("scan.png", sortie.getvalue())).extension == "png"
    assert uploads.verifier(fichier("scan.pdf", pdf_minimal())).extension == "pdf"
    assert uploads.verifier(fichier("photo.jpg", assistant.jpeg().read())).extension == "jpg"


def test_no_scan_without_a_configured_daemon(settings):
    settings.PERMIS_CLAMAV_URL = ""
    assert not antivirus.actif()
    with pytest.raises(ValidationError) as exc:
        uploads.verifier(fichier("eicar.com", EICAR))
    assert exc.value.error_list[0].code == "format"  # refused as not JPEG/PNG/PDF, unscanned


def test_unreachable_scanner_refuses_the_upload(settings, tmp_path):
    settings.PERMIS_CLAMAV_URL = f"unix://{tmp_path / 'absent.sock'}"
    with pytest.raises(ValidationError) as exc:
        uploads.verifier(fichier("scan.pdf", pdf_minimal()))
    assert exc.value.messages == [f"Le fichier « scan.pdf » {REESSAYEZ}"]
    assert exc.value.error_list[0].code == "antivirus_indisponible"


def test_scanner_that_does_not_answer_in_time_refuses_the_upload(settings, tmp_path):
    chemin = tmp_path / "muet.sock"
    muet = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    muet.bind(str(chemin))
    muet.listen(1)  # accepts the connection, never answers
    settings.PERMIS_CLAMAV_URL = f"unix://{chemin}"
    settings.PERMIS_CLAMAV_TIMEOUT = 0.5
    try:
        with pytest.raises(ValidationError) as exc:
            uploads.verifier(fichier("scan.pdf", pdf_minimal()))
    finally:
        muet.close()
    assert exc.value.error_list[0].code == "antivirus_indisponible"


# --- Through the pieces step ---------------------------------------------------------------


@pytest.fixture
def aux_pieces(client, candidat):
    client.force_login(candidat)
    demande = assistant.commencer(client, Motif.FIN_VALIDITE)
    assistant.remplir_etat_civil(client, demande)
    assistant.remplir_adresse(client, demande)
    assistant.remplir_photo(client, demande)
    return demande


@pytest.mark.django_db
def test_infected_piece_is_refused_next_to_its_field_and_the_clean_one_is_kept(
    client, aux_pieces, antivirus_actif
):
    response = assistant.poster(
        client,
        aux_pieces,
        "pieces",
        {"identite": fichier("carte.pdf", EICAR), "domicile": assistant.pdf("edf.pdf")},
    )
    assert response.status_code == 200
    erreurs = response.context["form"].errors
    assert list(erreurs) == ["identite"]
    assert INFECTE in erreurs["identite"][0]
    assert escape(INFECTE) in response.content.decode()
    assert list(aux_pieces.pieces.values_list("nature", flat=True)) == ["domicile"]


@pytest.mark.django_db
def test_scanner_down_refuses_every_piece_and_asks_to_retry(client, aux_pieces, settings, tmp_path):
    settings.PERMIS_CLAMAV_URL = f"unix://{tmp_path / 'absent.sock'}"
    response = assistant.poster(
        client,
        aux_pieces,
        "pieces",
        {"identite": assistant.jpeg("carte.jpg"), "domicile": assistant.pdf("edf.pdf")},
    )
    assert response.status_code == 200
    erreurs = response.context["form"].errors
    assert set(erreurs) == {"identite", "domicile"}
    assert all("réessayez dans quelques minutes" in e[0] for e in erreurs.values())
    assert not aux_pieces.pieces.exists()
