"""The Redis cache keeps one redis-py client per pool, reads on a connection of each thread's
own, and works as Django's does."""

import os
import threading
import warnings
from unittest import mock

import pytest
from django.core.cache.backends.base import CacheKeyWarning
from redis.exceptions import ResponseError

from permis.cache_redis import RedisCache

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs the test Redis")


@pytest.fixture
def cache():
    cache = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "test-cache-redis"})
    yield cache
    cache.delete_many(["cle", "autre", "liste"])


def _connexion(cache):
    return next(iter(cache._cache._fil.connexions.values()))


def test_the_redis_cache_reuses_its_client_and_reads_what_it_wrote(cache):
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client
    cache.set("cle", {"valeur": 1}, 30)
    assert cache.get("cle") == {"valeur": 1}
    cache.set("autre", 7, 30)  # an int is stored as such, not pickled
    assert cache.get_many(["cle", "autre", "absente"]) == {"cle": {"valeur": 1}, "autre": 7}
    cache.delete("cle")
    assert cache.get("cle") is None
    assert cache.get("cle", "défaut") == "défaut"


def test_reads_keep_one_connection_per_thread_outside_the_pool(cache):
    cache.set("cle", "a", 30)
    assert cache.get("cle") == "a"
    connexion = _connexion(cache)
    assert cache.get("cle") == "a" and _connexion(cache) is connexion
    pool = cache._cache._get_connection_pool(False)
    assert connexion not in pool._available_connections  # the pool lends it to nobody
    dans_un_autre_fil = []
    fil = threading.Thread(
        target=lambda: dans_un_autre_fil.append((cache.get("cle"), _connexion(cache)))
    )
    fil.start()
    fil.join()
    assert dans_un_autre_fil[0][0] == "a" and dans_un_autre_fil[0][1] is not connexion


def test_a_broken_connection_is_dropped_and_the_read_still_answers(cache):
    cache.set("cle", "a", 30)
    cache.get("cle")
    connexion = _connexion(cache)
    # Redis closes it (a restart, an idle timeout): the next read fails on it, is answered
    # by the client's way, and the read after that opens a new connection.
    assert cache._cache.get_client().client_kill_filter(addr=_adresse_locale(connexion)) == 1
    assert cache.get("cle") == "a"
    assert cache.get("cle") == "a"
    assert _connexion(cache) is not connexion


def test_an_error_reply_leaves_no_reply_behind(cache):
    cache._cache.get_client().rpush(cache.make_key("liste"), "x")
    with pytest.raises(ResponseError):  # GET of a list: Redis's WRONGTYPE, as Django's client
        cache.get("liste")
    cache.set("cle", "a", 30)
    assert cache.get("cle") == "a"  # not the error's reply, read late


def test_after_a_fork_the_child_opens_its_own_connection(cache, monkeypatch):
    cache.set("cle", "a", 30)
    cache.get("cle")
    connexion = _connexion(cache)
    monkeypatch.setattr(os, "getpid", lambda: -1)  # as in a forked child
    assert cache.get("cle") == "a"
    assert _connexion(cache) is not connexion


def _adresse_locale(connexion) -> str:
    hote, port = connexion._sock.getsockname()[:2]
    return f"{hote}:{port}"


def test_get_many_of_no_key_is_empty_as_with_django_s_cache(cache):
    assert cache.get_many([]) == {}
    cache.set("cle", 1, 30)
    assert cache.get_many(["cle", "autre"]) == {"cle": 1}


@pytest.mark.parametrize("cle", ["avec espace", "nul\x00", "suppr\x7f", "x" * 251])
def test_keys_beyond_memcached_s_limits_still_warn_as_with_django_s_cache(cache, cle):
    with pytest.warns(CacheKeyWarning):
        cache.get(cle)


def test_a_plain_key_is_checked_without_django_s_loop_over_its_characters(cache):
    with (
        mock.patch("django.core.cache.backends.base.memcache_key_warnings") as boucle,
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("error", CacheKeyWarning)
        cache.get_many(["cle", "django.contrib.sessions.cached_db" + "a" * 32, "é" * 200])
    boucle.assert_not_called()


def test_a_value_larger_than_one_socket_read_comes_whole(cache):
    grande = {"octets": os.urandom(300_000), "texte": "é" * 100_000}
    cache.set("cle", grande, 30)
    cache.set("autre", 12, 30)
    assert cache.get("cle") == grande
    assert cache.get_many(["absente", "cle", "autre"]) == {"cle": grande, "autre": 12}
    assert cache.get("autre") == 12  # the reply before was read to its end


def test_replies_are_parsed_by_hiredis(cache):
    """redis-py's C parser, installed with it (redis[hiredis]): its Python one costs a
    session's read ~20 µs more."""
    from redis._parsers import _HiredisParser

    cache.get("cle")
    (connexion,) = cache._cache._fil.connexions.values()
    assert isinstance(connexion._parser, _HiredisParser)


def test_keys_are_made_as_django_makes_them(cache):
    from django.core.cache.backends.base import BaseCache

    for cle in ["cle", "é" * 3, "django.contrib.sessions.cached_db" + "a" * 32]:
        for version in (None, 3):
            assert cache.make_and_validate_key(cle, version) == BaseCache.make_key(
                cache, cle, version
            )
    assert cache.make_and_validate_key(7) == "test-cache-redis:1:7"


def test_reads_are_answered_on_the_thread_s_connection_without_the_client(cache, monkeypatch):
    cache.set("cle", {"valeur": 1}, 30)
    cache.set("autre", 7, 30)
    monkeypatch.setattr(cache._cache, "get_client", mock.Mock(side_effect=AssertionError))
    assert cache.get("cle") == {"valeur": 1} and cache.get("absente", "d") == "d"
    assert cache.get_many(["cle", "absente", "autre"]) == {"cle": {"valeur": 1}, "autre": 7}
    monkeypatch.undo()  # the fixture deletes through the client
