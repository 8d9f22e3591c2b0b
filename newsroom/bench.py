"""The framework floor for ``make bench``: Django returning fixed bytes through the same stack.

Mounted only when ``NEWSROOM_BENCH`` is on (never in production by default)."""

from functools import lru_cache

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from pagecache.middleware import page_cache_exempt

LARGEST_FLOOR_PAGE = 1_000_000


@lru_cache(maxsize=16)
def _filler(size: int) -> bytes:
    head = b"<!doctype html><title>Hello</title><p>Hello, world.</p>"
    return head + b" " * max(0, size - len(head))


@page_cache_exempt
@require_GET
def floor(request):
    """``?bytes=N``: a hello-world page of N bytes, built once per size."""
    try:
        size = min(int(request.GET.get("bytes", "0")), LARGEST_FLOOR_PAGE)
    except ValueError:
        size = 0
    return HttpResponse(_filler(size))
