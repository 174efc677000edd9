"""Malware scan of uploaded files by ClamAV's daemon (clamd), over its socket with INSTREAM.

PERMIS_CLAMAV_URL names the daemon: `unix:///run/clamav/clamd.ctl` (Debian's
clamav-daemon) or `tcp://clamav:3310` (the compose service); empty, nothing is scanned (the
embedded development default). The protocol (clamd(8)): send `zINSTREAM\\0`, then the file in
chunks each prefixed by its length as 4 big-endian bytes, then a zero length; clamd answers
`stream: OK`, `stream: <signature> FOUND` or `... ERROR`.
"""

import logging
import socket
import struct
from urllib.parse import urlparse

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

_MORCEAU = 64 * 1024


class FichierInfecte(Exception):
    def __init__(self, signature: str):
        super().__init__(signature)
        self.signature = signature


class AntivirusIndisponible(Exception):
    """clamd could not give a verdict (down, too slow, or an error of its own)."""


def actif() -> bool:
    return bool(settings.PERMIS_CLAMAV_URL)


@checks.register(checks.Tags.security, deploy=True)
def verifier_configuration(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """`check --deploy` warns when uploads would be stored unscanned."""
    if actif():
        return []
    return [
        checks.Warning(
            "PERMIS_CLAMAV_URL is not set: uploaded files are stored without a malware scan.",
            hint="Point it at clamd: tcp://clamav:3310 (docker-compose.yml) or "
            "unix:///run/clamav/clamd.ctl (Debian's clamav-daemon).",
            id="demandes.W001",
        )
    ]


def analyser(contenu: bytes) -> None:
    """Return when clamd finds the content clean; raise FichierInfecte or AntivirusIndisponible."""
    try:
        with _connexion() as connexion:
            connexion.sendall(b"zINSTREAM\0")
            for debut in range(0, len(contenu), _MORCEAU):
                morceau = contenu[debut : debut + _MORCEAU]
                connexion.sendall(struct.pack(">I", len(morceau)) + morceau)
            connexion.sendall(struct.pack(">I", 0))
            reponse = _lire_reponse(connexion)
    except OSError as exc:  # refused, reset, timed out
        raise AntivirusIndisponible(f"clamd injoignable : {exc}") from exc
    verdict = reponse.removeprefix("stream:").strip()
    if verdict == "OK":
        return
    if verdict.endswith(" FOUND"):
        signature = verdict.removesuffix(" FOUND").strip()
        logger.warning("Fichier infecté refusé (%s, %d octets)", signature, len(contenu))
        raise FichierInfecte(signature)
    # "INSTREAM size limit exceeded. ERROR" and the like: no verdict.
    raise AntivirusIndisponible(f"réponse de clamd : {reponse!r}")


def ping() -> bool:
    """True when clamd answers PING (used to wait for it, and by health checks)."""
    try:
        with _connexion() as connexion:
            connexion.sendall(b"zPING\0")
            return _lire_reponse(connexion) == "PONG"
    except OSError:
        return False


def _connexion() -> socket.socket:
    adresse = urlparse(settings.PERMIS_CLAMAV_URL)
    delai = settings.PERMIS_CLAMAV_TIMEOUT
    if adresse.scheme == "unix":
        connexion = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connexion.settimeout(delai)
        try:
            connexion.connect(adresse.path)
        except OSError:
            connexion.close()
            raise
        return connexion
    if adresse.scheme == "tcp" and adresse.hostname and adresse.port:
        return socket.create_connection((adresse.hostname, adresse.port), timeout=delai)
    raise ImproperlyConfigured(
        "PERMIS_CLAMAV_URL doit être unix:///chemin/du/socket ou tcp://hôte:port, "
        f"pas {settings.PERMIS_CLAMAV_URL!r}"
    )


def _lire_reponse(connexion: socket.socket) -> str:
    """clamd's answer, up to the NUL that ends it in the z-prefixed protocol."""
    recu = b""
    while not recu.endswith(b"\0"):
        morceau = connexion.recv(4096)
        if not morceau:
            break
        recu += morceau
        if len(recu) > 64 * 1024:
            raise OSError("réponse de clamd trop longue")
    return recu.rstrip(b"\0").decode("utf-8", "replace").strip()
