"""The embedded fonts' subsets and their compressed streams are kept for the same font file
and glyphs (demandes.pdf_polices): the PDFs are the very ones WeasyPrint's own subsetting
gives, byte for byte, whatever was rendered before them, and a document rendered again
subsets and compresses no font anew."""

import pytest
import weasyprint.text.ffi

from demandes import pdf_polices
from tests.demandes.assistant import documents_pdf


@pytest.fixture
def sous_ensembles_faits(monkeypatch):
    """The fonts WeasyPrint's own Font.subset subset, by family."""
    faits = []
    faire = pdf_polices._sous_ensemble_weasyprint

    def compter(font, *args, **kwargs):
        faits.append(font.family)
        return faire(font, *args, **kwargs)

    monkeypatch.setattr(pdf_polices, "_sous_ensemble_weasyprint", compter)
    return faits


@pytest.fixture
def flux_compresses(monkeypatch):
    """The font streams compressed anew."""
    faits = []
    donnees = pdf_polices.pydyf.Stream.data

    def compter(flux):
        if isinstance(flux, pdf_polices._FluxDePolice):
            faits.append(flux)
        return donnees.fget(flux)

    monkeypatch.setattr(pdf_polices.pydyf.Stream, "data", property(compter))
    return faits


def _de_weasyprint(rendus):
    """What `rendus` give with WeasyPrint's own subsetting, nothing kept."""
    gardes = pdf_polices.gardes
    kept = gardes.sous_ensembles, gardes.flux
    gardes.sous_ensembles = gardes.flux = None
    try:
        return {cle: rendre() for cle, rendre in rendus.items()}
    finally:
        gardes.sous_ensembles, gardes.flux = kept


@pytest.mark.django_db
def test_kept_subsets_give_the_pdf_weasyprints_own_subsets_give(deux_demandes):
    premiere, seconde = (documents_pdf(demande) for demande in deux_demandes)
    rendus = {
        (i, nom): rendre
        for i, documents in enumerate((premiere, seconde))
        for nom, rendre in documents.items()
    }
    attendus = _de_weasyprint(rendus)
    # The second request's documents first, then the first's, then the second's again.
    for i in (1, 0, 1):
        for nom in premiere:
            assert rendus[i, nom]() == attendus[i, nom], (i, nom)
    assert pdf_polices.gardes.sous_ensembles and pdf_polices.gardes.flux


@pytest.mark.django_db
def test_a_document_rendered_again_subsets_and_compresses_no_font(
    deux_demandes, sous_ensembles_faits, flux_compresses
):
    pdf_polices.gardes.sous_ensembles.clear()
    pdf_polices.gardes.flux.clear()
    documents = documents_pdf(deux_demandes[0])
    for rendre in documents.values():
        rendre()
    assert "Marianne" in sous_ensembles_faits and flux_compresses
    sous_ensembles_faits.clear()
    flux_compresses.clear()
    for rendre in documents.values():
        rendre()
    assert sous_ensembles_faits == [] and flux_compresses == []


@pytest.mark.django_db
def test_another_file_of_the_same_hash_is_subset_anew(deux_demandes, sous_ensembles_faits):
    documents = documents_pdf(deux_demandes[0])
    attendu = _de_weasyprint({"attestation": documents["attestation"]})["attestation"]
    documents["attestation"]()
    gardes = pdf_polices.gardes
    # Each known file's hash now names other bytes.
    gardes.fichiers = dict.fromkeys(gardes.fichiers, b"autre fichier")
    sous_ensembles_faits.clear()
    try:
        assert documents["attestation"]() == attendu
    finally:
        gardes.fichiers = {}
    assert "Marianne" in sous_ensembles_faits


@pytest.mark.django_db
def test_the_kept_subsets_are_bounded(deux_demandes, monkeypatch):
    pdf_polices.gardes.sous_ensembles.clear()
    monkeypatch.setattr(pdf_polices, "_SOUS_ENSEMBLES_MAX", 2)
    for demande in deux_demandes:
        for rendre in documents_pdf(demande).values():
            rendre()
    assert 0 < len(pdf_polices.gardes.sous_ensembles) <= 2
    assert len(pdf_polices.gardes.flux) <= 2


@pytest.mark.django_db
def test_a_subset_parses_no_c_type_for_its_glyph_count(deux_demandes, monkeypatch):
    """Font.subset's arrays typed without their length (pdf_polices._FfiSansTailles): cffi
    parses a type such as `hb_codepoint_t[57]` anew for each length, ~2 ms each."""
    ffi = weasyprint.text.ffi.ffi
    monkeypatch.setattr(ffi, "_parsed_types", {})
    monkeypatch.setattr(pdf_polices.gardes, "sous_ensembles", None)  # every font subset
    for rendre in documents_pdf(deux_demandes[0]).values():
        rendre()
    types = [cdecl for cdecl in ffi._parsed_types if isinstance(cdecl, str)]
    assert "hb_codepoint_t[]" in types
    assert not [cdecl for cdecl in types if cdecl.startswith("hb_codepoint_t[") and cdecl[15:-1]]


@pytest.mark.django_db
def test_each_font_file_is_prepared_for_subsetting_once(deux_demandes, monkeypatch):
    """Its subsets are the very ones (the byte-for-byte test above makes them so)."""
    preparees = []
    preparer = pdf_polices._pretraiter

    def compter(face):
        preparees.append(face)
        return preparer(face)

    monkeypatch.setattr(pdf_polices, "_pretraiter", compter)
    monkeypatch.setattr(pdf_polices.gardes, "pretraitees", {})
    monkeypatch.setattr(pdf_polices.gardes, "sous_ensembles", {})
    for demande in deux_demandes:
        for rendre in documents_pdf(demande).values():
            rendre()
        assert preparees and len(preparees) == len(pdf_polices.gardes.pretraitees)
