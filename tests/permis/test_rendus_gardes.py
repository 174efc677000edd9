"""The per-process store of rendered HTML: bounded, and never hiding a change of settings or
of a template file."""

from pathlib import Path

from django.test import override_settings
from django.utils.autoreload import file_changed

from permis.rendus_gardes import RendusGardes


def test_a_key_is_rendered_once_and_the_store_stays_bounded():
    rendus, appels = RendusGardes(taille=3), []

    def rendre(n):
        appels.append(n)
        return f"<p>{n}</p>"

    assert rendus.obtenir(1, lambda: rendre(1)) == "<p>1</p>"
    assert rendus.obtenir(1, lambda: rendre(1)) == "<p>1</p>"
    assert appels == [1]
    for n in range(2, 10):
        rendus.obtenir(n, lambda n=n: rendre(n))
    assert len(rendus) <= 3


def test_an_unhashable_key_renders_every_time():
    rendus, appels = RendusGardes(taille=3), []
    for _ in range(2):
        assert rendus.obtenir(({"a": 1},), lambda: appels.append(1) or "x") == "x"
    assert appels == [1, 1] and len(rendus) == 0


def test_a_setting_change_and_a_template_edit_forget_every_store():
    rendus = RendusGardes(taille=3)
    rendus.obtenir("a", lambda: "avant")
    with override_settings(PERMIS_ESSAI_RENDUS="x"):
        assert rendus.obtenir("a", lambda: "pendant") == "pendant"
    rendus.obtenir("b", lambda: "avant")
    file_changed.send(sender=None, file_path=Path("demandes/views.py"))
    assert rendus.obtenir("b", lambda: "après") == "avant"  # not a template: kept
    file_changed.send(sender=None, file_path=Path("templates/base.html"))
    assert rendus.obtenir("b", lambda: "après") == "après"
