"""Where the versions of the cache's scopes live: in the shared cache when it is shared (Redis),
otherwise in the database (``pagecache.models.ScopeVersion``), because a per-process cache could
not tell the other processes of a change.

A scope names what a change can affect ("site", "counts", "lang:en", "campaign:7"); each has a
version, the version before it, when it last changed and when it last changed so that no copy
from before may be served again (a withdrawal). A cached value records the versions of the
scopes it depends on (``pagecache.caching``).

A process that cannot read the rows (the database is down) keeps the versions it read last:
no change can be recorded while the database is unreachable, and cached pages keep answering.
"""

import logging
import math
import time
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import DatabaseError, transaction
from django_redis.cache import RedisCache

from pagecache import backends

SCOPE_KEY = "newsroom:scope:"
LAST_CHANGE_KEY = "newsroom:last-change"
# A new value at every change of any scope, written with the scopes in one transaction: a
# process that read it with every scope can tell from it alone that none has changed since.
EPOCH_KEY = "newsroom:epoch"

logger = logging.getLogger("newsroom.cache")


@dataclass(frozen=True)
class State:
    """A scope's version as read: what a cached value compares its own with."""

    version: str
    previous: str = ""
    changed_at: float = 0.0
    hard_at: float = 0.0


# The rows as this request read them: the replica router asks for the last change and the page
# cache for the versions, and one read answers both. Outside ``one_read_per_request()`` nothing
# is kept, and every call reads the rows.
_this_request: ContextVar[dict[str, State] | None] = ContextVar("scope_rows", default=None)
_last_read: dict[str, State] = {}


@contextmanager
def one_read_per_request():
    """Within this block (a request), each scope's row is read at most once; a change the
    request makes itself (``bump()``) is what it reads afterwards."""
    token = _this_request.set({})
    try:
        yield
    finally:
        _this_request.reset(token)


@dataclass(frozen=True)
class Settled:
    """The versions of the global scopes as one read of Redis found them with the epoch, when,
    what was known then of the next go-live, and until when they are trusted without a full
    read (a backstop: the epoch tells of every change)."""

    epoch: str
    states: dict
    next_go_live: datetime | None
    read_at: float
    until: float


SETTLED_SECONDS = 60.0
_settled: Settled | None = None


def settle(epoch: str, states: dict, next_go_live, read_at: float, until: float = 0.0) -> Settled:
    """Remember ``states``, read with ``epoch`` in one atomic read, for ``settled()``."""
    global _settled
    _settled = Settled(
        epoch, dict(states), next_go_live, read_at, until or time.time() + SETTLED_SECONDS
    )
    return _settled


def settled() -> Settled | None:
    """What this process last settled, while the versions may be trusted for as long as the
    epoch stays the same: on Redis only (whose transactions write the epoch with the versions,
    and whose MGET reads them together), before the next go-live (after it, a full read bumps
    the scopes of what went public) and before ``until``."""
    found = _settled
    if found is None or not isinstance(caches["default"], RedisCache):
        return None
    now = time.time()
    if now >= found.until or (found.next_go_live and found.next_go_live.timestamp() <= now):
        return None
    return found


def in_database() -> bool:
    """Whether the versions live in the database (the cache is this process's own)."""
    return isinstance(caches["default"], LocMemCache)


def keeps_nothing() -> bool:
    """Whether the cache keeps nothing (``dummycache://``), so that nothing kept goes stale."""
    return isinstance(caches["default"], DummyCache)


def key(name: str) -> str:
    return SCOPE_KEY + name


def _remember(states: dict[str, State]) -> None:
    found = _this_request.get()
    if found is not None:
        found.update(states)


def read(names, fetched: dict | None = None, *, again: bool = False) -> dict[str, State]:
    """The current state of each scope in ``names``. ``fetched``: what a ``get_many`` of the
    shared cache already brought (their keys from ``key()``), so as to spare a round trip.
    ``again``: from the rows, even those this request read already."""
    names = list(dict.fromkeys(names))
    known = {} if again else (_this_request.get() or {})
    states = {name: known[name] for name in names if name in known}
    missing = [name for name in names if name not in states]
    if missing:
        found = _from_database(missing) if in_database() else _from_cache(missing, fetched or {})
        _remember(found)
        states |= found
    return states


