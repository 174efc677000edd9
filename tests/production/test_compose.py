"""docker-compose.yml and the Caddyfile say what the issue asks; their commands run in test_pile."""

import re
from urllib.parse import urlsplit

from demandes import uploads
from demandes.enums import Piece
from tests.production import compose

APPLICATIFS = ("web", "worker", "beat")


def test_the_demo_is_off_unless_asked_for():
    env = compose.environnement("web", {"DJANGO_SECRET_KEY": "x" * 60, "POSTGRES_PASSWORD": "p"})
    assert env["PERMIS_DEMO"] == "0"
    assert env["FRANCECONNECT_SIMULATEUR"] == "0"
    assert env["DJANGO_DEBUG"] == "0"
    assert env["PERMIS_TRUSTED_PROXIES"] == "1"


def test_the_broker_and_the_cache_have_their_own_redis_databases():
    """`cache.clear()` or an eviction in the cache must never drop a queued task."""
    for nom in APPLICATIFS:
        env = compose.environnement(nom, {"DJANGO_SECRET_KEY": "x" * 60, "POSTGRES_PASSWORD": "p"})
        courtier, cache = urlsplit(env["CELERY_BROKER_URL"]), urlsplit(env["CACHE_URL"])
        assert courtier.netloc == cache.netloc == "redis:6379", nom
        assert courtier.path != cache.path, nom
        assert env["REDIS_URL"], nom  # still what switches Redis on
    # Eviction is server-wide: only keys with an expiry (the cache's) may go.
    assert compose.commande("redis", {})[-2:] == ["--maxmemory-policy", "volatile-lru"]


def test_web_worker_and_beat_wait_for_the_one_shot_migrate_and_have_healthchecks():
    migrate = compose.service("migrate")
    assert "migrate --noinput" in migrate["command"]
    assert migrate["restart"] == "no"
    for nom in APPLICATIFS:
        service = compose.service(nom)
        assert service["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert service["healthcheck"]["test"], nom
        assert "migrate" not in str(service.get("command") or "")
    assert "/sante/" in str(compose.service("web")["healthcheck"]["test"])


def test_only_the_proxy_is_published_and_it_waits_for_a_healthy_web():
    assert "ports" not in compose.service("web")
    proxy = compose.service("proxy")
    assert proxy["image"].startswith("caddy:")
    assert proxy["depends_on"]["web"] == {"condition": "service_healthy"}
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]


def test_the_proxy_caps_bodies_at_the_largest_upload_form_plus_a_margin():
    texte = (compose.ROOT / "deploy" / "Caddyfile").read_text()
    mib = int(re.search(r"max_size \{\$PERMIS_CORPS_MAX:(\d+)MiB\}", texte)[1])
    plus_gros_formulaire = sum(1 for p in Piece if p.televersee) * uploads.TAILLE_MAX
    assert plus_gros_formulaire < mib * 1024 * 1024 <= plus_gros_formulaire + 16 * 1024 * 1024
