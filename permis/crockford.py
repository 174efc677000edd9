"""Crockford's base 32, in which the portal writes what people read and type: request
numbers, account identifiants, document verification codes. No I, L, O or U: nothing to
misread, and what is misread anyway is read back as meant."""

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
VALEUR = {c: i for i, c in enumerate(ALPHABET)}
_SEPARATEURS = str.maketrans("", "", "-._")
# Crockford's decoding: letters easily read as digits are read as those digits.
_LECTURES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def saisi(texte: str) -> str:
    """The characters someone typed: any case, spaces, dashes, dots and underscores ignored,
    O read as 0, I and L as 1."""
    return "".join(texte.upper().split()).translate(_SEPARATEURS).translate(_LECTURES)


def en_base32(texte: str) -> bool:
    return all(c in VALEUR for c in texte)
