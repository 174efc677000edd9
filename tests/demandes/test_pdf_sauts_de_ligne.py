"""A line break inside a PDF's block is a newline kept by white-space: pre-line, not a <br>
(cheaper for WeasyPrint, see base.css): the lines still break where they did."""

from pathlib import Path

import pytest
from django.conf import settings

from demandes import attestation, pdf
from tests.demandes.assistant import lignes_pdf
from tests.factories import DemandeFactory

GABARITS = Path(settings.BASE_DIR) / "templates" / "demandes" / "pdf"


def test_no_br_in_the_pdf_templates():
    for gabarit in GABARITS.glob("*.html"):
        assert "<br" not in gabarit.read_text(), gabarit.name


@pytest.mark.django_db
def test_the_attestation_breaks_the_letterhead_address_and_categories_into_lines(instructeur):
    demande = DemandeFactory(
        en_instruction=True,
        departement="69",
        adresse="8 place Bellecour",
        code_postal="69002",
        commune="Lyon",
        categories=["B", "AM"],
    )
    demande.executer("accepter", par=instructeur)
    lignes = lignes_pdf(attestation.rendre(demande))
    for suite in (
        ["RÉPUBLIQUE", "FRANÇAISE", "Liberté, Égalité, Fraternité"],
        [settings.PERMIS_SERVICE_NAME, "Direction départementale des territoires"],
        ["Département 69"],
        ["Adresse 8 place Bellecour", "69002 Lyon"],
        ["Catégories B — voiture", "AM — cyclomoteur, voiturette"],
    ):
        debut = lignes.index(suite[0])
        assert lignes[debut : debut + len(suite)] == suite


@pytest.mark.django_db
def test_the_receipt_breaks_the_address_into_two_lines():
    demande = DemandeFactory(
        deposee=True, adresse="3 rue Neuve", complement_adresse="Bât. B", code_postal="69001"
    )
    lignes = lignes_pdf(pdf.recepisse_depot(demande))
    debut = lignes.index("Adresse 3 rue Neuve, Bât. B")
    assert lignes[debut + 1] == f"69001 {demande.commune}"
    debut = lignes.index(settings.PERMIS_SERVICE_NAME)
    assert lignes[debut + 1] == "Démarches du permis de conduire"
