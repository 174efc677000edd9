"""Test harness: PostgreSQL only, tasks eager, the network closed, private files in tmp."""

import ipaddress
import socket

import pytest
from django.core.cache import cache
from django.db import connection

from permis.celery import app as celery_app
from tests.clamav import antivirus_actif, clamd  # noqa: F401 - fixtures for every test
from tests.factories import AdminFactory, AgentCTNFactory, CandidatFactory, InstructeurFactory
from tests.parallele import grouper, separer_les_workers

# Most tests run tasks in-process; tests marked `worker` start a real worker on Redis.
celery_app.conf.task_always_eager = True
celery_app.conf.task_eager_propagates = True

separer_les_workers()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    grouper(items)


_real_connect = socket.socket.connect


def _loopback_only(self, address):
    host = address[0] if isinstance(address, tuple) else None
    if host is not None:
        try:
            allowed = ipaddress.ip_address(host).is_loopback
        except ValueError:
            allowed = host == "localhost"
        if not allowed:
            raise ConnectionRefusedError(f"tests may not reach the network ({host})")
    return _real_connect(self, address)


@pytest.fixture(scope="session", autouse=True)
def _network_closed():
    socket.socket.connect = _loopback_only
    yield
    socket.socket.connect = _real_connect


@pytest.fixture(scope="session", autouse=True)
def _postgresql_only(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.exit(
                "Tests run on PostgreSQL: set DATABASE_URL (make test does) — "
                f"got {connection.vendor}.",
                returncode=3,
            )


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    # PBKDF2's slowness protects real passwords; in tests it only costs minutes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }
    # Every request reads its account, as the query counts expect; on in the tests of
    # accounts/comptes_gardes.py.
    settings.PERMIS_COMPTES_GARDES = False
    # The backlog's figures read at every view, as tests that change them expect; kept in
    # tests/instruction/test_pilotage_fraicheur.py.
    settings.PERMIS_PILOTAGE_FRAICHEUR = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def candidat(db):
    return CandidatFactory()


@pytest.fixture
def autre_candidat(db):
    return CandidatFactory()


@pytest.fixture
def agent_ctn(db):
    return AgentCTNFactory()


@pytest.fixture
def instructeur(db):
    return InstructeurFactory(departement="69")


@pytest.fixture
def instructeur_autre_departement(db):
    return InstructeurFactory(departement="34")


@pytest.fixture
def admin_user(db):
    """pytest-django's admin_user (and so admin_client), enrolled in the second factor that
    the admin requires (see tests/double_facteur.py)."""
    return AdminFactory(username="admin", email="admin@exemple.fr")
