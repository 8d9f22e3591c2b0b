"""Where the generation lives: in the shared cache when it is shared (Redis), otherwise in one
row of the database (``pagecache.models.Generation``), because a per-process cache could not
tell the other processes of a change.

A process that cannot read the row (the database is down) keeps the generation it read last:
no change can be recorded while the database is unreachable, and cached pages keep answering.
"""

import logging
import math
import threading
import time
import uuid

from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import DatabaseError

GENERATION_KEY = "newsroom:generation"
LAST_CHANGE_KEY = "newsroom:last-change"
ROW = 1

logger = logging.getLogger("newsroom.cache")
_last_read: list[str] = []
# The row as this thread read it last, and when: the replica router asks for the last change
# just after the request read the generation.
_just_read = threading.local()
JUST_READ_SECONDS = 0.5


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
    else:
        cache.set_many({GENERATION_KEY: value, LAST_CHANGE_KEY: now}, None)
        if cache.get(GENERATION_KEY) != value:
            logger.error(
                "cache invalidation not recorded: run `manage.py invalidate_caches` once the "
                "cache answers again"
            )
    return value


def from_database() -> str:
    """The generation in the database row (made on first use)."""
    from pagecache.models import Generation

    try:
        row = Generation.objects.using("default").filter(pk=ROW).values_list("value", "changed_at")
        found = row.first()
        if found is None:
            made = Generation.objects.using("default").get_or_create(
                pk=ROW, defaults={"value": uuid.uuid4().hex, "changed_at": time.time()}
            )[0]
            found = (made.value, made.changed_at)
    except DatabaseError:
        return _last_read[0] if _last_read else uuid.uuid4().hex
    _last_read[:] = [found[0]]
    _just_read.row = (*found, time.monotonic())
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
        from pagecache.models import Generation

        row = getattr(_just_read, "row", None)
        if row is not None and time.monotonic() - row[2] < JUST_READ_SECONDS:
            return time.time() - row[1]  # read by this request a moment ago: no second query
        try:
            changed_at = (
                Generation.objects.using("default")
                .filter(pk=ROW)
                .values_list("changed_at", flat=True)
                .first()
            )
        except DatabaseError:
            changed_at = None
    else:
        changed_at = cache.get(LAST_CHANGE_KEY)
    return math.inf if changed_at is None else time.time() - changed_at
