"""The identifiant the portal assigns to each account (its username).

Short enough to type, not guessable, never the database id: 10 characters from
Crockford's base-32 alphabet (no I, L, O, U), shown grouped as XXXXX-XXXXX.
"""

import secrets

from permis.crockford import ALPHABET, en_base32, saisi


def nouvel_identifiant() -> str:
    code = "".join(secrets.choice(ALPHABET) for _ in range(10))
    return f"{code[:5]}-{code[5:]}"


def normaliser_identifiant(saisie: str) -> str | None:
    """The identifiant someone typed (any case, spaces or dashes), or None if it is not one."""
    code = saisi(saisie)
    if len(code) != 10 or not en_base32(code):
        return None
    return f"{code[:5]}-{code[5:]}"
