"""A text line is drawn by WeasyPrint once per thread, then written again as it was
(demandes.pdf._dessiner_texte): the PDFs are the very ones WeasyPrint's own drawing gives,
byte for byte, whatever was drawn before them."""

import pytest
import weasyprint.draw

from demandes import pdf
from tests.demandes.assistant import documents_pdf


@pytest.fixture
def appels_a_weasyprint(monkeypatch):
    """The lines WeasyPrint's own draw_text draws, counted."""
    appels = []
    dessiner = pdf._dessiner_texte_weasyprint

    def compter(stream, textbox, *args):
        appels.append(textbox.text)
        return dessiner(stream, textbox, *args)

    monkeypatch.setattr(pdf, "_dessiner_texte_weasyprint", compter)
    return appels


@pytest.mark.django_db
def test_replayed_lines_give_the_pdf_weasyprints_drawing_gives(deux_demandes, monkeypatch):
    textes = pdf._moteur().polices.textes_dessines
    textes.clear()
    premiere, seconde = (documents_pdf(demande) for demande in deux_demandes)
    # Drawn by the cache: the second request's lines first, then the first's, partly kept.
    rendus = {nom: rendre() for nom, rendre in seconde.items()}
    rendus |= {f"{nom} (2)": rendre() for nom, rendre in premiere.items()}
    assert textes
    monkeypatch.setattr(weasyprint.draw, "draw_text", pdf._dessiner_texte_weasyprint)
    assert {nom: rendre() for nom, rendre in seconde.items()} == {
        nom: rendus[nom] for nom in seconde
    }
    for nom, rendre in premiere.items():
        assert rendre() == rendus[f"{nom} (2)"], nom


@pytest.mark.django_db
def test_a_document_rendered_again_draws_no_line_through_weasyprint(
    deux_demandes, appels_a_weasyprint
):
    pdf._moteur().polices.textes_dessines.clear()
    documents = documents_pdf(deux_demandes[0])
    premiers = {nom: rendre() for nom, rendre in documents.items()}
    assert "Liberté, Égalité, Fraternité" in appels_a_weasyprint
    appels_a_weasyprint.clear()
    assert {nom: rendre() for nom, rendre in documents.items()} == premiers
    assert appels_a_weasyprint == []
    # Another request: only its own lines are drawn, the letterhead and labels are kept.
    for rendre in documents_pdf(deux_demandes[1]).values():
        rendre()
    assert appels_a_weasyprint
    assert "Liberté, Égalité, Fraternité" not in appels_a_weasyprint
    assert "Nom de naissance" not in appels_a_weasyprint


def test_decorated_lines_and_other_font_configurations_are_drawn_by_weasyprint(
    appels_a_weasyprint,
):
    moteur = pdf._moteur()
    moteur.polices.textes_dessines.clear()
    html = (
        '<html lang="fr"><body><p><span style="text-decoration: underline">Souligné</span> et <span style="text-decoration:'
        ' line-through">barré</span>, puis du texte.</p></body></html>'
    )

    def rendre(polices):
        page = pdf._HTML(moteur.navigateur, html, "", pdf._Images({}))
        return page.write_pdf(font_config=polices)

    attendu = rendre(pdf.FontConfiguration())  # WeasyPrint's own, no cache: every line
    assert sorted(appels_a_weasyprint) == [" et ", ", puis du texte.", "Souligné", "barré"]
    appels_a_weasyprint.clear()
    assert rendre(moteur.polices) == attendu
    assert rendre(moteur.polices) == attendu
    # The plain lines are drawn once and kept, the decorated ones drawn at each render.
    assert sorted(appels_a_weasyprint) == [
        " et ",
        ", puis du texte.",
        "Souligné",
        "Souligné",
        "barré",
        "barré",
    ]


def test_the_kept_lines_are_bounded(monkeypatch, appels_a_weasyprint):
    moteur = pdf._moteur()
    moteur.polices.textes_dessines.clear()
    monkeypatch.setattr(pdf, "_TEXTES_DESSINES_MAX", 3)
    html = "".join(f"<p>Ligne {i}</p>" for i in range(5))
    page = pdf._HTML(
        moteur.navigateur, f'<html lang="fr"><body>{html}</body></html>', "", pdf._Images({})
    )
    page.write_pdf(font_config=moteur.polices)
    assert len(appels_a_weasyprint) == 5
    assert 0 < len(moteur.polices.textes_dessines) <= 3


@pytest.mark.django_db
def test_a_line_drawn_for_the_first_time_reads_the_streams_rectangles_once(
    deux_demandes, monkeypatch, appels_a_weasyprint
):
    """draw_first_line reads ink_rect and logical_rect for every run of glyphs: the recorder
    holds them, its __getattr__ (which marks a drawing it cannot replay) is never reached."""
    pdf._moteur().polices.textes_dessines.clear()
    detournes = []
    lire = pdf._Enregistreur.__getattr__

    def espion(self, nom):
        detournes.append(nom)
        return lire(self, nom)

    monkeypatch.setattr(pdf._Enregistreur, "__getattr__", espion)
    for rendre in documents_pdf(deux_demandes[0]).values():
        rendre()
    assert appels_a_weasyprint and detournes == []
