"""{% dsfr_js_garde %}: the DSFR's scripts kept per process, the same HTML as dsfr_js's."""

import pytest
from django.template import engines
from django.test import override_settings

from permis.templatetags import scripts_dsfr


@pytest.fixture(autouse=True)
def _magasin_vide():
    scripts_dsfr._RENDUS.oublier()


def _rendu(balise: str, nonce) -> str:
    gabarit = engines["django"].from_string(
        "{% load dsfr_tags scripts_dsfr %}" + balise.replace("N", "nonce=nonce")
    )
    return gabarit.render({"nonce": nonce})


@pytest.mark.parametrize("nonce", ["q1w2E3r4T5y6U7i8O9p0+A==", "a/b+c=", "<&\"'>", "", None])
def test_the_kept_scripts_are_dsfr_js_s_markup_with_each_nonce(nonce):
    attendu = _rendu("{% dsfr_js N %}", nonce)
    assert _rendu("{% dsfr_js_garde N %}", nonce) == attendu
    assert _rendu("{% dsfr_js_garde N %}", nonce) == attendu  # kept, then reused
    assert ("nonce=" in attendu) == bool(nonce)


def test_a_nonce_never_outlives_its_page():
    premier = _rendu("{% dsfr_js_garde N %}", "premier")
    second = _rendu("{% dsfr_js_garde N %}", "second")
    assert premier.count('nonce="premier"') == 2
    assert "premier" not in second and second.count('nonce="second"') == 2


def test_the_kept_scripts_follow_the_settings():
    avec = _rendu("{% dsfr_js_garde N %}", "x")
    with override_settings(DSFR_USE_INTEGRITY_CHECKSUMS=False):
        sans = _rendu("{% dsfr_js_garde N %}", "x")
        assert sans == _rendu("{% dsfr_js N %}", "x")
    assert "integrity=" in avec and "integrity=" not in sans
