"""The PDFs' numbers read as printed when copied or searched: Marianne kerns « QJ », and PDF
readers (pypdf here) read a space inside a kerned pair of a request number, so the documents
are set without kerning (base.css)."""

import pytest

from demandes.numeros import _cle
from tests.demandes.assistant import documents_pdf, lignes_pdf

CORPS = "QJQJVQJ6QJQ"
NUMERO = f"{CORPS[:4]}-{CORPS[4:8]}-{CORPS[8:]}{_cle(CORPS)}"


@pytest.mark.django_db
def test_a_number_with_a_kerned_pair_reads_as_printed_in_every_pdf(deux_demandes):
    demande = deux_demandes[0]
    demande.numero = NUMERO
    demande.save(update_fields=["numero"])
    for nom, rendre in documents_pdf(demande).items():
        lignes = lignes_pdf(rendre())
        assert any(NUMERO in ligne for ligne in lignes), (nom, lignes)
        assert not any("Q J" in ligne for ligne in lignes), nom
