"""The PDF patches were transcribed from given releases of WeasyPrint, pydyf and segno: on
another release (an upgrade of the lock file) this fails, before a patch silently differs."""

from importlib.metadata import version

import pytest

from demandes.pdf import VERSIONS_TRANSCRITES


@pytest.mark.parametrize("paquet", sorted(VERSIONS_TRANSCRITES))
def test_the_installed_release_is_the_one_the_patches_transcribe(paquet):
    assert version(paquet) == VERSIONS_TRANSCRITES[paquet], (
        f"{paquet} {version(paquet)} is installed: compare the functions demandes/pdf.py, "
        "pdf_mise_en_page.py, pdf_polices.py and pdf_qr.py replace or call with its own, "
        "then update demandes.pdf.VERSIONS_TRANSCRITES"
    )
