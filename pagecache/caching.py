"""Caches that never lie: one generation number for everything public, and lifetimes that end
before the next embargo lifts.

Every cached value derived from public content (whole pages, list counts, page positions, the
next go-live time) is stored with the *generation* that was current when its computation
started. Any change to the site's data bumps the generation (the app that owns the data calls
``invalidate()``), which makes every such value stale at once: invalidation happens in one place.

A lifetime never reaches past the next go-live (for the newsroom: the earliest ``publish_at``
still in the future, registered through ``set_go_live_source``), because at that instant new
content becomes public and every list, count and page changes. The moment is found with one
indexed query, itself cached under the same bound.

This app knows nothing of what it caches: it has no models and imports no other app.

``QuerySet.update()``, ``bulk_create()`` and raw SQL send no signals: call ``invalidate()`` after
them.
"""

import hashlib
import math
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.utils import timezone

from pagecache import generation as generation_store
from pagecache.generation import GENERATION_KEY

NEXT_GO_LIVE_KEY = "newsroom:next-go-live"
DEFAULT_TIMEOUT = 600


def invalidate() -> None:
    """Make every cached public value stale (a new, never-used generation), in every process."""
    generation_store.bump()


seconds_since_last_change = generation_store.seconds_since_last_change


def key_for(*parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
    return f"newsroom:{parts[0]}:{digest}"


class Entry:
    """A cached value with the generation it was computed under and the instant it expires."""

    __slots__ = ("expires_at", "generation", "value")

    def __init__(self, generation: str, expires_at: float, value: Any):
        self.generation = generation
        self.expires_at = expires_at
        self.value = value

    def __getstate__(self):
        return (self.generation, self.expires_at, self.value)

    def __setstate__(self, state):
        self.generation, self.expires_at, self.value = state


class Generation(str):
    """A generation, read at a known instant: a value computed under it must not outlive the
    first go-live after that instant, even when it is stored after it (a page rendered at
    05:59:59.9 and stored at 06:00:00.1 must not be kept past 06:00)."""

    read_at: float
    _next_go_live: Any = None
    _known: bool = False

    def go_live_limit(self) -> datetime | None:
        """The first go-live after this generation was read: known from the cache when it was
        read, else one indexed query (made only by those who write, never by readers)."""
        if not self._known:
            moment = _first_go_live_after(datetime.fromtimestamp(self.read_at, tz=UTC))
            if moment is None or moment > timezone.now():
                _keep_next_go_live(self, moment)  # also the first after now: others reuse it
            self._next_go_live, self._known = moment, True
        return self._next_go_live


def _fresh(entry: Any, generation: str) -> bool:
    return (
        isinstance(entry, Entry)
        and entry.generation == generation
        and timezone.now().timestamp() < entry.expires_at
    )


class RecentEntries:
    """The entries this process read or wrote lately, so that a request need not ask the shared
    cache again for what it already holds: a request still reads the generation from the shared
    cache, and an entry here counts only under that generation (``_fresh``), so it can never be
    more current here than there. Entries are kept pickled, so no two requests share an object,
    and the least recently used go first once they take more than ``max_bytes``."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        with self._lock:
            found = {}
            for key in keys:
                data = self._entries.get(key)
                if data is not None:
                    self._entries.move_to_end(key)
                    found[key] = data
        return {key: pickle.loads(data) for key, data in found.items()}

    def set_many(self, entries: dict[str, Any]) -> None:
        pickled = {
            key: pickle.dumps(entry, pickle.HIGHEST_PROTOCOL)
            for key, entry in entries.items()
            if isinstance(entry, Entry)
        }
        with self._lock:
            for key, data in pickled.items():
                if self._cost(key, data) > self.max_bytes:
                    continue
                old = self._entries.pop(key, None)
                if old is not None:
                    self._size -= self._cost(key, old)
                self._size += self._cost(key, data)
                self._entries[key] = data
            while self._size > self.max_bytes:
                key, data = self._entries.popitem(last=False)
                self._size -= self._cost(key, data)

    @staticmethod
    def _cost(key: str, data: bytes) -> int:
        """The memory an entry takes: its bytes, its key and about 200 bytes of bookkeeping."""
        return len(data) + len(key) + 200

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._size = 0


_recent = RecentEntries(0)


def recent_entries() -> RecentEntries | None:
    """This process's ``RecentEntries``, or None where it would not help: a local-memory cache
    is already in the process, a dummy cache keeps nothing, and ``RECENT_CACHE_BYTES = 0`` turns
    it off."""
    max_bytes = getattr(settings, "RECENT_CACHE_BYTES", 0)
    if max_bytes <= 0 or isinstance(caches["default"], LocMemCache | DummyCache):
        return None
    if _recent.max_bytes != max_bytes:
        _recent.max_bytes = max_bytes
        _recent.clear()
    return _recent


# The generation a request read before it read anything else (``request_generation()``), or
# ``FIRST_READ`` until the request's first read fixes it.
FIRST_READ = object()
_request_generation: ContextVar[Generation | object | None] = ContextVar(
    "request_generation", default=None
)


@contextmanager
def request_generation(generation: Generation | object = FIRST_READ):
    """Within this block, every value is read and kept under ``generation``, read before the
    request's first database query (or, with ``FIRST_READ``, under the generation the block's
    first read finds: views that keep no page still read the generation once, and only when
    they use the cache at all).

    Without it a value computed from rows read *before* a change, but stored after reading the
    generation that change made, would pass for current: a release page fetched just before its
    withdrawal and rendered just after would keep its article without the notice. Under the
    request's earlier generation such a value is stale to every later request."""
    token = _request_generation.set(generation)
    try:
        yield
    finally:
        _request_generation.reset(token)


