"""The identifiant the portal assigns to each account (its username).

Short enough to type, not guessable, never the database id: 10 characters from
Crockford's base-32 alphabet (no I, L, O, U), shown grouped as XXXXX-XXXXX.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def nouvel_identifiant() -> str:
    code = "".join(secrets.choice(ALPHABET) for _ in range(10))
    return f"{code[:5]}-{code[5:]}"


_SEPARATEURS = str.maketrans("", "", " -._")
# Crockford's decoding: letters easily read as digits are read as those digits.
_LECTURE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def normaliser_identifiant(saisie: str) -> str | None:
    """The identifiant someone typed (any case, spaces or dashes), or None if it is not one."""
    code = saisie.translate(_SEPARATEURS).upper().translate(_LECTURE)
    if len(code) != 10 or any(c not in ALPHABET for c in code):
        return None
    return f"{code[:5]}-{code[5:]}"
