"""The cyclic garbage collector is paused during a PDF render only (demandes.pdf), and
switched back on afterwards, also when the render fails or when renders overlap."""

import gc
import threading
from types import SimpleNamespace

import pytest

from demandes import pdf
from tests.factories import DemandeFactory


@pytest.fixture
def actif_pendant_le_rendu(monkeypatch):
    """Whether the collector was on at each write_pdf (`vus`), which first runs `pendant`."""
    espion, original = SimpleNamespace(vus=[], pendant=None), pdf._HTML.write_pdf

    def write_pdf(self, *args, **kwargs):
        espion.vus.append(gc.isenabled())
        if espion.pendant:
            espion.pendant()
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pdf._HTML, "write_pdf", write_pdf)
    return espion


@pytest.mark.django_db
def test_paused_during_the_render_and_back_on_after(actif_pendant_le_rendu):
    assert gc.isenabled()
    contenu = pdf.recepisse_depot(DemandeFactory(deposee=True))
    assert contenu.startswith(b"%PDF")
    assert actif_pendant_le_rendu.vus == [False]
    assert gc.isenabled()


@pytest.mark.django_db
def test_back_on_when_the_render_fails(actif_pendant_le_rendu):
    def echoue():
        raise RuntimeError("rendu interrompu")

    actif_pendant_le_rendu.pendant = echoue
    with pytest.raises(RuntimeError):
        pdf.recepisse_depot(DemandeFactory(deposee=True))
    assert actif_pendant_le_rendu.vus == [False]
    assert gc.isenabled()


@pytest.mark.django_db
def test_left_off_if_it_was_off_before(actif_pendant_le_rendu):
    gc.disable()
    try:
        pdf.recepisse_depot(DemandeFactory(deposee=True))
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.django_db
def test_overlapping_renders_keep_it_paused_until_the_last_ends(actif_pendant_le_rendu):
    demande = DemandeFactory(deposee=True)
    apres_le_second = []

    def second_rendu_pendant_le_premier():
        actif_pendant_le_rendu.pendant = None
        fil = threading.Thread(target=pdf.recepisse_depot, args=[demande])
        fil.start()
        fil.join()
        apres_le_second.append(gc.isenabled())  # the first render is still running

    actif_pendant_le_rendu.pendant = second_rendu_pendant_le_premier
    pdf.recepisse_depot(demande)
    assert actif_pendant_le_rendu.vus == [False, False]
    assert apres_le_second == [False]
    assert gc.isenabled()
