"""Caches that never lie: every cached value records the versions of the scopes it depends on,
and a change makes stale only what depends on what it changed.

A scope names a part of the public content ("site", "counts", "lang:en", "campaign:7",
"group:<uuid>"). A value derived from public content (a whole page, a list's rows, a card) is
stored with the versions of its scopes as they were when its computation started; the app that
owns the data bumps the scopes a change touches (``invalidate()``): an English headline leaves
French pages and other campaigns' pages alone, and the counts when it moves none. With no
scopes named, a value depends on every global scope (``everything()``), which any change of
the site's data bumps.

An embargo lifts by the clock, with no write: the first request after a go-live bumps the
scopes of the releases that went public (``_apply_go_lives``, once for every process), and until
it has, every value computed before that minute counts as stale. Values are not dropped at a
go-live, so that the previous copy is there to be served for at most ``STALE_GRACE`` seconds
while one request builds the new one (``pagecache.middleware``) — except after a change that
must never be seen again (a withdrawal, an unpublishing, a correction: ``hard``).

This app knows nothing of what it caches: it has no models of content and imports no other app.

``QuerySet.update()``, ``bulk_create()`` and raw SQL send no signals: call ``invalidate()`` after
them.
"""

import hashlib
import math
import time
import uuid
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.utils import timezone

from pagecache import generation as scope_store
from pagecache.codeversion import code_version
from pagecache.recent import RecentEntries

GO_LIVE_KEY = "newsroom:go-live"
GO_LIVE_LOCK = "newsroom:go-live-lock"
DEFAULT_TIMEOUT = 600
# How long after a change the previous copy of a page may still be served while a new one is
# built (never after a hard change).
STALE_GRACE = 1.0
# How long a request waits for another process to apply a go-live that has come, and how long
# that process holds it at most (should it die meanwhile, another applies it again, harmlessly).
GO_LIVE_WAIT = 0.5
GO_LIVE_LOCK_SECONDS = 2


def everything() -> tuple[str, ...]:
    """The global scopes: what a value that names none depends on, and what any change bumps
    besides its own (a campaign's page depends on "site" and its campaign only)."""
    return ("site", "counts", *(f"lang:{code}" for code, _ in settings.LANGUAGES))


def invalidate(
    scopes: Iterable[str] | None = None, *, hard: bool = False, before_commit: bool = False
) -> None:
    """Make stale, in every process, every cached value that depends on ``scopes`` (all of them
    when None). ``hard``: not even the previous copy of a page may be served any more.
    ``before_commit``: inside a transaction whose commit invalidates again; only the commit's
    call waits until no worker believes an epoch read before it (``pagecache.wsgi``)."""
    names = everything() if scopes is None else scopes
    scope_store.bump(names, hard=hard, wait=not before_commit)


def seconds_since_last_change() -> float:
    """How long ago the newsroom's public data last changed (infinite when not known)."""
    return scope_store.seconds_since_last_change(everything())


def key_for(*parts: str) -> str:
    """The cache key of a value named by ``parts``, for this version of the code: a value kept
    by another version (before an upgrade, or by a server not yet upgraded) is never read, so
    new templates and code show at once and nothing pickled by other code is unpickled. The
    scopes' versions are shared by every version of the code: a change made by either makes
    the other's values stale too."""
    digest = hashlib.sha256("\x1f".join((code_version(), *parts)).encode()).hexdigest()[:32]
    return f"newsroom:{parts[0]}:{digest}"


class Entry:
    """A cached value with the versions of its scopes when its computation started, that
    instant, and the instant it expires."""

    __slots__ = ("expires_at", "read_at", "value", "versions")

    def __init__(self, versions: dict[str, str | None], read_at: float, expires_at: float, value):
        self.versions = versions
        self.read_at = read_at
        self.expires_at = expires_at
        self.value = value

    def __getstate__(self):
        return (self.versions, self.read_at, self.expires_at, self.value)

    def __setstate__(self, state):
        if len(state) != 4:  # written by an earlier version: expired, never fresh
            state = ({"": None}, 0.0, 0.0, None)
        self.versions, self.read_at, self.expires_at, self.value = state


