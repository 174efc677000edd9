"""Small tools of the production tests: loopback ports, processes started and stopped."""

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter


def ports_libres(nombre: int) -> list[int]:
    """Free loopback ports: in PERMIS_TEST_PORTS ("18900-18999") when set, else the kernel's."""
    plage = os.environ.get("PERMIS_TEST_PORTS")
    if plage:
        premier, dernier = (int(borne) for borne in plage.split("-"))
        candidats = range(premier, dernier + 1)
    else:
        candidats = [0] * nombre
    trouves: list[int] = []
    for port in candidats:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            trouves.append(s.getsockname()[1])
        if len(trouves) == nombre:
            return trouves
    raise RuntimeError(f"not {nombre} free ports in {plage}")


def attendre_port(port: int, secondes: float = 60, processus=None) -> None:
    fin = time.monotonic() + secondes
    while time.monotonic() < fin:
        if processus is not None:
            processus.verifier_vivant()
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


def attendre(condition, secondes: float = 60, pas: float = 0.3):
    """Poll until `condition()` is truthy (a bound, not a speed assertion); return its value."""
    fin = time.monotonic() + secondes
    while True:
        if valeur := condition():
            return valeur
        if time.monotonic() > fin:
            raise TimeoutError(f"{condition} still false after {secondes} s")
        time.sleep(pas)


class Processus:
    """A server process of the test, in its own process group, its output in a log file."""

    def __init__(self, nom: str, commande: list[str], journaux: Path, **kwargs):
        self.nom = nom
        self.journal = journaux / f"{nom}.log"
        self._sortie = self.journal.open("wb")
        self.popen = subprocess.Popen(  # noqa: S603 - commands of this test
            commande,
            stdout=self._sortie,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            **kwargs,
        )

    def texte(self) -> str:
        return self.journal.read_text(errors="replace")

    def verifier_vivant(self) -> None:
        if self.popen.poll() is not None:
            raise RuntimeError(f"{self.nom} stopped:\n{self.texte()[-4000:]}")

    def arreter(self) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(10)
        self._sortie.close()


class _DepuisAdresse(HTTPAdapter):
    def __init__(self, adresse: str):
        self.adresse = adresse
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.adresse, 0)
        super().init_poolmanager(*args, **kwargs)


def visiteur(adresse: str, verify) -> requests.Session:
    """A browser of its own (cookies) whose connections come from `adresse` (127.0.0.x)."""
    session = requests.Session()
    session.trust_env = False  # no proxy, and REQUESTS_CA_BUNDLE would override `verify`
    session.verify = verify
    session.mount("https://", _DepuisAdresse(adresse))
    session.mount("http://", _DepuisAdresse(adresse))
    return session
