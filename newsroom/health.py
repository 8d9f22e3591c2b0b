"""Health checks for the load balancer and the orchestrator.

``/healthz`` (liveness) says the process answers: it touches neither the database nor the
cache, so an outage of either never gets the process restarted in a loop. ``/readyz``
(readiness) reports each dependency; it answers 503 with ``Retry-After`` while the database,
without which no uncached page can be served, does not answer. The cache is reported but never
makes the process unready: the site serves pages uncached without it."""

import json
import time

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from pagecache.middleware import page_cache_exempt

READY_KEY = "newsroom:readyz"


@page_cache_exempt
@never_cache
@require_safe
def healthz(request):
    """The process is up (it says nothing of the database or the cache)."""
    return HttpResponse("ok", content_type="text/plain")


def _timed(check) -> dict:
    started = time.monotonic()
    ok = check()
    return {"ok": ok, "ms": round((time.monotonic() - started) * 1000, 1)}


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def _cache_answers() -> bool:
    """A value written can be read back (a fail-safe cache answers a miss when it is down)."""
    token = str(time.monotonic_ns())
    cache.set(READY_KEY, token, 10)
    return cache.get(READY_KEY) == token


@page_cache_exempt
@never_cache
@require_safe
def readyz(request):
    """The process can serve pages: each dependency, with how long it took to answer."""
    checks = {"database": _timed(_database_answers), "cache": _timed(_cache_answers)}
    ready = checks["database"]["ok"]
    response = HttpResponse(
        json.dumps({"ready": ready, "checks": checks}),
        status=200 if ready else 503,
        content_type="application/json",
    )
    if not ready:
        response["Retry-After"] = "5"
    return response
