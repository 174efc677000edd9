"""The attestation's verification block (QR code and code) out of the flow, not a float: with a
float on its page WeasyPrint measures every line's min-content width before placing it."""

import io

import pytest
import weasyprint.layout.inline
from pypdf import PdfReader

from demandes import attestation
from demandes.models import DocumentEmis
from tests.factories import DemandeFactory


@pytest.mark.django_db
def test_the_attestation_measures_no_line_beside_a_float(instructeur, monkeypatch):
    demande = DemandeFactory(en_instruction=True, departement="69")
    demande.executer("accepter", par=instructeur)
    mesures = []
    mesurer = weasyprint.layout.inline.inline_min_content_width

    def espion(*args, **kwargs):
        mesures.append(args)
        return mesurer(*args, **kwargs)

    monkeypatch.setattr(weasyprint.layout.inline, "inline_min_content_width", espion)
    contenu = attestation.rendre(demande, DocumentEmis.edition_de(demande, attestation.NATURE))
    assert mesures == []
    lignes = PdfReader(io.BytesIO(contenu)).pages[0].extract_text().splitlines()
    # The title still breaks short of the QR code, which is still there with its code.
    debut = lignes.index("Attestation d'inscription au permis de")
    assert lignes[debut + 1] == "conduire"
    assert "Code de vérification" in lignes
