"""WeasyPrint's is_in_normal_flow, resolve_percentages and resolve_radii_percentages in fewer calls
(demandes.pdf_mise_en_page): run beside WeasyPrint's own for every box of the documents and
of a page that uses what the documents do not (percentages, calc(), border-box, floats,
absolute and running elements, collapsed borders, auto heights), the same results; the same
PDFs byte for byte."""

import copy

import pytest
import weasyprint.layout.background
import weasyprint.layout.percent
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder

from demandes import pdf, pdf_mise_en_page
from tests.demandes.assistant import documents_pdf

PAGE = """<html lang="fr"><head><style>
  @page { size: 300px 400px; margin: 5% 10px calc(2% + 3px) 1em;
          @top-center { content: element(titre) } }
  .titre { position: running(titre) }
  body { padding: 2% 3%; }
  .a { width: 50%; min-width: calc(10% + 4px); max-width: 90%; margin: 1% auto 2em 3px;
       box-sizing: border-box; border: 2px solid; padding: 5% 1px; height: 20%;
       min-height: 10px; max-height: 80% }
  .f { float: left; width: 30% } .g { float: right; padding-left: 2% }
  .p { position: absolute; top: 10%; left: calc(5% + 1px); width: 40%; height: 10% }
  .r { position: relative; top: 1em }
  table { border-collapse: collapse; width: 80% } td { border: 1px solid; padding: 1% }
  .pb { box-sizing: padding-box; padding: 3px; width: 20px; height: 10px }
  .c { border-radius: 10% 4px 0 calc(1em + 2%) / 5px 20% 3px 0; border: 1px solid;
       box-decoration-break: slice }
</style></head><body>
  <div class="titre">En-tête courant</div>
  <div class="a">Un bloc aux pourcentages</div>
  <div class="f">Flottant</div><div class="g">Flottant à droite</div>
  <p>Un paragraphe entre les flottants, <span class="r">relatif</span>, assez long pour
  revenir à la ligne une fois ou deux.</p>
  <div class="p">Absolu</div>
  <table><tbody><tr><td>Une</td><td>table</td></tr></tbody></table>
  <div class="pb">Boîte</div><div class="c">Coins arrondis</div><ul><li>Une liste</li></ul>
</body></html>"""


@pytest.fixture
def beside_weasyprint(monkeypatch):
    """Each call of the two functions checked against WeasyPrint's on a copy of the box."""
    appels = {"flux": 0, "pourcentages": 0, "rayons": 0}
    dans_le_flux, resoudre = pdf_mise_en_page.dans_le_flux, pdf_mise_en_page.resoudre_pourcentages
    rayons = pdf_mise_en_page.rayons

    def flux(self):
        appels["flux"] += 1
        attendu = pdf_mise_en_page._dans_le_flux_weasyprint(self)
        assert dans_le_flux(self) is attendu
        return attendu

    def pourcentages(box, containing_block):
        appels["pourcentages"] += 1
        temoin = copy.copy(box)
        pdf_mise_en_page._resoudre_weasyprint(temoin, containing_block)
        resoudre(box, containing_block)
        assert vars(box) == vars(temoin)

    def coins(box):
        appels["rayons"] += 1
        vraie = box._box if isinstance(box, AbsolutePlaceholder) else box  # a proxy
        temoin = copy.copy(vraie)
        pdf_mise_en_page._rayons_weasyprint(temoin)
        rayons(box)
        assert vars(vraie) == vars(temoin)

    monkeypatch.setattr(boxes.Box, "is_in_normal_flow", flux)
    monkeypatch.setattr(weasyprint.layout.background, "resolve_radii_percentages", coins)
    for module in _modules():
        monkeypatch.setattr(module, "resolve_percentages", pourcentages)
    return appels


def _modules():
    import sys

    return [
        module
        for nom, module in list(sys.modules.items())
        if nom.startswith("weasyprint.layout")
        and getattr(module, "resolve_percentages", None) is pdf_mise_en_page.resoudre_pourcentages
    ]


def _page(polices=None):
    moteur = pdf._moteur()
    page = pdf._HTML(moteur.navigateur, PAGE, "", pdf._Images({}))
    return page.write_pdf(font_config=polices or pdf.FontConfiguration())


@pytest.mark.django_db
def test_every_box_gets_what_weasyprints_own_functions_give(deux_demandes, beside_weasyprint):
    for demande in deux_demandes:
        for rendre in documents_pdf(demande).values():
            rendre()
    _page()
    assert beside_weasyprint["flux"] > 1000 and beside_weasyprint["pourcentages"] > 500
    assert beside_weasyprint["rayons"] > 500


def test_every_float_and_position_is_in_the_flow_as_weasyprint_says():
    box = boxes.BlockBox.__new__(boxes.BlockBox)
    vus = set()
    for flottant in ("none", "left", "right", "inline-start", "inline-end", "footnote"):
        for position in (
            "static",
            "relative",
            "absolute",
            "fixed",
            "sticky",
            ("running()", "titre"),
            ("note()", "note"),
        ):
            box.style = {"float": flottant, "position": position}
            attendu = pdf_mise_en_page._dans_le_flux_weasyprint(box)
            assert pdf_mise_en_page.dans_le_flux(box) is attendu, box.style
            vus.add(attendu)
    assert vus == {True, False}


def test_every_module_that_resolves_percentages_uses_the_new_function():
    assert weasyprint.layout.percent.resolve_percentages is pdf_mise_en_page.resoudre_pourcentages
    assert len(_modules()) == 9
    assert boxes.Box.is_in_normal_flow is pdf_mise_en_page.dans_le_flux
    assert weasyprint.layout.background.resolve_radii_percentages is pdf_mise_en_page.rayons


@pytest.mark.django_db
def test_the_pdfs_are_weasyprints_byte_for_byte(deux_demandes, monkeypatch):
    documents = [documents_pdf(demande) for demande in deux_demandes]
    rendus = [{nom: rendre() for nom, rendre in docs.items()} for docs in documents]
    page = _page()
    monkeypatch.setattr(boxes.Box, "is_in_normal_flow", pdf_mise_en_page._dans_le_flux_weasyprint)
    monkeypatch.setattr(
        weasyprint.layout.background,
        "resolve_radii_percentages",
        pdf_mise_en_page._rayons_weasyprint,
    )
    for module in _modules():
        monkeypatch.setattr(module, "resolve_percentages", pdf_mise_en_page._resoudre_weasyprint)
    assert _modules() == []
    for docs, attendus in zip(documents, rendus, strict=True):
        assert {nom: rendre() for nom, rendre in docs.items()} == attendus
    assert _page() == page
