import pytest
from django.core.exceptions import ValidationError

from auto_ecoles.validators import valider_agrement, valider_siret


@pytest.mark.parametrize("siret", ["73282932000074", "443 061 841 00047"])
def test_valid_siret_is_accepted(siret):
    valider_siret(siret)


@pytest.mark.parametrize(
    ("siret", "code"),
    [
        ("73282932000075", "cle"),  # last digit changed
        ("73282932100074", "cle"),  # SIREN key broken
        ("7328293200007", "format"),
        ("7328293200007A", "format"),
        ("", "format"),
    ],
)
def test_invalid_siret_is_refused_with_its_reason(siret, code):
    with pytest.raises(ValidationError) as exc:
        valider_siret(siret)
    assert exc.value.code == code


@pytest.mark.parametrize(
    "siret",
    [
        "35600000000048",  # La Poste's head office
        "356 000 000 00048",
        "35600000049837",  # another establishment of that SIREN: digit-sum rule, not Luhn
    ],
)
def test_la_poste_establishments_are_accepted(siret):
    valider_siret(siret)


def test_a_la_poste_siret_with_a_wrong_key_is_refused():
    with pytest.raises(ValidationError) as exc:
        valider_siret("35600000049838")
    assert exc.value.code == "cle"


@pytest.mark.parametrize(
    "numero", ["E24069 0012 0", "E 24 069 0012 0", "e2402A00121", "E9907500010"]
)
def test_valid_agrement_is_accepted(numero):
    valider_agrement(numero)


@pytest.mark.parametrize(
    "numero", ["", "24069 0012 0", "E24069001", "E2406900120X", "X24069 0012 0"]
)
def test_invalid_agrement_is_refused(numero):
    with pytest.raises(ValidationError):
        valider_agrement(numero)