def _read_many(keys: list[str]) -> tuple[Generation, dict[str, Any]]:
    """The current generation (the request's, within ``request_generation()``) and the values
    under ``keys``, in one round trip. What this process holds among its recent entries under
    that generation is not asked for again."""
    recent = recent_entries()
    held = recent.get_many(keys) if recent is not None else {}
    scoped = _request_generation.get()
    if isinstance(scoped, Generation):
        generation = scoped
        found = {key: entry for key, entry in held.items() if _fresh(entry, generation)}
        missing = [key for key in keys if key not in found]
        fetched = cache.get_many(missing) if missing else {}
    else:
        read_at = timezone.now().timestamp()
        wanted = [NEXT_GO_LIVE_KEY, *(key for key in keys if key not in held)]
        if generation_store.in_database():
            fetched = cache.get_many(wanted)
            generation = Generation(generation_store.from_database())
        else:
            fetched = cache.get_many([GENERATION_KEY, *wanted])
            generation = Generation(generation_store.from_cache(fetched.pop(GENERATION_KEY, None)))
        generation.read_at = read_at
        go_live = fetched.pop(NEXT_GO_LIVE_KEY, None)
        if _fresh(go_live, generation):
            generation._next_go_live, generation._known = go_live.value, True
        found = {key: entry for key, entry in held.items() if _fresh(entry, generation)}
        # A held entry of an older generation: the shared cache may have a newer one.
        stale = [key for key in held if key not in found]
        if stale:
            fetched |= cache.get_many(stale)
        if scoped is FIRST_READ:
            _request_generation.set(generation)  # undone with the block's own reset
    if recent is not None and fetched:
        recent.set_many(fetched)
    return generation, found | fetched


def _lifetime(generation: str, timeout: float) -> int:
    """``timeout`` cut short at the first go-live after ``generation`` was read."""
    limit = generation.go_live_limit() if isinstance(generation, Generation) else next_go_live()
    return _cut_at(limit, timeout)


def _cut_at(moment: datetime | None, timeout: float) -> int:
    """``timeout`` cut short so that it ends before ``moment``; whole seconds, rounded down, so
    a value is never kept a fraction of a second too long."""
    if moment is not None:
        timeout = min(timeout, (moment - timezone.now()).total_seconds())
    return max(0, math.floor(timeout))


def read_generation() -> Generation:
    """The current generation, with what is known of the next go-live (one round trip)."""
    return _read_many([])[0]


