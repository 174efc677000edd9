"""The PDFs' streams compressed at zlib's default level, not pydyf's 9 (demandes.pdf)."""

import zlib

import pydyf

from demandes import pdf  # noqa: F401 (it sets pydyf's compression)


def test_pdf_streams_are_compressed_at_zlib_default_level():
    texte = b"BT /F1 10 Tf 72 720 Td [(Attestation) -250 (d'inscription)] TJ ET\n" * 200
    flux = pydyf.Stream([texte], compress=True).data
    assert zlib.compress(texte, 6) in flux
    assert zlib.compress(texte, 9) not in flux
