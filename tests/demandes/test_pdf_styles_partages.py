"""An element's computed style (demandes.pdf._Styles) and where its lines break
(demandes.pdf._couper_ligne) are kept from one render to the next: the PDFs are the very ones
WeasyPrint's own styles and line breaking give, byte for byte, whatever was rendered before
them, and a document rendered again computes no style of its elements and breaks no line anew."""

import pytest

from demandes import pdf
from demandes.pdf import FontConfiguration
from tests.demandes.assistant import documents_pdf


@pytest.fixture
def styles_faits(monkeypatch):
    """The elements whose style WeasyPrint computed anew, by tag."""
    faits = []
    weasyprint_style_for = pdf._Styles.__mro__[1]  # WeasyPrint's StyleFor, ours replaces it
    faire = weasyprint_style_for.set_computed_styles

    def compter(self, element, *args, **kwargs):
        if hasattr(element, "tag"):
            faits.append(element.tag)
        return faire(self, element, *args, **kwargs)

    monkeypatch.setattr(weasyprint_style_for, "set_computed_styles", compter)
    return faits


@pytest.mark.django_db
def test_kept_styles_give_the_pdf_weasyprints_own_styles_give(deux_demandes):
    polices = pdf._moteur().polices
    premiere, seconde = (documents_pdf(demande) for demande in deux_demandes)
    polices.styles_partages = None  # WeasyPrint's styles, made at each render
    try:
        attendus = {
            (i, nom): rendre()
            for i, documents in enumerate((premiere, seconde))
            for nom, rendre in documents.items()
        }
    finally:
        polices.styles_partages = {}
    # The second request's documents first, then the first's, then the second's again.
    for i in (1, 0, 1):
        for nom, rendre in (premiere, seconde)[i].items():
            assert rendre() == attendus[i, nom], (i, nom)
    assert polices.styles_partages


@pytest.mark.django_db
def test_a_document_rendered_again_makes_no_style_of_its_elements(deux_demandes, styles_faits):
    pdf._moteur().polices.styles_partages.clear()
    documents = documents_pdf(deux_demandes[0])
    for rendre in documents.values():
        rendre()
    assert "table" in styles_faits and "li" in styles_faits
    styles_faits.clear()
    for rendre in documents.values():
        rendre()
    assert styles_faits == []
    # Another request: the same elements, their styles kept.
    for rendre in documents_pdf(deux_demandes[1]).values():
        rendre()
    assert styles_faits == []


@pytest.fixture
def styles_de_pages_faits(monkeypatch):
    """The pages and margin boxes whose style WeasyPrint computed anew."""
    faits = []
    weasyprint_style_for = pdf._Styles.__mro__[1]
    faire = weasyprint_style_for.set_computed_styles

    def compter(self, element, parent, root=None, pseudo_type=None, **kwargs):
        if isinstance(element, pdf.PageType):
            faits.append(pseudo_type)
        return faire(self, element, parent, root, pseudo_type, **kwargs)

    monkeypatch.setattr(weasyprint_style_for, "set_computed_styles", compter)
    return faits


@pytest.mark.django_db
def test_a_document_rendered_again_makes_no_style_of_its_pages(
    deux_demandes, styles_de_pages_faits
):
    pdf._moteur().polices.styles_partages.clear()
    rendre = documents_pdf(deux_demandes[0])["attestation"]
    rendre()
    assert None in styles_de_pages_faits and "@bottom-center" in styles_de_pages_faits
    styles_de_pages_faits.clear()
    rendre()
    assert styles_de_pages_faits == []


def test_the_kept_styles_are_bounded(monkeypatch):
    moteur = pdf._moteur()
    moteur.polices.styles_partages.clear()
    monkeypatch.setattr(pdf, "_STYLES_PARTAGES_MAX", 3)
    corps = "".join(f'<p style="margin-left: {i}px">Ligne {i}</p>' for i in range(6))
    page = pdf._HTML(
        moteur.navigateur, f'<html lang="fr"><body>{corps}</body></html>', "", pdf._Images({})
    )
    page.write_pdf(font_config=moteur.polices)
    assert 0 < len(moteur.polices.styles_partages) <= 3


@pytest.mark.django_db
def test_kept_line_breaks_give_the_pdf_weasyprints_own_give(deux_demandes):
    polices = pdf._moteur().polices
    premiere, seconde = (documents_pdf(demande) for demande in deux_demandes)
    polices.lignes_coupees = None  # WeasyPrint's line breaking at each render
    try:
        attendus = {
            (i, nom): rendre()
            for i, documents in enumerate((premiere, seconde))
            for nom, rendre in documents.items()
        }
    finally:
        polices.lignes_coupees = {}
    for i in (1, 0, 1):
        for nom, rendre in (premiere, seconde)[i].items():
            assert rendre() == attendus[i, nom], (i, nom)
    assert polices.lignes_coupees


@pytest.mark.django_db
def test_a_document_rendered_again_breaks_no_line(deux_demandes, lignes_coupees):
    pdf._moteur().polices.lignes_coupees.clear()
    documents = documents_pdf(deux_demandes[0])
    for rendre in documents.values():
        rendre()
    assert any(texte.startswith("Elle prouve votre inscription") for texte in lignes_coupees)
    lignes_coupees.clear()
    for rendre in documents.values():
        rendre()
    # The footers too: a page's style and its margin boxes' are kept.
    assert lignes_coupees == []
    # Another request: only its own values are broken into lines, the paragraphs are kept,
    # and the attestation's footer; the récépissé's holds the request's number.
    for rendre in documents_pdf(deux_demandes[1]).values():
        rendre()
    assert lignes_coupees
    assert not any(texte.startswith("Elle prouve votre inscription") for texte in lignes_coupees)
    pieds = [texte for texte in lignes_coupees if " — page " in texte]
    assert pieds == [f"Demande {deux_demandes[1].numero} — page 1 / 1"]


def test_a_line_with_an_ellipsis_leaves_the_kept_break_as_it_was():
    moteur = pdf._moteur()
    html = (
        '<html lang="fr"><body><p style="width: 30mm; line-clamp: 1">'
        "Une ligne bien trop longue pour sa boîte</p></body></html>"
    )

    def rendre(polices):
        page = pdf._HTML(moteur.navigateur, html, "", pdf._Images({}))
        return page.write_pdf(font_config=polices)

    attendu = rendre(FontConfiguration())  # WeasyPrint's own, nothing kept
    moteur.polices.lignes_coupees.clear()
    assert rendre(moteur.polices) == attendu
    textes = [coupe[0].text for coupe, _ in moteur.polices.lignes_coupees.values()]
    assert "Une ligne" in textes
    assert rendre(moteur.polices) == attendu
    # WeasyPrint wrote the ellipsis into a copy of the kept layout.
    assert [coupe[0].text for coupe, _ in moteur.polices.lignes_coupees.values()] == textes


def test_the_kept_line_breaks_are_bounded(monkeypatch):
    moteur = pdf._moteur()
    moteur.polices.lignes_coupees.clear()
    monkeypatch.setattr(pdf, "_LIGNES_COUPEES_MAX", 3)
    corps = "".join(f"<p>Ligne {i}</p>" for i in range(6))
    page = pdf._HTML(
        moteur.navigateur, f'<html lang="fr"><body>{corps}</body></html>', "", pdf._Images({})
    )
    page.write_pdf(font_config=moteur.polices)
    assert 0 < len(moteur.polices.lignes_coupees) <= 3
