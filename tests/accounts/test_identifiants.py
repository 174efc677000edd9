"""How a typed identifiant is read."""

import pytest

from accounts.identifiants import ALPHABET, normaliser_identifiant, nouvel_identifiant


def test_a_new_identifiant_is_ten_crockford_characters_in_two_groups():
    identifiant = nouvel_identifiant()

    assert len(identifiant) == 11 and identifiant[5] == "-"
    assert all(c in ALPHABET for c in identifiant.replace("-", ""))


@pytest.mark.parametrize(
    "saisie", ["7K2MX-Q9RTB", "7k2mx-q9rtb", "7K2MXQ9RTB", " 7K2MX Q9RTB ", "7k2mx.q9rtb"]
)
def test_case_spaces_and_separators_do_not_matter(saisie):
    assert normaliser_identifiant(saisie) == "7K2MX-Q9RTB"


def test_letters_read_as_digits_are_those_digits():
    assert normaliser_identifiant("OI2MX-L9RTB") == "012MX-19RTB"


@pytest.mark.parametrize("saisie", ["admin", "7K2MX-Q9RT", "7K2MX-Q9RTBB", "7K2MX-Q9RT!", "a@b.fr"])
def test_what_is_not_an_identifiant_is_left_alone(saisie):
    assert normaliser_identifiant(saisie) is None
