"""A kept style's font key (WeasyPrint's _font_style_cache_key) made once per style, not at
every line (demandes.pdf._cle_de_police), and its strut kept on it (demandes.pdf._strut): the
very keys and struts, hence the very PDFs."""

import pytest
import weasyprint.css.computed_values
import weasyprint.css.units
import weasyprint.layout.inline
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


@pytest.fixture
def struts_faits(monkeypatch):
    """The styles whose strut WeasyPrint's own function gave."""
    faits = []
    faire = pdf._strut_weasyprint

    def compter(style):
        faits.append(style)
        return faire(style)

    monkeypatch.setattr(pdf, "_strut_weasyprint", compter)
    return faits


@pytest.mark.django_db
def test_a_document_rendered_again_asks_weasyprint_no_strut_for_its_kept_styles(
    deux_demandes, struts_faits
):
    documents = documents_pdf(deux_demandes[0])
    for rendre in documents.values():
        rendre()
    assert any(pdf._style_garde(style) for style in struts_faits)
    struts_faits.clear()
    for rendre in documents.values():
        rendre()
    assert [style for style in struts_faits if pdf._style_garde(style)] == []


@pytest.mark.django_db
def test_the_kept_struts_give_the_pdfs_weasyprints_struts_give(deux_demandes, monkeypatch):
    documents = [documents_pdf(demande) for demande in deux_demandes]
    rendus = [{nom: rendre() for nom, rendre in docs.items()} for docs in documents]
    for style, _ in pdf._moteur().polices.styles_partages.values():
        if "_strut" in style.__dict__:
            assert pdf._strut_weasyprint(style) == style.__dict__["_strut"]
    for module in (weasyprint.text.line_break, weasyprint.layout.inline, weasyprint.css.units):
        monkeypatch.setattr(module, "strut", pdf._strut_weasyprint)
    monkeypatch.setattr(weasyprint.css.computed_values, "strut", pdf._strut_weasyprint)
    for docs, attendus in zip(reversed(documents), reversed(rendus), strict=True):
        assert {nom: rendre() for nom, rendre in docs.items()} == attendus
