"""The shared cache as an accelerator, never a single point of failure.

``FailSafeRedisCache`` is django-redis with every connection error caught: a call that fails or
stalls (bounded by the socket timeouts in ``cache_settings``) answers as a miss and stores
nothing, and for ``RETRY_AFTER`` seconds this process does not ask Redis again, so an outage
costs one timeout per process and per period instead of one per cache call. Pages are then
computed from the database, exactly as with the page cache off. A write that could not be made
(``invalidate()`` among them) is logged at ERROR: see docs/deployment.md on what to do after
an outage.
"""

import hashlib
import logging
import pickle
import threading
import time

import environ
from django.core.cache import caches
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

logger = logging.getLogger("newsroom.cache")

CACHE_ERRORS = (ConnectionInterrupted, RedisError, OSError)
# A value that cannot be read back (written by an older version of the code, or damaged):
# a miss, which the next write replaces. Redis itself is fine, so no back-off.
UNREADABLE = (pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError, EOFError)


def cache_settings(url: str, *, namespace: str = "", timeout: float = 0.2) -> dict:
    """The ``CACHES["default"]`` entry for ``url``: for Redis, the fail-safe backend with
    connect and socket timeouts of ``timeout`` seconds; values are kept under ``namespace``
    (``KEY_PREFIX``), so that two sites or two databases sharing one Redis never read each
    other's values."""
    config = environ.Env.cache_url_config(url)
    if config["BACKEND"] == "django_redis.cache.RedisCache":
        config["BACKEND"] = "pagecache.backends.FailSafeRedisCache"
        config.setdefault("OPTIONS", {}).update(
            {"SOCKET_CONNECT_TIMEOUT": timeout, "SOCKET_TIMEOUT": timeout}
        )
    if namespace:
        config["KEY_PREFIX"] = namespace
    return config


def namespace_for(database: dict, site_url: str) -> str:
    """A short, stable name for one deployment: its database (name, host, port) and its
    public address."""
    parts = [database.get(key) or "" for key in ("NAME", "HOST", "PORT")] + [site_url]
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:12]


class FailSafeRedisCache(RedisCache):
    #: Seconds during which a process that saw Redis fail answers every call as a miss.
    RETRY_AFTER = 2.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._ignore_exceptions = False  # caught below, with the back-off
        self.down_until = 0.0

    def _guarded(self, name, fallback, *args, **kwargs):
        if time.monotonic() < self.down_until:
            return fallback
        try:
            return getattr(super(), name)(*args, **kwargs)
        except UNREADABLE as error:
            if name not in ("get", "get_many"):
                raise
            logger.warning(
                "cache value unreadable", extra={"call": name, "error": repr(error)[:300]}
            )
            return fallback
        except CACHE_ERRORS as error:
            self.failed(name, error)
            return fallback

    def failed(self, name: str, error: Exception) -> None:
        """Note that Redis failed a call: none is made for ``RETRY_AFTER`` seconds."""
        self.down_until = time.monotonic() + self.RETRY_AFTER
        level = logging.ERROR if name in {"set", "set_many", "delete", "clear"} else logging.WARNING
        logger.log(level, "cache unavailable", extra={"call": name, "error": repr(error)[:300]})

    def get(self, key, default=None, version=None, client=None):
        return self._guarded("get", default, key, default=default, version=version, client=client)

    def get_many(self, *args, **kwargs):
        return self._guarded("get_many", {}, *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._guarded("set", False, *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._guarded("set_many", [], *args, **kwargs)

    def add(self, *args, **kwargs):
        return self._guarded("add", False, *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._guarded("delete", False, *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._guarded("delete_many", 0, *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._guarded("has_key", False, *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._guarded("touch", False, *args, **kwargs)

    def clear(self):
        return self._guarded("clear", False)


_own = threading.local()


def read_many(keys: list[str]) -> dict:
    """``cache.get_many(keys)`` for the hot path of stored pages (``pagecache.wsgi``): on Redis,
    one command on a connection this thread keeps for itself, which spares the pool's checkout
    (a poll of the socket) and its retry wrapper on every request. Any error answers as the
    cache's own ``get_many`` does (a miss, on the fail-safe backend)."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache) or time.monotonic() < getattr(backend, "down_until", 0):
        return backend.get_many(keys)
    client = backend.client
    pool = client.get_client(write=False).connection_pool
    command = ["MGET", *(client.make_key(key) for key in keys)]
    try:
        try:
            values = _on_own_connection(pool, command)
        except RedisConnectionError:
            # Closed by Redis while idle (its timeout, a restart): once more, on a new one.
            values = _on_own_connection(pool, command)
    except CACHE_ERRORS as error:
        if not isinstance(backend, FailSafeRedisCache):
            raise
        backend.failed("get_many", error)
        return {}
    found = {}
    for key, value in zip(keys, values, strict=True):
        if value is not None:
            try:
                found[key] = client.decode(value)
            except UNREADABLE:
                continue
    return found


def _on_own_connection(pool, command: list):
    """``command``'s reply, on this thread's connection (made outside the pool, so that the
    pool's count of its own connections never moves); dropped on any error."""
    connection = getattr(_own, "connection", None)
    if connection is None or _own.pool is not pool:
        connection = _own.connection = pool.connection_class(**pool.connection_kwargs)
        _own.pool = pool
    try:
        connection.send_command(*command)
        return connection.read_response()
    except BaseException:
        connection.disconnect()
        _own.connection = None
        raise