FRESH, STALE, GONE = "fresh", "stale", "gone"


class Generation:
    """What a request knows of the scopes' versions, read at one instant (``read_at``) before
    it computed anything: a value it computes is stored with these versions, so that a change
    made meanwhile leaves it stale to every later request."""

    def __init__(self, states: dict, read_at: float):
        self.states = states
        self.read_at = read_at
        # A go-live that has come but whose scopes no request has bumped yet.
        self.pending_go_live: float | None = None
        self._next_go_live: datetime | None = None
        self._known = False

    def read_scopes(self, scopes: Iterable[str]) -> None:
        """Read the versions of ``scopes`` not read yet (a campaign's, a translation group's),
        for the values computed from now on."""
        missing = [name for name in scopes if name not in self.states]
        if missing:
            found = scope_store.read(missing)
            self.states |= {name: found[name] for name in missing}

    def versions_for(self, scopes: Iterable[str]) -> dict[str, str | None]:
        """The versions to store with a value that depends on ``scopes``; None for a scope this
        request did not read before it started computing (the value will not pass for fresh)."""
        return {
            name: (self.states[name].version if name in self.states else None) for name in scopes
        }

    def verdict(self, entry: Any) -> tuple[str, float | None]:
        """(FRESH, None); (STALE, since when), when only the previous copy of the changed
        scopes, changed by no hard change; or (GONE, None)."""
        if not isinstance(entry, Entry) or time.time() >= entry.expires_at:
            return GONE, None
        since = math.inf
        for name, version in entry.versions.items():
            state = self.states.get(name)
            if state is None or version is None:
                return GONE, None
            if state.version == version:
                continue
            if state.previous != version or entry.read_at < state.hard_at:
                return GONE, None
            since = min(since, state.changed_at)
        if self.pending_go_live is not None and entry.read_at < self.pending_go_live:
            since = min(since, self.pending_go_live)
        return (FRESH, None) if since == math.inf else (STALE, since)

    def __eq__(self, other):
        """The same versions of the same scopes."""
        if not isinstance(other, Generation):
            return NotImplemented
        return {name: state.version for name, state in self.states.items()} == {
            name: state.version for name, state in other.states.items()
        }

    __hash__ = None

    def is_fresh(self, entry: Any) -> bool:
        return self.verdict(entry)[0] == FRESH

    def go_live_limit(self) -> datetime | None:
        """The next go-live known when this generation was read (for the lifetime of copies
        kept by caches in front, which cannot be told of a change): one that has come but is
        not applied yet when there is one (what is computed meanwhile is kept by no cache in
        front), never one after a clock that moved on since."""
        if self.pending_go_live is not None:
            return datetime.fromtimestamp(self.pending_go_live, tz=UTC)
        if not self._known:
            self._next_go_live = _first_go_live_after(datetime.fromtimestamp(self.read_at, tz=UTC))
            self._known = True
        return self._next_go_live


_recent = RecentEntries(0)


def recent_entries() -> RecentEntries | None:
    """This process's ``RecentEntries``, or None where it would not help: a local-memory cache
    is already in the process, a dummy cache keeps nothing, and ``RECENT_CACHE_BYTES = 0`` turns
    it off."""
    max_bytes = getattr(settings, "RECENT_CACHE_BYTES", 0)
    if max_bytes <= 0 or scope_store.in_database() or scope_store.keeps_nothing():
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


# The values this request has read or computed already (``remember``): found again without a
# round trip, or computed once even when the cache keeps nothing.
_request_values: ContextVar[dict | None] = ContextVar("request_values", default=None)


