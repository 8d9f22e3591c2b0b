"""Where the generation lives: in the shared cache when it is shared (Redis), otherwise in one
row of the database (``pagecache.models.Generation``), because a per-process cache could not
tell the other processes of a change.

A process that cannot read the row (the database is down) keeps the generation it read last:
no change can be recorded while the database is unreachable, and cached pages keep answering.
"""

import logging
import math
import time
import uuid
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import DatabaseError

GENERATION_KEY = "newsroom:generation"
LAST_CHANGE_KEY = "newsroom:last-change"
ROW = 1

logger = logging.getLogger("newsroom.cache")
_last_read: list[str] = []
# The row (value, changed_at) as this request read it: the replica router asks for the last
# change and the page cache for the generation, and one read answers both. Outside
# ``one_read_per_request()`` nothing is kept, and every call reads the row.
_this_request: ContextVar[tuple[str, float] | None] = ContextVar("generation_row", default=None)
_in_request: ContextVar[bool] = ContextVar("generation_in_request", default=False)


@contextmanager
def one_read_per_request():
    """Within this block (a request), the generation's row is read at most once; a change the
    request makes itself (``bump()``) is what it reads afterwards."""
    scope, row = _in_request.set(True), _this_request.set(None)
    try:
        yield
    finally:
        _this_request.reset(row)
        _in_request.reset(scope)


def _remember(row: tuple[str, float]) -> None:
    if _in_request.get():
        _this_request.set(row)


def in_database() -> bool:
    """Whether the generation lives in the database (the cache is this process's own)."""
    return isinstance(caches["default"], LocMemCache)


def bump() -> str:
    """A new, never-used generation, recorded where every process reads it."""
    value, now = uuid.uuid4().hex, time.time()
    if in_database():
        from pagecache.models import Generation

        Generation.objects.using("default").update_or_create(
            pk=ROW, defaults={"value": value, "changed_at": now}
        )
        _remember((value, now))
    else:
        cache.set_many({GENERATION_KEY: value, LAST_CHANGE_KEY: now}, None)
        if cache.get(GENERATION_KEY) != value:
            logger.error(
                "cache invalidation not recorded: run `manage.py invalidate_caches` once the "
                "cache answers again"
            )
    return value


def _row(*, create: bool = True) -> tuple[str, float] | None:
    """The database row (value, changed_at), made on first use when ``create``; None when the
    database does not answer (or holds no row yet). Read once per request
    (``one_read_per_request()``)."""
    from pagecache.models import Generation

    found = _this_request.get()
    if found is not None:
        return found
    try:
        row = Generation.objects.using("default").filter(pk=ROW).values_list("value", "changed_at")
        found = row.first()
        if found is None and not create:
            return None
        if found is None:
            made = Generation.objects.using("default").get_or_create(
                pk=ROW, defaults={"value": uuid.uuid4().hex, "changed_at": time.time()}
            )[0]
            found = (made.value, made.changed_at)
    except DatabaseError:
        return None
    _remember(found)
    return found


def from_database() -> str:
    """The generation in the database row."""
    found = _row()
    if found is None:
        return _last_read[0] if _last_read else uuid.uuid4().hex
    _last_read[:] = [found[0]]
    return found[0]


def from_cache(value) -> str:
    """The generation read from the shared cache; a fresh one when the cache lost it (never an
    old value again)."""
    if value is None:
        value = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, value, None):
            value = cache.get(GENERATION_KEY) or value
    return value


def seconds_since_last_change() -> float:
    """How long ago the newsroom's data last changed (infinite when not known)."""
    if in_database():
        found = _row(create=False)
        changed_at = found[1] if found is not None else None
    else:
        changed_at = cache.get(LAST_CHANGE_KEY)
    return math.inf if changed_at is None else time.time() - changed_at
