"""The attestation's verification block (QR code and code) out of the flow, not a float: with a
float on its page WeasyPrint measures every line's min-content width before placing it."""

import pytest
import weasyprint.formatting_structure.build
import weasyprint.layout.inline

from demandes import attestation, verification
from demandes.models import DocumentEmis
from tests.demandes.assistant import pages_pdf
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
    lignes = pages_pdf(contenu)[0].splitlines()
    # The title still breaks short of the QR code, which is still there with its code.
    debut = lignes.index("Attestation d'inscription au permis de")
    assert lignes[debut + 1] == "conduire"
    assert "Code de vérification" in lignes


@pytest.mark.django_db
def test_another_code_breaks_only_its_own_line(instructeur, lignes_coupees):
    """The code's newline in its span: the line after it starts at the line's start whatever
    the code's width, and its break is the kept one (demandes.pdf._couper_ligne)."""
    demande = DemandeFactory(en_instruction=True, departement="69")
    demande.executer("accepter", par=instructeur)
    attestation.rendre(demande, DocumentEmis.edition_de(demande, attestation.NATURE))
    lignes_coupees.clear()
    emis = DocumentEmis.edition_de(demande, attestation.NATURE)
    contenu = attestation.rendre(demande, emis)
    code = verification.lisible(emis.code)
    assert [t for t in lignes_coupees if "Vérifiez" in t or code in t] == [f"{code}\n"]
    lignes = pages_pdf(contenu)[0].splitlines()
    debut = lignes.index(code)
    assert lignes[debut - 1 : debut + 2] == [
        "Code de vérification",
        code,
        "Vérifiez ce document sur",
    ]


@pytest.mark.django_db
def test_the_attestation_collapses_no_table_border(instructeur, monkeypatch):
    """Its tables have no border: the separate model lays them out the same, without
    WeasyPrint's collapsing of every cell's borders."""
    demande = DemandeFactory(en_instruction=True, departement="69")
    demande.executer("accepter", par=instructeur)
    tables = []
    monkeypatch.setattr(
        weasyprint.formatting_structure.build,
        "collapse_table_borders",
        lambda *args: tables.append(args),
    )
    attestation.rendre(demande, DocumentEmis.edition_de(demande, attestation.NATURE))
    assert tables == []
