"""Crockford's base 32, shared by request numbers, account identifiants and verification codes."""

from permis.crockford import ALPHABET, en_base32, saisi


def test_what_is_typed_is_read_as_meant():
    assert saisi(" p09r-q8qa.vqj6\t") == "P09RQ8QAVQJ6"
    assert saisi("o1l-I_0") == "01110"


def test_the_alphabet_leaves_out_what_is_misread():
    assert len(ALPHABET) == 32 and not set("ILOU") & set(ALPHABET)
    assert en_base32("0123ABCZ") and not en_base32("ABCU") and not en_base32("AB-C")
