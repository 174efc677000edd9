"""The documents' QR codes made from a template kept per version (demandes.pdf_qr): the very
matrix segno makes, module for module, and the very PNG the documents carried."""

import io
import random
import string

import pytest
import segno
from PIL import Image

from demandes import pdf, pdf_qr
from demandes.models import DocumentEmis


def _matrice_segno(contenu: str, erreur: str, masque: int) -> tuple[int, bytes]:
    code = segno.make(contenu, error=erreur, mask=masque, micro=False)
    return len(code.matrix), b"".join(bytes(ligne) for ligne in code.matrix)


def test_every_version_error_level_and_mask_gives_segnos_matrix():
    aleatoire = random.Random(14)
    versions = set()
    for n in range(240):
        # From a few characters to a version 40 code's worth, in byte mode and others.
        taille = aleatoire.choice((1, 10, 40, 100, 300, 1000, 2300))
        alphabet = string.ascii_letters + "/:-._é" if n % 3 else string.digits
        contenu = "".join(aleatoire.choice(alphabet) for _ in range(taille))
        erreur, masque = "lmqh"[n % 4], n % 8
        try:
            attendu = _matrice_segno(contenu, erreur, masque)
        except segno.DataOverflowError:
            continue
        assert pdf_qr.modules(contenu, erreur, masque) == attendu, (contenu, erreur, masque)
        versions.add(attendu[0] // 4 - 4)
    assert {1, 5, 40} <= versions and len(versions) > 10


def test_a_longer_message_raises_segnos_error():
    with pytest.raises(segno.DataOverflowError):
        pdf_qr.modules("x" * 3000, "q", 0)


def test_the_documents_qr_code_is_the_png_segnos_matrix_gave():
    for reference in (1, 2**31, 2**32 - 2):
        emis = DocumentEmis(nature="attestation_inscription", version=1, reference=reference)
        bloc = pdf.bloc_verification(emis)
        code = segno.make(bloc["url"], error="q", mask=0)  # what the documents carried
        assert not code.is_micro
        image = Image.open(io.BytesIO(bloc["qr"]))
        assert (image.mode, image.size) == ("L", (len(code.matrix), len(code.matrix)))
        gris = bytes(0x16 if module else 0xFF for ligne in code.matrix for module in ligne)
        assert image.tobytes() == gris