@contextmanager
def request_generation(generation: Generation | object = FIRST_READ):
    """Within this block, every value is read and kept under ``generation``, read before the
    request's first database query (or, with ``FIRST_READ``, under the generation the block's
    first read finds: views that keep no page still read the versions once, and only when
    they use the cache at all).

    Without it a value computed from rows read *before* a change, but stored after reading the
    versions that change made, would pass for current: a release page fetched just before its
    withdrawal and rendered just after would keep its article without the notice. Under the
    request's earlier versions such a value is stale to every later request."""
    token, values = _request_generation.set(generation), _request_values.set({})
    try:
        yield
    finally:
        _request_values.reset(values)
        _request_generation.reset(token)


def read_scopes(scopes: Iterable[str]) -> None:
    """Read, for the rest of this request, the versions of ``scopes`` it has not read yet
    (``Generation.read_scopes``); nothing outside a request."""
    generation = _request_generation.get()
    if isinstance(generation, Generation):
        generation.read_scopes(scopes)


def _extra_scopes(generation: Generation, entries: Iterable[Any]) -> None:
    """Read the versions of scopes that ``entries`` depend on and ``generation`` has not read
    (a campaign's, a translation group's): looked up before the request computes anything, they
    count as read at its start."""
    generation.read_scopes(
        {name for entry in entries if isinstance(entry, Entry) for name in entry.versions}
    )


def _read_many(keys: list[str]) -> tuple[Generation, dict[str, Any]]:
    """The current generation (the request's, within ``request_generation()``) and the entries
    under ``keys``, in one round trip. What this process holds among its recent entries, fresh
    under that generation, is not asked for again."""
    recent = recent_entries()
    held = recent.get_many(keys) if recent is not None else {}
    scoped = _request_generation.get()
    if isinstance(scoped, Generation):
        generation = scoped
        _extra_scopes(generation, held.values())
        found = {key: entry for key, entry in held.items() if generation.is_fresh(entry)}
        missing = [key for key in keys if key not in found]
        fetched = cache.get_many(missing) if missing else {}
    else:
        read_at = time.time()
        scope_keys = [] if scope_store.in_database() else list(map(scope_store.key, everything()))
        epoch_key = [scope_store.EPOCH_KEY] if scope_keys else []
        wanted = [GO_LIVE_KEY, *epoch_key, *scope_keys, *(key for key in keys if key not in held)]
        fetched = cache.get_many(wanted)
        epoch = fetched.pop(scope_store.EPOCH_KEY, None)
        # Every global scope as this one atomic read found it, with the epoch: what
        # ``settled()`` vouches for until the epoch changes.
        whole = {name: fetched.get(scope_store.key(name)) for name in everything()}
        whole = whole if all(isinstance(v, scope_store.State) for v in whole.values()) else None
        names = list(everything())
        if scope_store.in_database():  # with the scopes of what was found: one query
            names += [
                name
                for entry in [*held.values(), *fetched.values()]
                if isinstance(entry, Entry)
                for name in entry.versions
            ]
        states = scope_store.read(names, fetched)
        for name in scope_keys:
            fetched.pop(name, None)
        as_read = Generation(states, read_at)
        generation = _with_go_lives(as_read, fetched.pop(GO_LIVE_KEY, None))
        # Only what this read found vouches for the epoch: not versions read earlier in the
        # request, nor a go-live that is due or was just applied (the epoch moved meanwhile).
        if whole and epoch is not None and generation is as_read and _settles(generation, whole):
            scope_store.settle(epoch, whole, generation._next_go_live, read_at)
        elif scope_keys and epoch is None:
            cache.add(scope_store.EPOCH_KEY, uuid.uuid4().hex, None)  # lost (evicted, flushed)
        _extra_scopes(generation, held.values())
        found = {key: entry for key, entry in held.items() if generation.is_fresh(entry)}
        # A held entry that is not fresh here: the shared cache may have a newer one.
        stale = [key for key in held if key not in found]
        if stale:
            fetched |= cache.get_many(stale)
        if scoped is FIRST_READ:
            _request_generation.set(generation)  # undone with the block's own reset
    _extra_scopes(generation, fetched.values())
    if recent is not None and fetched:
        recent.set_many(fetched)
    return generation, found | fetched


