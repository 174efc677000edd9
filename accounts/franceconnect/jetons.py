"""Checking the JWTs FranceConnect v2 signs: the ID token and the userinfo answer.

The signature is always checked, whatever the transport: the key is picked by `kid` in the
JWKS the provider publishes, and only the asymmetric algorithms FranceConnect v2 uses are
accepted (ES256, RS256), never the one a token names on its own.
"""

import jwt
from allauth.socialaccount.adapter import get_adapter

ALGORITHMES = ("ES256", "RS256")
TOLERANCE_HORLOGE = 30  # seconds


class JetonInvalide(Exception):
    pass


def jwks(url: str) -> dict:
    with get_adapter().get_requests_session() as session:
        reponse = session.get(url)
        reponse.raise_for_status()
        return reponse.json()


def verifier(
    jeton: str, *, jwks_uri: str, emetteur: str, audience: str, exigees: list[str]
) -> dict:
    """The claims of a JWT signed by the provider for this client; JetonInvalide otherwise."""
    try:
        entete = jwt.get_unverified_header(jeton)
    except jwt.PyJWTError as exc:
        raise JetonInvalide(f"not a JWT: {exc}") from exc
    algorithme = entete.get("alg")
    if algorithme not in ALGORITHMES:
        raise JetonInvalide(f"algorithm {algorithme!r} refused")
    cle = next(
        (k for k in jwks(jwks_uri).get("keys", []) if k.get("kid") == entete.get("kid")), None
    )
    if cle is None:
        raise JetonInvalide(f"no published key has kid {entete.get('kid')!r}")
    if cle.get("alg", algorithme) != algorithme:
        raise JetonInvalide("the token's algorithm is not its key's")
    try:
        publique = jwt.PyJWK.from_dict(cle, algorithm=algorithme).key
        return jwt.decode(
            jeton,
            publique,
            algorithms=[algorithme],
            issuer=emetteur,
            audience=audience,
            leeway=TOLERANCE_HORLOGE,
            options={"require": exigees},
        )
    except (jwt.PyJWTError, ValueError) as exc:
        raise JetonInvalide(str(exc)) from exc
