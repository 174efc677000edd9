"""The stack as compose runs it serves its pages, its static files, /sante/ and JSON logs, and
behind its proxy every visitor has rate limits of their own."""

import json
import re

import pytest

pytestmark = pytest.mark.production


def test_pages_stylesheet_login_and_health_answer_200_after_a_build_time_collectstatic(pile):
    navigateur = pile.visiteur()

    accueil = navigateur.get(f"{pile.url}/", allow_redirects=False, timeout=30)
    assert accueil.status_code == 200
    feuilles = re.findall(r'<link[^>]+href="(/static/[^"]+\.css)"', accueil.text)
    assert feuilles
    for feuille in feuilles:
        reponse = navigateur.get(f"{pile.url}{feuille}", timeout=30)
        assert reponse.status_code == 200, feuille
        assert reponse.headers["Content-Type"].startswith("text/css")
    assert re.search(r"\.[0-9a-f]{12}\.css$", feuilles[0]), "hashed name (manifest)"
    assert navigateur.get(f"{pile.url}/compte/login/", timeout=30).status_code == 200

    sante = navigateur.get(f"{pile.url}/sante/", timeout=30)
    assert sante.status_code == 200
    assert sante.json()["services"] == {
        "base_de_donnees": "ok",
        "cache": "ok",
        "courtier": "ok",
        "stockage": "ok",
    }
    assert "Server" not in accueil.headers or "/" not in accueil.headers["Server"]


def test_the_logs_are_json_lines_carrying_the_request_id(pile):
    reponse = pile.visiteur().get(f"{pile.url}/cette-page-n-existe-pas/", timeout=30)
    assert reponse.status_code == 404
    identifiant = reponse.headers["X-Request-ID"]

    lignes = []
    for ligne in pile.processus["web"].texte().splitlines():
        try:
            lignes.append(json.loads(ligne))
        except ValueError:
            continue  # gunicorn's own start-up lines
    du_refus = [e for e in lignes if e.get("request_id") == identifiant]
    assert du_refus, pile.processus["web"].texte()[-3000:]
    assert du_refus[0]["level"] == "WARNING"
    assert "cette-page-n-existe-pas" in du_refus[0]["message"]
    assert du_refus[0]["timestamp"]


def test_the_deployment_checklist_is_clean_with_compose_s_environment(pile):
    sortie = pile.manage("check", "--deploy", "--fail-level", "WARNING")
    assert "no issues" in sortie


VIDER_LE_CACHE = """
import redis
from django.conf import settings
from django.core.cache import cache

courtier = redis.Redis.from_url(settings.CELERY_BROKER_URL)
courtier.lpush("permis-test-file", "une tache en attente")
cache.set("permis-test-sonde", 1)
cache.clear()
print(courtier.llen("permis-test-file"), cache.get("permis-test-sonde"))
print(courtier.config_get("maxmemory-policy")["maxmemory-policy"])
courtier.delete("permis-test-file")
"""


def test_clearing_the_cache_keeps_the_queued_tasks(pile):
    """The broker's and the cache's Redis databases differ: FLUSHDB on one spares the other."""
    sortie = pile.manage("shell", "--no-imports", "-c", VIDER_LE_CACHE).split()
    assert sortie == ["1", "None", "volatile-lru"]


def _chercher(session, url, **entetes):
    session.get(url, timeout=30)
    return session.post(
        url,
        data={
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "numero": "K7QX-M3PA-9ZT2",
            "date_naissance": "1990-01-01",
        },
        headers={"Referer": url, **entetes},
        timeout=30,
    )


def test_two_visitors_behind_the_proxy_have_their_own_limits_and_forging_xff_does_not_help(pile):
    """The public tracking page allows 10 look-ups a minute per visitor (ACCOUNT_RATE_LIMITS)."""
    url = f"{pile.url}/ou-en-est-mon-permis/"
    alice, bob = pile.visiteur("127.0.0.2"), pile.visiteur("127.0.0.3")

    for _ in range(10):
        assert _chercher(alice, url).status_code == 200
    assert _chercher(alice, url).status_code == 429
    for fausse in ("203.0.113.7", "198.51.100.1, 127.0.0.9"):
        assert _chercher(alice, url, **{"X-Forwarded-For": fausse}).status_code == 429

    reponse = _chercher(bob, url)
    assert reponse.status_code == 200
    assert "Aucune demande ne correspond" in reponse.text