def _settles(generation: Generation, whole: dict) -> bool:
    return (
        generation._known
        and generation.pending_go_live is None
        and all(generation.states.get(name) == state for name, state in whole.items())
    )


def _with_go_lives(generation: Generation, known: Any) -> Generation:
    """``generation``, once the go-lives that have come are accounted for. ``known`` is what the
    cache keeps of them: an entry (checked until, next go-live; Unix times), stale after any
    change. When the next go-live has come, the entry is stale or nothing is known, this request
    bumps the scopes of what went public since it was last checked (one indexed query, whose
    bumps every process may repeat harmlessly; other requests meanwhile count every value
    computed before that minute as stale), then reads the versions again."""
    if scope_store.keeps_nothing():
        return generation  # nothing kept to make stale; the next go-live is read when asked
    now = time.time()
    checked_until, next_at = known.value if isinstance(known, Entry) else (None, None)
    passed = next_at is not None and next_at <= now
    if generation.is_fresh(known) and not passed:
        generation._known = True
        generation._next_go_live = None if next_at is None else datetime.fromtimestamp(next_at, UTC)
        return generation
    if checked_until is None:  # nothing known (the cache lost it): as far back as a value lives
        checked_until = now - max(DEFAULT_TIMEOUT, page_cache_seconds())
        passed, next_at = True, now
    if passed:
        generation.pending_go_live = next_at
    if _go_live_source is None:
        return generation
    deadline, waited = time.monotonic() + GO_LIVE_WAIT, False
    while not cache.add(GO_LIVE_LOCK, True, GO_LIVE_LOCK_SECONDS):
        waited = True
        # Another process applies it (one indexed query and a bump): what this request built
        # meanwhile would be kept under versions about to change, then built again.
        moment = time.monotonic()
        if moment >= deadline or moment < getattr(cache, "down_until", 0):
            return generation  # long enough, or the cache does not answer: no one holds it
        time.sleep(BuildLock.POLL)
        if (applied := _applied_meanwhile(generation)) is not None:
            return applied
    if waited and (applied := _applied_meanwhile(generation)) is not None:
        cache.delete(GO_LIVE_LOCK)  # applied just before this request took the lock
        return applied
    return _apply_go_lives(generation, checked_until)


def _apply_go_lives(generation: Generation, checked_until: float) -> Generation:
    """Under the go-live lock (freed here): bump the scopes of what went public since
    ``checked_until`` and record the next go-live; ``generation`` as it is then."""
    now = time.time()
    try:
        gone, following = _go_live_source.go_lives(
            datetime.fromtimestamp(checked_until, tz=UTC), datetime.fromtimestamp(now, tz=UTC)
        )
        bumped, behind = {}, set()
        for moment, scopes in gone:
            at = moment.timestamp()
            changed = scope_store.bump(scopes, moment=at)
            bumped |= changed
            # Recorded by another process since this request read them: read again.
            behind |= {
                name
                for name in scopes
                if name not in changed
                and name in generation.states
                and generation.states[name].changed_at < at
            }
        states, unread = generation.states | bumped, list(behind - set(bumped))
        if unread:
            states |= scope_store.read(unread, again=True)
        refreshed = Generation(states, generation.read_at)
        refreshed._next_go_live, refreshed._known = following, True
        value = (now, following.timestamp() if following else None)
        # Written before the lock is freed: a request waiting for it finds it applied.
        cache.set(GO_LIVE_KEY, _entry(refreshed, value, DEFAULT_TIMEOUT, None), DEFAULT_TIMEOUT)
    except DatabaseError:
        return generation  # nothing can be known: no change recorded, kept values answer
    finally:
        cache.delete(GO_LIVE_LOCK)
    return refreshed


