"""INSEE's COG country codes (FranceConnect's birth country, demandes/pays.py) each map to an
ISO 3166-1 code the forms offer, shown with its French name (django-countries)."""

import re

import pytest
from django.utils import translation
from django_countries import countries

from demandes import pays
from demandes.forms import EtatCivilForm
from demandes.wizard import lieu_de_naissance

ISO, COG = pays._COG[::2], pays._COG[1::2]


def test_the_table_pairs_each_cog_code_with_one_iso_code():
    assert all(re.fullmatch(r"[A-Z]{2}", code) for code in ISO)
    assert all(re.fullmatch(r"99\d{3}", code) for code in COG)
    assert len(set(COG)) == len(COG), "a COG code given twice: the last one silently wins"
    assert len(set(ISO)) == len(ISO)
    assert pays.ISO_DU_COG[pays.COG_FRANCE] == "FR"


@pytest.mark.parametrize("cog, iso", sorted(pays.ISO_DU_COG.items()))
def test_every_cog_country_is_offered_by_the_forms_with_its_french_name(cog, iso):
    with translation.override("fr"):
        assert iso in countries  # ISO 3166-1, plus XK (Kosovo, settings.COUNTRIES_OVERRIDE)
        nom = pays.nom_pays(iso)
        assert nom and nom != iso
        for champ in ("pays_naissance", "nationalite"):
            assert dict(EtatCivilForm.base_fields[champ].choices)[iso] == nom
    assert lieu_de_naissance("", cog)["pays_naissance"] == iso


@pytest.mark.parametrize(
    "cog, nom",
    [
        ("99109", "Allemagne"),
        ("99132", "Royaume-Uni"),
        ("99404", "États-Unis d'Amérique"),
        ("99157", "Kosovo"),
        ("99350", "Maroc"),
    ],
)
def test_names_are_the_french_ones(cog, nom):
    with translation.override("fr"):
        assert pays.nom_pays(pays.pays_du_cog(cog)) == nom


def test_a_cog_code_the_table_does_not_know_is_left_to_the_candidate():
    assert pays.pays_du_cog("99115") == ""  # Tchécoslovaquie, a former state
    assert "pays_naissance" not in lieu_de_naissance("", "99115")
