"""The identifiant the portal assigns to each account (its username).

Short enough to type, not guessable, never the database id: 10 characters from
Crockford's base-32 alphabet (no I, L, O, U), shown grouped as XXXXX-XXXXX.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def nouvel_identifiant() -> str:
    code = "".join(secrets.choice(ALPHABET) for _ in range(10))
    return f"{code[:5]}-{code[5:]}"
