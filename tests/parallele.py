"""The suite on several cores (pytest-xdist, `make test`): what each worker keeps to itself.

pytest-django gives each worker its own test database (test_…_gw0, _gw1). The rest is done
here, before any test runs: each worker gets a Redis database of its own (the base one plus
its number: a test's cache.clear() is a FLUSHDB) and its own slice of PERMIS_TEST_PORTS (two
workers could otherwise both find the same port free); every server a test starts (clamd,
SMTP, moto, gunicorn, Caddy, Celery, Chromium) is started per worker from those.

Tests that share an expensive set-up stay on one worker: those of a module whose fixtures are
module-scoped (the e2e demo snapshot), and those a conftest groups (the production stack).
"""

import os
from urllib.parse import urlsplit, urlunsplit

import pytest


def numero_du_worker() -> tuple[int, int]:
    """(this worker's number, number of workers); (0, 1) without xdist."""
    nom = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not nom.startswith("gw"):
        return 0, 1
    return int(nom[2:]), int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))


def base_redis_du_worker(url: str, numero: int) -> str:
    """redis://h:p/9 → redis://h:p/(9 + numero)."""
    morceaux = urlsplit(url)
    base = int(morceaux.path.strip("/") or "0")
    return urlunsplit(morceaux._replace(path=f"/{base + numero}"))


def redis_du_worker_joignable(url: str, numero: int) -> str:
    """The worker's Redis URL, once the server has said it has that database.

    A Redis server has 16 databases unless configured otherwise: a base of 15 with two
    workers would ask for the 17th, and every test using the cache would fail one by one.
    """
    import redis

    url_du_worker = base_redis_du_worker(url, numero)
    try:
        redis.Redis.from_url(url_du_worker).ping()
    except redis.ResponseError as erreur:
        raise pytest.UsageError(
            f"xdist worker {numero} would use Redis database {url_du_worker} ({erreur}): "
            "give the tests a lower base database (TEST_REDIS_URL, REDIS_URL) or fewer "
            "workers (TEST_WORKERS)"
        ) from erreur
    return url_du_worker


def ports_du_worker(plage: str, numero: int, nombre: int) -> str:
    """ "18800-18999", worker 1 of 2 → "18900-18999"."""
    premier, dernier = (int(borne) for borne in plage.split("-"))
    taille = (dernier - premier + 1) // nombre
    debut = premier + numero * taille
    return f"{debut}-{debut + taille - 1}"


def separer_les_workers() -> None:
    """Called by tests/conftest.py, once Django's settings are loaded and before any test."""
    numero, nombre = numero_du_worker()
    if nombre == 1:
        return
    from django.conf import settings

    from permis.celery import app as celery_app

    if plage := os.environ.get("PERMIS_TEST_PORTS"):
        os.environ["PERMIS_TEST_PORTS"] = ports_du_worker(plage, numero, nombre)
    if settings.REDIS_URL:
        url = redis_du_worker_joignable(settings.REDIS_URL, numero)
        # What permis/settings.py derived from REDIS_URL, and the servers tests start.
        os.environ["REDIS_URL"] = settings.REDIS_URL = url
        settings.CACHES["default"]["LOCATION"] = url
        if settings.CELERY_BROKER_URL.startswith("redis"):
            settings.CELERY_BROKER_URL = celery_app.conf.broker_url = url


def grouper(items) -> None:
    """A module whose tests share a module-scoped fixture runs on one worker."""
    for item in items:
        definitions = getattr(item, "_fixtureinfo", None)
        if definitions is None or item.get_closest_marker("xdist_group"):
            continue
        # The repository's own fixtures (a plugin's, as pytest-django's class-scoped autouse
        # one, have no base id).
        portees = {
            d.scope for defs in definitions.name2fixturedefs.values() for d in defs if d.baseid
        }
        if portees & {"module", "package", "class"}:
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))
