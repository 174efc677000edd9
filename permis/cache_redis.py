"""Django's Redis cache, with one redis-py client per connection pool instead of one per call.

Django builds a `redis.Redis` around its pool at every cache operation, and its constructor
(response callbacks, retry, connection settings) was the larger part of the CPU a session
read from the cache costs, on every logged-in request. A client holds no connection of its
own (the pool lends them per command) and is safe to share between threads.
"""

from django.core.cache.backends.redis import RedisCache as RedisCacheDjango
from django.core.cache.backends.redis import RedisCacheClient


class _ClientPartage(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        try:
            return self._clients[id(pool)]
        except KeyError:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
            return client


class RedisCache(RedisCacheDjango):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ClientPartage
