"""The simulator's signing key: an ES256 (P-256) key made on first use and kept on disk.

The key lives at ``settings.FRANCECONNECT_SIMULATEUR_CLE`` (under var/, never committed), so
ID tokens stay verifiable across restarts. Its public half is published as a JWKS whose
``kid`` is the RFC 7638 thumbprint.
"""

import base64
import hashlib
import json
import os
import threading
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from jwt.algorithms import ECAlgorithm

ALGORITHME = "ES256"

_verrou = threading.Lock()
_cles: dict[str, ec.EllipticCurvePrivateKey] = {}


def _charger_ou_creer(chemin: Path) -> ec.EllipticCurvePrivateKey:
    if not chemin.exists():
        chemin.parent.mkdir(parents=True, exist_ok=True)
        cle = ec.generate_private_key(ec.SECP256R1())
        pem = cle.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        provisoire = chemin.with_name(f".{chemin.name}.{os.getpid()}.{threading.get_ident()}")
        descripteur = os.open(provisoire, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descripteur, "wb") as fichier:
            fichier.write(pem)
        try:
            # link() refuses to replace: when two processes race, the first key wins.
            os.link(provisoire, chemin)
        except FileExistsError:
            pass
        finally:
            provisoire.unlink()
    cle = serialization.load_pem_private_key(chemin.read_bytes(), password=None)
    if not isinstance(cle, ec.EllipticCurvePrivateKey):
        raise ValueError(f"{chemin} is not an EC private key")
    return cle


def cle_privee() -> ec.EllipticCurvePrivateKey:
    chemin = Path(settings.FRANCECONNECT_SIMULATEUR_CLE)
    with _verrou:
        if str(chemin) not in _cles:
            _cles[str(chemin)] = _charger_ou_creer(chemin)
        return _cles[str(chemin)]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwk_publique() -> dict:
    jwk = ECAlgorithm.to_jwk(cle_privee().public_key(), as_dict=True)
    empreinte = json.dumps(
        {k: jwk[k] for k in ("crv", "kty", "x", "y")}, separators=(",", ":"), sort_keys=True
    )
    return {
        **jwk,
        "kid": _b64(hashlib.sha256(empreinte.encode()).digest()),
        "use": "sig",
        "alg": ALGORITHME,
    }


def jwks() -> dict:
    return {"keys": [jwk_publique()]}


def signer(claims: dict) -> str:
    """A compact JWS of these claims, signed with the simulator's key."""
    return jwt.encode(
        claims,
        cle_privee(),
        algorithm=ALGORITHME,
        headers={"kid": jwk_publique()["kid"], "typ": "JWT"},
    )
