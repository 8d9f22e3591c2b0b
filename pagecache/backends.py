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
import uuid

import environ
from django.conf import settings
from django.core.cache import caches
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError, ResponseError

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


class _OwnConnection(threading.local):
    """This thread's connection to Redis for the hot path, and what it knows of the tracked key
    (``read_many``): its value, when it was read, and whether Redis tracks it for us."""

    connection = None
    pool = None
    value: bytes | None = None  # the tracked key's value as last read; None: read it again
    read_at = 0.0
    tracking = True  # False once Redis refused client-side tracking (before Redis 6)

    def forget(self, *_push) -> None:
        """Redis told of a change to the tracked key (or of a flush), or the line was lost."""
        self.value = None


_own = _OwnConnection()


# The hot path's socket timeouts where the pool sets none (``cache_settings`` sets them).
HOT_PATH_TIMEOUT = 0.2


def trusted_seconds() -> float:
    """How long a tracked value is believed without reading it again, from when it was asked
    for: Redis's word of a change is not sure to come before the change has returned (I/O
    threads, a network, a line cut silently), so every change waits this long after it is
    recorded (``wait_out_trusted_reads``), and none read before it is believed afterwards."""
    return getattr(settings, "PAGE_CACHE_EPOCH_TRUST", 0.05)


def wait_out_trusted_reads() -> None:
    """After a change is recorded in Redis: return once no process may still believe a tracked
    value it read before it."""
    if isinstance(caches["default"], RedisCache):
        time.sleep(trusted_seconds())


def read_many(keys: list[str], tracked: str | None = None) -> dict:
    """``cache.get_many([tracked, *keys])`` for the hot path of stored pages (``pagecache.wsgi``).

    On Redis it runs on a connection this thread keeps for itself, which spares the pool's
    checkout and retry wrapper; ``tracked`` (the epoch) is read with client-side caching:
    Redis pushes word of any change to it on that connection, so while none has come (a poll
    of the socket, no round trip) the value read last is current, and a warm page costs no
    round trip at all. Any error answers as the cache's own ``get_many`` does (a miss, on the
    fail-safe backend)."""
    backend = caches["default"]
    wanted = [tracked, *keys] if tracked else keys
    if not isinstance(backend, RedisCache) or time.monotonic() < getattr(backend, "down_until", 0):
        return backend.get_many(wanted)
    client = backend.client
    pool = client.get_client(write=False).connection_pool
    try:
        try:
            raw = _read(pool, client, keys, tracked)
        except RedisConnectionError:
            # Closed by Redis while idle (its timeout, a restart): once more, on a new one.
            raw = _read(pool, client, keys, tracked)
    except CACHE_ERRORS as error:
        if not isinstance(backend, FailSafeRedisCache):
            raise
        backend.failed("get_many", error)
        return {}
    found = {}
    for key, value in raw.items():
        if value is not None:
            try:
                found[key] = client.decode(value)
            except UNREADABLE:
                continue
    return found


def _read(pool, client, keys: list[str], tracked: str | None) -> dict:
    """The raw values of ``tracked`` and ``keys``, on this thread's connection; dropped on any
    error."""
    connection = _own_connection(pool)
    try:
        if tracked and _own.tracking:
            while connection.can_read(timeout=0):  # word of a change: ``forget`` hears it
                connection.read_response(push_request=True)
            if time.monotonic() - _own.read_at >= trusted_seconds():
                _own.value = None
        known = _own.value if tracked and _own.tracking else None
        replies = []
        if tracked and known is None:
            if _own.tracking:
                connection.send_command("CLIENT", "CACHING", "YES")
                replies.append("caching")
            asked_at = time.monotonic()  # believed from when it was asked for, not read
            connection.send_command("GET", client.make_key(tracked))
            replies.append(tracked)
        if keys:
            connection.send_command("MGET", *(client.make_key(key) for key in keys))
            replies.append("values")
        raw = {}
        for reply in replies:
            value = connection.read_response()
            if reply == "values":
                raw |= dict(zip(keys, value, strict=True))
            elif reply == tracked:
                raw[tracked] = value
                _own.value, _own.read_at = value, asked_at
        if tracked and known is not None:
            raw[tracked] = known
        return raw
    except BaseException:
        connection.disconnect()
        _own.connection, _own.value = None, None
        raise


def _own_connection(pool):
    """This thread's connection, made outside the pool (whose count of its own connections it
    never moves), in RESP3 with client-side tracking of the keys read after ``CLIENT CACHING
    YES``; in RESP2 without it where Redis refuses (before Redis 6)."""
    if _own.connection is not None and _own.pool is pool:
        return _own.connection
    if _own.connection is not None:
        _own.connection.disconnect()
    _own.connection, _own.pool, _own.value = None, pool, None
    # Never without timeouts, whatever pool django-redis shares out (one per address, made by
    # whichever configuration asked first): a stalled Redis must not hold a reader for ever.
    kwargs = {"socket_timeout": HOT_PATH_TIMEOUT, "socket_connect_timeout": HOT_PATH_TIMEOUT}
    kwargs |= {name: value for name, value in pool.connection_kwargs.items() if value is not None}
    if _own.tracking:
        connection = pool.connection_class(**(kwargs | {"protocol": 3}))
        try:
            connection.connect()
            if not _tracking_works(connection):
                raise ResponseError("no word of changes on this connection")
        except ResponseError:
            connection.disconnect()
            _own.tracking = False
        except BaseException:
            connection.disconnect()
            raise
        else:
            _own.connection = connection
            return connection
    _own.connection = pool.connection_class(**kwargs)
    return _own.connection


def _tracking_works(connection) -> bool:
    """Turn client-side tracking on and check that word of a change reaches ``forget``: the
    connection changes a key it tracks itself (a canary, gone in a second). Some redis-py and
    hiredis versions never hand pushes to the handler; then tracking is not used."""
    heard = []
    connection._parser.set_invalidation_push_handler(heard.append)
    canary = f"newsroom:canary:{uuid.uuid4().hex}"
    commands = [
        ("CLIENT", "TRACKING", "ON", "OPTIN"),
        ("CLIENT", "CACHING", "YES"),
        ("GET", canary),
        ("SET", canary, "1", "PX", "1000"),
        ("PING",),
    ]
    for command in commands:
        connection.send_command(*command)
    replies = [connection.read_response() for _ in commands]
    connection._parser.set_invalidation_push_handler(_own.forget)
    return bool(heard) and replies[-1] in (b"PONG", "PONG")
