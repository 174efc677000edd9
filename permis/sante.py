"""/sante/: does this node reach everything it needs? For load balancers and healthchecks.

200 with {"statut": "ok", ...} when the database, the cache, the Celery broker and the file
storage answer; 503 naming those that do not. One round trip to each, no query of the
portal's tables, no session, no authentication: cheap enough to poll every second. The
answer holds no detail beyond ok / en panne (the cause goes to the log).

It is a middleware at the head of the chain, not a view: it answers before the host check,
the HTTPS redirect and the session, so that a load balancer or a container healthcheck
calling the node by its address (http://10.0.0.5:8000/sante/) gets the node's health.
"""

import json
import logging
import os
import threading
from pathlib import Path

import redis
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.http import HttpResponse

CHEMIN = "/sante/"
SONDE = "sante/sonde"  # a name nothing stores: asking for it costs one HEAD or stat

logger = logging.getLogger(__name__)
_courtiers: dict[str, redis.Redis] = {}
_verrou = threading.Lock()


def _base_de_donnees() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    cache.set(SONDE, 1, timeout=10)
    if cache.get(SONDE) != 1:
        raise RuntimeError("the cache does not keep what it is given")


def _courtier() -> None:
    url = settings.CELERY_BROKER_URL
    if url.startswith("memory://"):
        return  # the embedded default: tasks run in the process itself
    if url.startswith(("redis://", "rediss://")):
        with _verrou:
            client = _courtiers.get(url) or _courtiers.setdefault(
                url,
                redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2),
            )
        client.ping()
        return
    from permis.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def _stockage() -> None:
    if isinstance(default_storage, FileSystemStorage):
        dossier = Path(default_storage.location)
        dossier.mkdir(parents=True, exist_ok=True)  # made on the first upload otherwise
        if not dossier.is_dir() or not os.access(dossier, os.W_OK | os.X_OK):
            raise RuntimeError(f"{dossier} is missing or not writable")
        return
    bucket = getattr(default_storage, "bucket_name", None)
    if bucket:  # S3: HEAD of the bucket (a missing bucket or a refused key fails here)
        default_storage.connection.meta.client.head_bucket(Bucket=bucket)
        return
    default_storage.exists(SONDE)


VERIFICATIONS = {
    "base_de_donnees": _base_de_donnees,
    "cache": _cache,
    "courtier": _courtier,
    "stockage": _stockage,
}


def etat() -> dict[str, str]:
    """{service: "ok" | "en panne"} for each of VERIFICATIONS."""
    resultats = {}
    for nom, verifier in VERIFICATIONS.items():
        try:
            verifier()
        except Exception:
            logger.warning("sante: %s does not answer", nom, exc_info=True)
            resultats[nom] = "en panne"
        else:
            resultats[nom] = "ok"
    return resultats


def reponse() -> HttpResponse:
    services = etat()
    en_panne = [nom for nom, statut in services.items() if statut != "ok"]
    corps = {"statut": "en panne" if en_panne else "ok", "services": services}
    if en_panne:
        corps["en_panne"] = en_panne
    resultat = HttpResponse(
        json.dumps(corps, ensure_ascii=False),
        status=503 if en_panne else 200,
        content_type="application/json",
    )
    resultat["Cache-Control"] = "no-store"
    return resultat


class SanteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == CHEMIN and request.method in {"GET", "HEAD"}:
            return reponse()
        return self.get_response(request)
