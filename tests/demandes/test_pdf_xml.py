"""The PDF templates are read by the XML parser (demandes.pdf._HTML): each of them is
well-formed XML, which gives the very PDF tinyhtml5's tree gives, and what is not
well-formed still renders, through tinyhtml5."""

from datetime import date
from types import SimpleNamespace
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from demandes import attestation, pdf
from demandes.models import DocumentEmis, DocumentProduit
from tests.demandes.assistant import jpeg, png, texte_pdf
from tests.factories import DemandeFactory


@pytest.fixture
def acceptee(instructeur):
    demande = DemandeFactory(
        en_instruction=True, departement="69", nom_usage="Martin", complement_adresse="Bât. A"
    )
    demande.executer("accepter", par=instructeur)
    demande.photo.save("photo.jpg", jpeg(taille=(70, 90)), save=False)
    demande.signature.save("signature.png", png(taille=(70, 90)), save=True)
    return demande


def _documents(demande) -> dict:
    """Each PDF template, rendered from a request (with a photo, a signature, a usage
    name and an address complement: every optional part of the templates)."""
    nature = DocumentProduit.Nature.ATTESTATION_INSCRIPTION
    emis = DocumentEmis.edition_de(demande, nature)
    releve = SimpleNamespace(
        nom="MARTIN",
        prenoms="Camille",
        date_naissance=date(2006, 4, 12),
        neph="690123456789",
        titres=[
            SimpleNamespace(
                delivre_le=date(2025, 3, 1),
                categories=["B"],
                motif="Premier titre",
                numero_demande="B3KX-9QF2-7M4T",
            )
        ],
    )
    return {
        "attestation": lambda: attestation.rendre(demande, emis),
        "récépissé": lambda: pdf.recepisse_depot(demande, emis),
        "relevé": lambda: pdf.rendre_pdf(
            "demandes/pdf/releve_information.html",
            {"releve": releve, "edite_le": timezone.now()},
            emis,
        ),
    }


@pytest.fixture
def sans_tinyhtml5(monkeypatch):
    """WeasyPrint's own parsing (HTML.__init__, tinyhtml5) fails the test if it runs."""

    def refuse(self, *args, **kwargs):
        raise AssertionError("the template was not read as XML")

    monkeypatch.setattr(pdf.HTML, "__init__", refuse)


@pytest.mark.django_db
def test_every_pdf_template_is_read_as_xml_and_gives_the_pdf_tinyhtml5_gives(
    acceptee, monkeypatch, sans_tinyhtml5
):
    documents = _documents(acceptee)
    par_xml = {nom: rendre() for nom, rendre in documents.items()}
    monkeypatch.undo()

    def pas_du_xml(texte):
        raise ElementTree.ParseError("forced")

    monkeypatch.setattr(pdf.ElementTree, "fromstring", pas_du_xml)
    for nom, rendre in documents.items():
        assert rendre() == par_xml[nom], nom
    assert "MARTIN" in texte_pdf(par_xml["attestation"])
    assert "Bât. A" in texte_pdf(par_xml["récépissé"])


def test_html_that_is_not_xml_still_renders_through_tinyhtml5():
    moteur = pdf._moteur()
    page = pdf._HTML(
        moteur.navigateur,
        string='<!DOCTYPE html><html lang="fr"><body><p>Ligne un<br>ligne deux<p>Fin',
        base_url="",
        url_fetcher=pdf._Images({}),
    )
    assert [e.tag for e in page.etree_element.iter()] == ["html", "head", "body", "p", "br", "p"]
    assert texte_pdf(page.write_pdf(font_config=moteur.polices)).split("\n") == [
        "Ligne un",
        "ligne deux",
        "Fin",
    ]
