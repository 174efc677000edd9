"""A kept style's font key (WeasyPrint's _font_style_cache_key) made once per style, not at
every line (demandes.pdf._cle_de_police): the very keys, hence the very PDFs."""

import pytest
import weasyprint.text.line_break

from demandes import pdf
from tests.demandes.assistant import documents_pdf


@pytest.fixture
def cles_faites(monkeypatch):
    """The styles whose key WeasyPrint's own function made."""
    faites = []
    faire = pdf._cle_de_police_weasyprint

    def compter(style, include_size=False):
        faites.append(style)
        return faire(style, include_size)

    monkeypatch.setattr(pdf, "_cle_de_police_weasyprint", compter)
    return faites


@pytest.mark.django_db
def test_the_kept_keys_give_the_pdfs_weasyprints_keys_give(deux_demandes, monkeypatch):
    documents = [documents_pdf(demande) for demande in deux_demandes]
    rendus = [{nom: rendre() for nom, rendre in docs.items()} for docs in documents]
    cles = {
        (id(style), taille): cle
        for style, _ in pdf._moteur().polices.styles_partages.values()
        for taille, cle in style.__dict__.get("_cles_de_police", {}).items()
    }
    assert cles
    for (ident, taille), cle in cles.items():
        style = next(s for s, _ in pdf._moteur().polices.styles_partages.values() if id(s) == ident)
        assert pdf._cle_de_police_weasyprint(style, taille) == cle
    monkeypatch.setattr(
        weasyprint.text.line_break, "_font_style_cache_key", pdf._cle_de_police_weasyprint
    )
    monkeypatch.setattr(pdf, "_cle_de_police", pdf._cle_de_police_weasyprint)
    for docs, attendus in zip(reversed(documents), reversed(rendus), strict=True):
        assert {nom: rendre() for nom, rendre in docs.items()} == attendus


@pytest.mark.django_db
def test_a_document_rendered_again_makes_no_key_for_its_kept_styles(deux_demandes, cles_faites):
    documents = documents_pdf(deux_demandes[0])
    for rendre in documents.values():
        rendre()
    assert cles_faites
    cles_faites.clear()
    for rendre in documents.values():
        rendre()
    assert [style for style in cles_faites if pdf._style_garde(style)] == []


def test_a_style_that_is_not_kept_has_its_key_made_each_time(cles_faites):
    moteur = pdf._moteur()
    page = pdf._HTML(
        moteur.navigateur, '<html lang="fr"><body><p>Un</p></body></html>', "", pdf._Images({})
    )
    polices = pdf.FontConfiguration()  # WeasyPrint's own: no style kept
    page.write_pdf(font_config=polices)
    faites = len(cles_faites)
    assert faites and not any(pdf._style_garde(style) for style in cles_faites)
    page.write_pdf(font_config=polices)
    assert len(cles_faites) == 2 * faites