def _applied_meanwhile(generation: Generation) -> Generation | None:
    """The versions of ``generation``'s scopes read again, once another process has applied
    the go-lives that came (the go-live entry is fresh under them and none is due); else None."""
    names, read_at = list(generation.states), time.time()
    fetched = cache.get_many([GO_LIVE_KEY, *map(scope_store.key, names)])
    known = fetched.pop(GO_LIVE_KEY, None)
    refreshed = Generation(scope_store.read(names, fetched, again=True), read_at)
    _, next_at = known.value if isinstance(known, Entry) else (None, None)
    if not refreshed.is_fresh(known) or (next_at is not None and next_at <= read_at):
        return None
    if any(state.changed_at > generation.read_at for state in refreshed.states.values()):
        return None  # a change since this request's first read, not only the go-live's bumps
    refreshed._known = True
    refreshed._next_go_live = None if next_at is None else datetime.fromtimestamp(next_at, UTC)
    return refreshed


def settled() -> tuple[str, Generation] | None:
    """The epoch and, as a generation, the versions settled with it (``generation.settled``)."""
    found = scope_store.settled()
    return None if found is None else (found.epoch, settled_generation(found))


def settled_generation(found: scope_store.Settled) -> Generation:
    generation = Generation(found.states, found.read_at)
    generation._next_go_live, generation._known = found.next_go_live, True
    return generation


class BuildLock:
    """Who builds a page that is missing or stale: the first request to ask (``acquire``);
    the others serve the previous copy for a moment, or ``wait`` for the new one. Where the
    cache keeps nothing or does not answer, every request builds its own, as without a cache."""

    SECONDS = 10  # held at most this long, should its holder die while building
    WAIT = 1.0  # after this long a waiting request builds the page itself
    POLL = 0.015

    def __init__(self, key: str):
        self.key = f"newsroom:building:{key}"
        self.held = False

    def acquire(self) -> bool:
        self.held = cache.add(self.key, True, self.SECONDS)
        return self.held or time.monotonic() < getattr(cache, "down_until", 0)

    def release(self) -> None:
        if self.held:
            cache.delete(self.key)
            self.held = False

    def wait(self, generation: Generation) -> Entry | None:
        """The page once its builder has stored it (fresh under ``generation``), or None when
        it has not within ``WAIT`` seconds or the builder gave up (an error page, not stored)."""
        deadline = time.monotonic() + self.WAIT
        while time.monotonic() < deadline:
            time.sleep(self.POLL)
            if (entry := self.built_meanwhile(generation)) is not None:
                return entry
            if cache.get(self.key) is None:  # stored and released since the look above?
                return self.built_meanwhile(generation)
        return None

    def built_meanwhile(self, generation: Generation) -> Entry | None:
        """The page, if a builder has stored it fresh under ``generation`` since it was looked
        up (a request that looked it up just before a builder stored it must not build it
        again once the lock is free)."""
        entry = cache.get(self.key.removeprefix("newsroom:building:"))
        if isinstance(entry, Entry):
            _extra_scopes(generation, [entry])
            if generation.is_fresh(entry):
                return entry
        return None


def read_generation() -> Generation:
    """The current generation, with what is known of the next go-live (one round trip)."""
    return _read_many([])[0]


def read(key: str) -> tuple[Generation, Entry | None]:
    """The current generation and the fresh entry under ``key`` (or None), in one round trip."""
    generation, found = _read_many([key])
    entry = found.get(key)
    return generation, entry if generation.is_fresh(entry) else None


def lookup(key: str) -> tuple[Generation, Entry | None, str, float | None]:
    """The current generation, the entry under ``key`` and its verdict (``Generation.verdict``):
    the page cache may serve a stale one for a moment while a new one is built."""
    generation, found = _read_many([key])
    entry = found.get(key)
    return generation, entry, *generation.verdict(entry)


def write(
    key: str,
    generation: Generation,
    value: Any,
    timeout: float,
    scopes: Iterable[str] | None = None,
) -> Entry | None:
    """Store ``value``, computed under ``generation`` from what ``scopes`` name (every global
    scope when None), for at most ``timeout`` seconds."""
    if timeout <= 0:
        return None
    entry = _entry(generation, value, timeout, scopes)
    _store({key: entry}, math.floor(timeout))
    return entry


