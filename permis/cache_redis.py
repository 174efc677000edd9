"""Django's Redis cache, with one redis-py client per connection pool instead of one per call,
and reads sent on a connection each thread keeps.

Django builds a `redis.Redis` around its pool at every cache operation, and its constructor
(response callbacks, retry, connection settings) was the larger part of the CPU a session
read from the cache costs, on every logged-in request. A client holds no connection of its
own (the pool lends them per command) and is safe to share between threads.

Borrowing the connection from the pool and giving it back (a lock, a poll of the socket for
stray data, four metrics records) then the client's retry and event layers cost a read about
65 µs of CPU for the 30 µs of the command itself, and every logged-in request reads its
session. So GET and MGET go on a connection of the thread's own (gunicorn's threads live as
long as their process), made with the pool's settings: a command always reads its whole reply
or drops the connection, so none is left with stray data. Should it fail to connect or time
out, the read goes the client's way again, with its retries, on a connection from the pool.
Writes keep the client's way.

Replies are parsed by hiredis (redis-py's C parser, a dependency for that): redis-py's own
Python RESP3 parser cost a session's MGET ~20 µs more of CPU. A pickled value is loaded at
once rather than after int() fails on it, as Django's serializer does.

Django checks every key for memcached's limits, a Python loop over its characters (~3 µs a
key, three keys per logged-in request's MGET): a key within them is recognised by one regular
expression first, the others still get Django's warnings; the key itself is made in one step
for a str key and Django's default key function.
"""

import os
import pickle
import re
import threading

from django.core.cache.backends.base import MEMCACHE_MAX_KEY_LENGTH, default_key_func
from django.core.cache.backends.redis import RedisCache as RedisCacheDjango
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import ConnectionError as ErreurDeConnexion
from redis.exceptions import TimeoutError as DelaiDepasse

_INJOIGNABLE = object()
# What django.core.cache.backends.base.memcache_key_warnings warns about, past MEMCACHE_MAX_KEY_LENGTH.
_CARACTERE_SIGNALE = re.compile(r"[\x00-\x20\x7f]")


class _ClientPartage(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._fil = threading.local()

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        try:
            return self._clients[id(pool)]
        except KeyError:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
            return client

    def _lire(self, *commande: str):
        """The reply to a read command, sent on this thread's connection to the read pool's
        server, or _INJOIGNABLE when it could not be reached (the caller goes the client's way).
        """
        pool = self._get_connection_pool(False)
        fil = self._fil
        if getattr(fil, "pid", None) != os.getpid():  # a fork's child uses none of its parent's
            fil.connexions, fil.pid = {}, os.getpid()
        connexion = fil.connexions.get(id(pool))
        if connexion is None:
            connexion = fil.connexions[id(pool)] = pool.connection_class(**pool.connection_kwargs)
        try:
            connexion.send_command(*commande)
            return connexion.read_response()
        except BaseException as erreur:
            del fil.connexions[id(pool)]
            connexion.disconnect()
            if isinstance(erreur, (ErreurDeConnexion, DelaiDepasse, OSError)):
                return _INJOIGNABLE
            raise

    def _valeur(self, octets):
        # RedisSerializer.loads: int(octets), else pickle.loads; a pickle (protocol 2 and up,
        # Django's is the highest) starts with 0x80, which int() refuses: loaded at once.
        if octets[:1] == b"\x80":
            return pickle.loads(octets)  # noqa: S301 (the cache's own values, as Django's)
        return self._serializer.loads(octets)

    def get(self, key, default):
        value = self._lire("GET", key)
        if value is _INJOIGNABLE:  # the client retries, or raises as before
            value = self.get_client(key).get(key)
        return default if value is None else self._valeur(value)

    def get_many(self, keys):
        if not keys:  # MGET needs a key; redis-py answers [] without asking, so does this
            return {}
        values = self._lire("MGET", *keys)
        if values is _INJOIGNABLE:
            values = self.get_client(None).mget(keys)
        return {k: self._valeur(v) for k, v in zip(keys, values, strict=True) if v is not None}


class RedisCache(RedisCacheDjango):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ClientPartage

    def validate_key(self, key):
        if len(key) > MEMCACHE_MAX_KEY_LENGTH or _CARACTERE_SIGNALE.search(key):
            super().validate_key(key)  # Django's warnings

    def make_and_validate_key(self, key, version=None):
        """Django's, made at once for a str key and its default key function (four calls a key
        in Django's, three keys a logged-in request)."""
        if type(key) is not str or self.key_func is not default_key_func:
            return super().make_and_validate_key(key, version)
        cle = f"{self.key_prefix}:{self.version if version is None else version}:{key}"
        if len(cle) > MEMCACHE_MAX_KEY_LENGTH or _CARACTERE_SIGNALE.search(cle):
            super().validate_key(cle)  # Django's warnings
        return cle
