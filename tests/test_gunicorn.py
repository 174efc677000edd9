"""gunicorn with the repository's gunicorn.conf.py, as the image runs it: the portal's headers
reach the client and the Server header names no software."""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_sends_no_server_software_name(tmp_path):
    port = _port_libre()
    environnement = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "PERMIS_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "WEB_CONCURRENCY": "1",
    }
    environnement.pop("REDIS_URL", None)
    serveur = subprocess.Popen(  # noqa: S603 - our own command line
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=environnement,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(300):
            assert serveur.poll() is None, serveur.stderr.read().decode()
            try:
                connexion = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connexion.request("GET", "/csp/rapport/")
                reponse = connexion.getresponse()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn does not answer")
        assert reponse.status == 405  # the report view takes POST only
        assert "gunicorn" not in (reponse.getheader("Server") or "").lower()
        assert "default-src 'none'" in reponse.getheader("Content-Security-Policy")
        assert "camera=()" in reponse.getheader("Permissions-Policy")
    finally:
        serveur.terminate()
        serveur.wait(timeout=30)