def _entry(generation: Generation, value: Any, timeout: float, scopes) -> Entry:
    versions = generation.versions_for(everything() if scopes is None else scopes)
    return Entry(versions, generation.read_at, time.time() + timeout, value)


def _store(entries: dict[str, Entry], lifetime: int) -> None:
    """Into the shared cache and among this process's recent entries."""
    cache.set_many(entries, lifetime)
    if (recent := recent_entries()) is not None:
        recent.set_many(entries)


def remember(
    key: str,
    compute: Callable[[], Any],
    timeout: float = DEFAULT_TIMEOUT,
    scopes: Iterable[str] | None = None,
) -> Any:
    """``compute()``, cached under ``key`` with this module's rules."""
    known = _request_values.get()
    if known is not None and key in known:
        return known[key]
    generation, entry = read(key)
    if entry is not None:
        value = entry.value
    else:
        value = compute()
        write(key, generation, value, timeout, scopes)
    if known is not None:
        known[key] = value
    return value


def remember_many(
    keys: list[str],
    compute_missing: Callable[[list[str]], dict[str, Any]],
    timeout: float = DEFAULT_TIMEOUT,
    scopes: Iterable[str] | Callable[[str], Iterable[str]] | None = None,
) -> dict[str, Any]:
    """``remember()`` for many values in one round trip: ``compute_missing(keys)`` gives the
    values of the keys that were not fresh, which are then stored together, each with
    ``scopes``, or ``scopes(key)`` (read first, ``read_scopes()``, or never fresh)."""
    generation, found = _read_many(keys)
    values = {key: found[key].value for key in keys if generation.is_fresh(found.get(key))}
    missing = [key for key in keys if key not in values]
    if missing:
        computed = compute_missing(missing)
        values.update(computed)
        own = scopes if callable(scopes) else lambda key: scopes
        entries = {key: _entry(generation, v, timeout, own(key)) for key, v in computed.items()}
        if timeout > 0:
            _store(entries, math.floor(timeout))
    return values


def next_go_live() -> datetime | None:
    """When the next scheduled release becomes public (None when nothing is scheduled)."""
    return _read_many([])[0].go_live_limit()


def _first_go_live_after(moment: datetime) -> datetime | None:
    """The first instant after ``moment`` at which public content changes by the clock alone,
    as told by the source the site registered (``set_go_live_source``)."""
    return _go_live_source.first_go_live_after(moment) if _go_live_source is not None else None


_go_live_source: Any = None


def set_go_live_source(source) -> None:
    """Register what answers "when does public content next change by the clock?"
    (``source.first_go_live_after(moment)``) and "which scopes did it change between two
    instants, and when next?" (``source.go_lives(since, until)``: (moment, scopes) pairs and
    the next moment). The page
    cache knows nothing of what it caches; the app that owns the content tells it at start-up
    (``releases.apps``)."""
    global _go_live_source
    _go_live_source = source


def bounded_lifetime(timeout: float, generation: Generation | None = None) -> int:
    """``timeout`` cut short so that it ends before the next go-live (as ``generation`` knows
    it, when given)."""
    moment = next_go_live() if generation is None else generation.go_live_limit()
    if moment is not None:
        timeout = min(timeout, (moment - timezone.now()).total_seconds())
    return max(0, math.floor(timeout))


def page_cache_seconds() -> int:
    """How long this server keeps a public page (0: the page cache is off)."""
    return getattr(settings, "PAGE_CACHE_SECONDS", DEFAULT_TIMEOUT)


def shared_max_age(generation: Generation | None = None) -> int:
    """The ``s-maxage`` for caches in front (nginx, a CDN), which cannot be told of changes."""
    return bounded_lifetime(getattr(settings, "PAGE_CACHE_SHARED_MAX_AGE", 60), generation)
