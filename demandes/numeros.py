"""Request numbers: human-friendly, non-sequential, checkable.

12 characters of Crockford's base-32 (no I, L, O, U) in three groups, the last one
a Luhn mod-32 check character, so a mistyped character or swapped neighbours are
caught on the public tracking page before any lookup.
"""

import secrets

from permis.crockford import ALPHABET, VALEUR, en_base32, saisi

N = len(ALPHABET)


def _cle(corps: str) -> str:
    """Luhn mod N check character of `corps`."""
    facteur, total = 2, 0
    for char in reversed(corps):
        addend = facteur * VALEUR[char]
        total += addend // N + addend % N
        facteur = 1 if facteur == 2 else 2
    return ALPHABET[(N - total % N) % N]


def nouveau_numero() -> str:
    corps = "".join(secrets.choice(ALPHABET) for _ in range(11))
    code = corps + _cle(corps)
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def normaliser(numero: str) -> str | None:
    """The canonical form of a typed number, or None when it cannot be one."""
    brut = saisi(numero)
    if len(brut) != 12 or not en_base32(brut):
        return None
    if _cle(brut[:11]) != brut[11]:
        return None
    return f"{brut[:4]}-{brut[4:8]}-{brut[8:]}"
