"""Caches that never lie: one generation number for everything public, and lifetimes that end
before the next embargo lifts.

Every cached value derived from public content (whole pages, list counts, page positions, the
next go-live time) is stored with the *generation* that was current when its computation
started. Any change to the newsroom's data bumps the generation (``releases/signals.py``), which
makes every such value stale at once: invalidation happens in one place.

A lifetime never reaches past the next scheduled go-live (the earliest ``publish_at`` still in
the future), because at that instant the visibility rule lets a new release in and every list,
count and page changes. The moment is found with one indexed query, itself cached under the same
bound.

``QuerySet.update()``, ``bulk_create()`` and raw SQL send no signals: call ``invalidate()`` after
them.
"""

import hashlib
import math
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

GENERATION_KEY = "newsroom:generation"
NEXT_GO_LIVE_KEY = "newsroom:next-go-live"
DEFAULT_TIMEOUT = 600


def invalidate() -> None:
    """Make every cached public value stale (a new, never-used generation)."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def _generation(value: Any) -> str:
    """The current generation; a fresh one when the cache lost it (never an old value again)."""
    if value is None:
        value = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, value, None):
            value = cache.get(GENERATION_KEY) or value
    return value


def current_generation() -> str:
    return _generation(cache.get(GENERATION_KEY))


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


def read(key: str) -> tuple[str, Entry | None]:
    """The current generation and the fresh entry under ``key`` (or None), in one round trip."""
    found = cache.get_many([GENERATION_KEY, key])
    generation = _generation(found.get(GENERATION_KEY))
    entry = found.get(key)
    if (
        isinstance(entry, Entry)
        and entry.generation == generation
        and timezone.now().timestamp() < entry.expires_at
    ):
        return generation, entry
    return generation, None


def write(key: str, generation: str, value: Any, timeout: float) -> Entry | None:
    """Store ``value`` for at most ``timeout`` seconds and never past the next go-live."""
    lifetime = bounded_lifetime(timeout)
    if lifetime <= 0:
        return None
    entry = Entry(generation, timezone.now().timestamp() + lifetime, value)
    cache.set(key, entry, math.ceil(lifetime))
    return entry


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
    found = cache.get_many([GENERATION_KEY, *keys])
    generation = _generation(found.get(GENERATION_KEY))
    now = timezone.now().timestamp()
    values = {
        key: entry.value
        for key in keys
        if isinstance(entry := found.get(key), Entry)
        and entry.generation == generation
        and now < entry.expires_at
    }
    missing = [key for key in keys if key not in values]
    if missing:
        computed = compute_missing(missing)
        values.update(computed)
        lifetime = bounded_lifetime(timeout)
        if lifetime > 0:
            expires_at = timezone.now().timestamp() + lifetime
            cache.set_many(
                {key: Entry(generation, expires_at, value) for key, value in computed.items()},
                math.ceil(lifetime),
            )
    return values


def next_go_live() -> datetime | None:
    """When the next scheduled release becomes public (None when nothing is scheduled).

    Withdrawn releases count too: their pages appear in the archives at their time.
    """
    generation, entry = read(NEXT_GO_LIVE_KEY)
    if entry is not None:
        return entry.value
    from releases.models import Release, Status

    moment = (
        Release.objects.filter(
            status__in=[Status.PUBLISHED, Status.WITHDRAWN], publish_at__gt=timezone.now()
        )
        .order_by("publish_at")
        .values_list("publish_at", flat=True)
        .first()
    )
    lifetime = DEFAULT_TIMEOUT
    if moment is not None:
        lifetime = min(lifetime, (moment - timezone.now()).total_seconds())
    if lifetime > 0:
        cache.set(
            NEXT_GO_LIVE_KEY,
            Entry(generation, timezone.now().timestamp() + lifetime, moment),
            math.ceil(lifetime),
        )
    return moment


def bounded_lifetime(timeout: float) -> int:
    """``timeout`` cut short so that it ends before the next go-live; whole seconds, rounded
    down, so a value is never kept a fraction of a second too long."""
    moment = next_go_live()
    if moment is not None:
        timeout = min(timeout, (moment - timezone.now()).total_seconds())
    return max(0, math.floor(timeout))


def page_cache_seconds() -> int:
    """How long this server keeps a public page (0: the page cache is off)."""
    return getattr(settings, "PAGE_CACHE_SECONDS", DEFAULT_TIMEOUT)


def shared_max_age() -> int:
    """The ``s-maxage`` for caches in front (nginx, a CDN), which cannot be told of changes."""
    return bounded_lifetime(getattr(settings, "PAGE_CACHE_SHARED_MAX_AGE", 60))