def _from_cache(names: list[str], fetched: dict) -> dict[str, State]:
    wanted = [key(name) for name in names if key(name) not in fetched]
    values = fetched | (cache.get_many(wanted) if wanted else {})
    states = {}
    for name in names:
        value = values.get(key(name))
        if not isinstance(value, State):
            # Lost (evicted, flushed) or never set: a fresh version, never an old one again.
            value = State(uuid.uuid4().hex, changed_at=time.time())
            if not cache.add(key(name), value, None):
                value = cache.get(key(name)) or value
        states[name] = value
    return states


def _from_database(names: list[str]) -> dict[str, State]:
    from pagecache.models import ScopeVersion

    try:
        rows = ScopeVersion.objects.using("default").filter(name__in=names)
        states = {
            row.name: State(row.version, row.previous, row.changed_at, row.hard_at) for row in rows
        }
    except DatabaseError:
        return {name: _last_read.get(name, State("unreachable")) for name in names}
    for name in names:
        # Never changed yet: one version, the same in every process.
        states.setdefault(name, State("initial"))
    _last_read.update(states)
    return states


def bump(
    names, *, hard: bool = False, moment: float | None = None, wait: bool = True
) -> dict[str, State]:
    """A new, never-used version of each scope in ``names``, recorded where every process reads
    it. ``hard``: no copy made before now may be served again, not even for a moment.
    ``moment``: a change that took effect then (an embargo that lifted by the clock), recorded
    only where the scope has not changed since (so that several processes may record it).
    ``wait``: return only once no worker believes an epoch read before the change (not for
    a go-live, which no one waits for, nor before a commit that bumps again).
    Returns the new states of the scopes it changed."""
    names = list(dict.fromkeys(names))
    if keeps_nothing():
        return {}  # and every read finds a version never seen before
    now = time.time()
    at = now if moment is None else moment
    if in_database():
        states = _bump_in_database(names, now, at, hard=hard, only_if_older=moment is not None)
    else:
        states = _bump_in_cache(names, now, at, hard=hard, only_if_older=moment is not None)
        if states and wait and moment is None:
            backends.wait_out_trusted_reads()
    _remember(states)
    return states


def _next(state: State, now: float, at: float, hard: bool) -> State:
    return State(uuid.uuid4().hex, state.version, at, now if hard else state.hard_at)


def _bump_in_cache(names, now, at, *, hard, only_if_older) -> dict[str, State]:
    current = _from_cache(names, {})
    changed = {
        name: _next(state, now, at, hard)
        for name, state in current.items()
        if not (only_if_older and state.changed_at >= at)
    }
    if changed:
        cache.set_many(
            {key(name): state for name, state in changed.items()}
            | {LAST_CHANGE_KEY: now, EPOCH_KEY: uuid.uuid4().hex},
            None,
        )
        if cache.get(key(next(iter(changed)))) != next(iter(changed.values())):
            logger.error(
                "cache invalidation not recorded: run `manage.py invalidate_caches` once the "
                "cache answers again"
            )
    return changed


def _bump_in_database(names, now, at, *, hard, only_if_older) -> dict[str, State]:
    """Three statements whatever the number of scopes: the rows locked, updated, created."""
    from pagecache.models import ScopeVersion

    rows = ScopeVersion.objects.using("default")
    changed, updated, created = {}, [], []
    with transaction.atomic(using="default"):
        found = {row.name: row for row in rows.select_for_update().filter(name__in=names)}
        for name in names:
            row = found.get(name)
            state = State(row.version, row.previous, row.changed_at, row.hard_at) if row else None
            if only_if_older and state is not None and state.changed_at >= at:
                continue
            new = changed[name] = _next(state or State("initial"), now, at, hard)
            fields = {
                "version": new.version,
                "previous": new.previous,
                "changed_at": new.changed_at,
                "hard_at": new.hard_at,
            }
            if row is None:
                created.append(ScopeVersion(name=name, **fields))
            else:
                for field, value in fields.items():
                    setattr(row, field, value)
                updated.append(row)
        if updated:
            rows.bulk_update(updated, ["version", "previous", "changed_at", "hard_at"])
        if created:
            rows.bulk_create(created)
    _last_read.update(changed)
    return changed


def seconds_since_last_change(names) -> float:
    """How long ago any of the scopes ``names`` last changed (infinite when not known): read
    with the request's versions (one read per request)."""
    if in_database():
        changed_at = max((state.changed_at for state in read(names).values()), default=0)
    else:
        changed_at = cache.get(LAST_CHANGE_KEY)
    return math.inf if not changed_at else time.time() - changed_at
