"""Verification codes of the documents the portal produces, and what a check of one says.

Every PDF the portal issues (récépissé de dépôt, attestation d'inscription, relevé
d'information restreint) carries a short code, printed and drawn as a QR code, that anyone
(an exam inspector, an employer) types or scans on the public page « Vérifier un document ».

A code is 16 characters of Crockford's base32 (no I, L, O, U: nothing to misread), shown in
groups of four: one character names the signing key, eight carry the document's reference
and version, seven are an HMAC-SHA256 tag over them. Without the key nobody can make a code
that verifies, and changing one character of a genuine code breaks its tag. Keys rotate: the
first key of `PERMIS_CLES_VERIFICATION` signs new documents, every key listed still verifies
the documents it signed; drop a key to revoke everything it signed.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from permis.crockford import ALPHABET, VALEUR, en_base32, saisi

LONGUEUR = 16
_TAG = 7  # characters: 35 bits, and the page is rate-limited
_MAX_REFERENCE = 2**32
_MAX_VERSION = 2**8


def nouvelle_reference() -> int:
    """A random reference for a new document: it says nothing about how many exist."""
    return secrets.randbelow(_MAX_REFERENCE - 1) + 1


def _cles() -> dict[str, bytes]:
    cles = {}
    for identifiant, secret in settings.PERMIS_CLES_VERIFICATION:
        if len(identifiant) != 1 or identifiant not in ALPHABET:
            raise ValueError(f"identifiant de clé de vérification invalide : {identifiant!r}")
        cles[identifiant] = secret.encode()
    if not cles:
        raise ValueError("PERMIS_CLES_VERIFICATION est vide")
    return cles


def _tag(cle: bytes, corps: str) -> str:
    empreinte = hmac.new(cle, f"permis-verification|{corps}".encode(), hashlib.sha256).digest()
    valeur = int.from_bytes(empreinte[:8], "big") >> (64 - 5 * _TAG)
    return _base32(valeur, _TAG)


def _base32(valeur: int, longueur: int) -> str:
    caracteres = []
    for _ in range(longueur):
        valeur, reste = divmod(valeur, 32)
        caracteres.append(ALPHABET[reste])
    return "".join(reversed(caracteres))


def code_de(reference: int, version: int) -> str:
    """The code of a document version, signed with the current key (16 characters)."""
    if not 0 < reference < _MAX_REFERENCE or not 0 < version < _MAX_VERSION:
        raise ValueError("référence ou version hors limites")
    identifiant = next(iter(_cles()))
    corps = identifiant + _base32(reference << 8 | version, 8)
    return corps + _tag(_cles()[identifiant], corps)


def lisible(code: str) -> str:
    """« XXXX-XXXX-XXXX-XXXX », as printed on the documents."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


# What was typed, as a code: read as Crockford reads it.
normaliser = saisi


@dataclass(frozen=True)
class CodeLu:
    reference: int
    version: int


def lire(saisie: str) -> CodeLu | None:
    """The reference and version a code stands for, or None when it is not genuine."""
    code = normaliser(saisie)
    if len(code) != LONGUEUR or not en_base32(code):
        return None
    cle = _cles().get(code[0])
    if cle is None:  # unknown or revoked key
        return None
    corps = code[: LONGUEUR - _TAG]
    if not hmac.compare_digest(_tag(cle, corps), code[LONGUEUR - _TAG :]):
        return None
    valeur = 0
    for c in corps[1:]:
        valeur = valeur * 32 + VALEUR[c]
    return CodeLu(reference=valeur >> 8, version=valeur & 0xFF)


def titulaire(prenoms: str, nom: str, nom_usage: str = "") -> str:
    """The holder's name as the documents print it."""
    usage = f" (nom d'usage {nom_usage.upper()})" if nom_usage and nom_usage != nom else ""
    return f"{prenoms} {nom.upper()}{usage}".strip()


@dataclass(frozen=True)
class Verification:
    """What the public page says of a genuine code: only what the document itself shows."""

    nature: str
    numero_demande: str
    titulaire: str
    emis_le: datetime
    valide: bool
    explication: str