def read(key: str) -> tuple[Generation, Entry | None]:
    """The current generation and the fresh entry under ``key`` (or None), in one round trip."""
    generation, found = _read_many([key])
    entry = found.get(key)
    return generation, entry if _fresh(entry, generation) else None


def write(key: str, generation: str, value: Any, timeout: float) -> Entry | None:
    """Store ``value`` for at most ``timeout`` seconds and never past the first go-live after
    its generation was read."""
    lifetime = _lifetime(generation, timeout)
    if lifetime <= 0:
        return None
    entry = Entry(generation, timezone.now().timestamp() + lifetime, value)
    _store({key: entry}, lifetime)
    return entry


def _store(entries: dict[str, Entry], lifetime: int) -> None:
    """Into the shared cache and among this process's recent entries."""
    cache.set_many(entries, lifetime)
    if (recent := recent_entries()) is not None:
        recent.set_many(entries)


def remember(key: str, compute: Callable[[], Any], timeout: float = DEFAULT_TIMEOUT) -> Any:
    """``compute()``, cached under ``key`` with this module's rules."""
    generation, entry = read(key)
    if entry is not None:
        return entry.value
    value = compute()
    write(key, generation, value, timeout)
    return value


def remember_many(
    keys: list[str],
    compute_missing: Callable[[list[str]], dict[str, Any]],
    timeout: float = DEFAULT_TIMEOUT,
) -> dict[str, Any]:
    """``remember()`` for many values in one round trip: ``compute_missing(keys)`` gives the
    values of the keys that were not fresh, which are then stored together."""
    generation, found = _read_many(keys)
    values = {key: found[key].value for key in keys if _fresh(found.get(key), generation)}
    missing = [key for key in keys if key not in values]
    if missing:
        computed = compute_missing(missing)
        values.update(computed)
        lifetime = _lifetime(generation, timeout)
        if lifetime > 0:
            expires_at = timezone.now().timestamp() + lifetime
            _store(
                {key: Entry(generation, expires_at, value) for key, value in computed.items()},
                lifetime,
            )
    return values


def next_go_live() -> datetime | None:
    """When the next scheduled release becomes public (None when nothing is scheduled),
    cached until it comes.

    """
    generation, _ = _read_many([])
    if generation._known:
        return generation._next_go_live
    if _request_generation.get() is generation:
        return generation.go_live_limit()  # after the request began: sooner, if anything
    moment = _first_go_live_after(timezone.now())
    _keep_next_go_live(generation, moment)
    return moment


def _keep_next_go_live(generation: str, moment: datetime | None) -> None:
    """Cache the next go-live under ``generation`` until it comes."""
    lifetime = DEFAULT_TIMEOUT
    if moment is not None:
        lifetime = min(lifetime, (moment - timezone.now()).total_seconds())
    if lifetime > 0:
        cache.set(
            NEXT_GO_LIVE_KEY,
            Entry(generation, timezone.now().timestamp() + lifetime, moment),
            math.ceil(lifetime),
        )


def _first_go_live_after(moment: datetime) -> datetime | None:
    """The first instant after ``moment`` at which public content changes by the clock alone,
    as told by the source the site registered (``set_go_live_source``)."""
    return _go_live_source(moment) if _go_live_source is not None else None


_go_live_source: Callable[[datetime], datetime | None] | None = None


def set_go_live_source(source: Callable[[datetime], datetime | None]) -> None:
    """Register what answers "when does public content next change by the clock?". The page
    cache knows nothing of what it caches; the app that owns the content tells it at start-up
    (``releases.apps``)."""
    global _go_live_source
    _go_live_source = source


def bounded_lifetime(timeout: float) -> int:
    """``timeout`` cut short so that it ends before the next go-live."""
    return _cut_at(next_go_live(), timeout)


def page_cache_seconds() -> int:
    """How long this server keeps a public page (0: the page cache is off)."""
    return getattr(settings, "PAGE_CACHE_SECONDS", DEFAULT_TIMEOUT)


def shared_max_age() -> int:
    """The ``s-maxage`` for caches in front (nginx, a CDN), which cannot be told of changes."""
    return bounded_lifetime(getattr(settings, "PAGE_CACHE_SHARED_MAX_AGE", 60))
