"""pydyf's _to_bytes with its most frequent cases first (demandes.pdf._en_octets): the very
bytes for every value, hence the very PDFs."""

import pydyf
import pytest

from demandes import pdf
from tests.demandes.assistant import documents_pdf


def test_every_kind_of_value_is_written_as_pydyf_writes_it():
    valeurs = [
        b"/Type",
        "/Page",
        "",
        0,
        -12,
        2**70,
        True,
        False,
        1.0,
        -2.5,
        0.125,
        1e-7,
        pydyf.Dictionary({"Type": "/Font", "Widths": pydyf.Array([1, 2.5, b"3"])}),
        pydyf.String("Liberté"),
        None,
    ]
    for valeur in valeurs:
        assert pdf._en_octets(valeur) == pdf._en_octets_pydyf(valeur), valeur
    for valeur in ("é", "Égalité"):
        with pytest.raises(UnicodeEncodeError):
            pdf._en_octets_pydyf(valeur)
        with pytest.raises(UnicodeEncodeError):
            pdf._en_octets(valeur)


def test_pydyf_writes_through_it():
    assert pydyf._to_bytes is pdf._en_octets


@pytest.mark.django_db
def test_the_pdfs_are_those_pydyfs_own_writes(deux_demandes, monkeypatch):
    documents = [documents_pdf(demande) for demande in deux_demandes]
    rendus = [{nom: rendre() for nom, rendre in docs.items()} for docs in documents]
    monkeypatch.setattr(pydyf, "_to_bytes", pdf._en_octets_pydyf)
    for docs, attendus in zip(documents, rendus, strict=True):
        assert {nom: rendre() for nom, rendre in docs.items()} == attendus
