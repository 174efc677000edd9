"""/sante/: 200 when the database, cache, broker and storage answer, 503 naming what does not.

The failures are real: a Redis URL on a loopback port where nothing listens, a storage
location that is a file. (The journey test stops a real Redis under a running stack.)
"""

import json
import socket

import pytest
from django.test import override_settings


def port_ferme() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_mort() -> str:
    return f"redis://127.0.0.1:{port_ferme()}/0"


def lire(reponse) -> dict:
    assert reponse["Content-Type"] == "application/json"
    assert reponse["Cache-Control"] == "no-store"
    return json.loads(reponse.content)


@pytest.mark.django_db
def test_all_services_answer_200_with_one_query_and_no_session(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        reponse = client.get("/sante/")

    assert reponse.status_code == 200
    assert lire(reponse) == {
        "statut": "ok",
        "services": {"base_de_donnees": "ok", "cache": "ok", "courtier": "ok", "stockage": "ok"},
    }
    assert not reponse.cookies


@pytest.mark.django_db
def test_any_host_and_plain_http_get_the_answer_in_production_settings(client, settings):
    """A load balancer calls the node by its address, over http: no 400, no redirect."""
    settings.ALLOWED_HOSTS = ["permis.example.gouv.fr"]
    settings.SECURE_SSL_REDIRECT = True

    reponse = client.get("/sante/", HTTP_HOST="10.1.2.3:8000")

    assert reponse.status_code == 200
    assert client.get("/", HTTP_HOST="10.1.2.3:8000").status_code == 400


@pytest.mark.django_db
def test_a_dead_cache_gives_503_naming_it(client, settings):
    cache_mort = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_mort(),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    with override_settings(CACHES=cache_mort):
        reponse = client.get("/sante/")

    assert reponse.status_code == 503
    corps = lire(reponse)
    assert corps["statut"] == "en panne"
    assert corps["en_panne"] == ["cache"]
    assert corps["services"]["base_de_donnees"] == "ok"


@pytest.mark.django_db
def test_a_dead_broker_gives_503_naming_it(client, settings):
    settings.CELERY_BROKER_URL = redis_mort()

    reponse = client.get("/sante/")

    assert reponse.status_code == 503
    assert lire(reponse)["en_panne"] == ["courtier"]


@pytest.mark.django_db
def test_an_unusable_storage_gives_503_naming_it_and_says_nothing_more(client, settings, tmp_path):
    fichier = tmp_path / "pas-un-dossier"
    fichier.write_text("")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": fichier / "prive"},
        },
    }

    reponse = client.get("/sante/")

    assert reponse.status_code == 503
    assert lire(reponse)["en_panne"] == ["stockage"]
    assert str(tmp_path) not in reponse.content.decode()


@pytest.mark.django_db
def test_only_get_and_head_are_answered(client):
    assert client.head("/sante/").status_code == 200
    assert client.post("/sante/").status_code == 404
