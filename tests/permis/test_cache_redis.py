"""The Redis cache keeps one redis-py client per pool, and works as Django's does."""

import os

import pytest

from permis.cache_redis import RedisCache


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs the test Redis")
def test_the_redis_cache_reuses_its_client_and_reads_what_it_wrote():
    cache = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "test-cache-redis"})
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client
    cache.set("cle", {"valeur": 1}, 30)
    assert cache.get("cle") == {"valeur": 1}
    cache.delete("cle")
    assert cache.get("cle") is None
