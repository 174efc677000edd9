"""A kept table's style and its wrapper's, as WeasyPrint's wrap_table copies them, kept from
one render to the next (demandes.pdf._envelopper): the same values, the very PDFs."""

import pytest
import weasyprint.formatting_structure.build
from weasyprint.formatting_structure import boxes

from demandes import pdf
from tests.demandes.assistant import documents_pdf


@pytest.fixture
def tableaux(monkeypatch):
    """Each table wrapped, with the styles WeasyPrint's own copies have for it."""
    vus = []
    envelopper = pdf._envelopper

    def espion(box, children):
        propre = pdf._envelopper_weasyprint(box, list(children))
        wrapper = envelopper(box, children)
        (table,) = (b for b in wrapper.children if isinstance(b, boxes.TableBox))
        (sa_table,) = (b for b in propre.children if isinstance(b, boxes.TableBox))
        vus.append((box.style, table.style, wrapper.style, sa_table.style, propre.style))
        return wrapper

    monkeypatch.setattr(weasyprint.formatting_structure.build, "wrap_table", espion)
    return vus


@pytest.mark.django_db
def test_a_kept_tables_styles_are_the_copies_weasyprint_makes(deux_demandes, tableaux):
    for demande in deux_demandes:
        for rendre in documents_pdf(demande).values():
            rendre()
            rendre()
    gardes = [vu for vu in tableaux if pdf._style_garde(vu[0])]
    assert len(gardes) >= 8
    for _, table, wrapper, sa_table, son_wrapper in gardes:
        assert table is not sa_table and wrapper is not son_wrapper
        for garde, propre in ((table, sa_table), (wrapper, son_wrapper)):
            assert type(garde) is type(propre)
            # Every value either has computed, computed by the other too: the same.
            for nom in set(garde) | set(propre):
                assert garde[nom] == propre[nom], nom
    # The second render of a document and another request's get the first's copies.
    premiers = {}
    for style, table, wrapper, *_ in gardes:
        premiere_table, premier_wrapper = premiers.setdefault(id(style), (table, wrapper))
        assert premiere_table is table and premier_wrapper is wrapper
    assert len(premiers) < len(gardes)


@pytest.mark.django_db
def test_the_pdfs_are_those_of_weasyprints_copies(deux_demandes, monkeypatch):
    documents = [documents_pdf(demande) for demande in deux_demandes]
    rendus = [{nom: rendre() for nom, rendre in docs.items()} for docs in documents]
    rendus = [{nom: rendre() for nom, rendre in docs.items()} for docs in documents]
    monkeypatch.setattr(
        weasyprint.formatting_structure.build, "wrap_table", pdf._envelopper_weasyprint
    )
    for docs, attendus in zip(reversed(documents), reversed(rendus), strict=True):
        assert {nom: rendre() for nom, rendre in docs.items()} == attendus
