"""A real ClamAV daemon for the tests: Debian's clamav-daemon `clamd`, started on a Unix socket
with a local signature database that holds only the EICAR test signature (no signature
download). Any test can use it: `clamd` is its PERMIS_CLAMAV_URL (pass it to a server started
in a subprocess), `antivirus_actif` turns the scan on for the test's own settings."""

import ctypes
import os
import shutil
import signal
import subprocess
import time

import pytest

# The EICAR test file, the standard harmless string every antivirus detects. Kept in two
# halves so this source file is not itself reported by a scanner on a developer's machine.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SIGNATURE_EICAR = "Permis-Test-EICAR"


def _binaire() -> str:
    binaire = shutil.which("clamd") or "/usr/sbin/clamd"
    if not os.access(binaire, os.X_OK):
        pytest.fail("clamd est absent : apt-get install clamav-daemon (.ci/run l'installe).")
    return binaire


def _mourir_avec_le_parent() -> None:
    """clamd gets SIGTERM when the test process dies, even killed (no orphan left running)."""
    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


@pytest.fixture(scope="session")
def clamd(tmp_path_factory):
    """Start clamd and yield its URL (unix:///…/clamd.sock); stopped after the session."""
    from demandes import antivirus

    dossier = tmp_path_factory.mktemp("clamd")
    signatures = dossier / "signatures"
    signatures.mkdir()
    # An extended signature (.ndb): name, any file type, at any offset, the bytes in hex.
    (signatures / "permis-test.ndb").write_text(f"{SIGNATURE_EICAR}:0:*:{EICAR.hex()}\n")
    socket_ = dossier / "clamd.sock"
    configuration = dossier / "clamd.conf"
    configuration.write_text(
        "\n".join(
            [
                "Foreground yes",
                f"LocalSocket {socket_}",
                f"DatabaseDirectory {signatures}",
                f"TemporaryDirectory {dossier}",
                f"LogFile {dossier / 'clamd.log'}",
                "MaxThreads 2",
                "StreamMaxLength 25M",
                "Bytecode no",
                "",
            ]
        )
    )
    processus = subprocess.Popen(  # noqa: S603 - our own command line
        [_binaire(), "--config-file", str(configuration)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        preexec_fn=_mourir_avec_le_parent,  # sets a signal only: safe between fork and exec
    )
    url = f"unix://{socket_}"
    try:
        from django.test import override_settings

        with override_settings(PERMIS_CLAMAV_URL=url, PERMIS_CLAMAV_TIMEOUT=5):
            for _ in range(600):
                if processus.poll() is not None:
                    journal = (dossier / "clamd.log").read_text(errors="replace")
                    pytest.fail(f"clamd s'est arrêté au démarrage :\n{journal}")
                if socket_.exists() and antivirus.ping():
                    break
                time.sleep(0.1)
            else:
                pytest.fail("clamd ne répond pas après 60 s")
        yield url
    finally:
        processus.terminate()
        try:
            processus.wait(timeout=10)
        except subprocess.TimeoutExpired:
            processus.kill()
            processus.wait()


@pytest.fixture
def antivirus_actif(clamd, settings):
    """Uploads scanned by the test clamd in this test."""
    settings.PERMIS_CLAMAV_URL = clamd
    settings.PERMIS_CLAMAV_TIMEOUT = 10
    return clamd
