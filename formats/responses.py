"""Responses for machines: validators (ETag) and 304, a shared lifetime that ends before the
next embargo lifts (like the feeds'), and CORS for reads from any origin."""

import hashlib

from django.http import HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag
from django.utils.translation import gettext_lazy as _

from pagecache import caching

# As for feeds: short enough that a withdrawn release leaves shared caches within a minute.
MAX_AGE = 60
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
    "Access-Control-Expose-Headers": "ETag, Link, Retry-After",
    "Access-Control-Max-Age": "86400",
}


def allow_cors(response: HttpResponse) -> HttpResponse:
    for name, value in CORS_HEADERS.items():
        response.headers[name] = value
    return response


NO_PUBLIC_RELEASE = _("No public release is at this address.")


def json_refusal(status: int, message) -> HttpResponse:
    """A refusal a program reads: ``{"error": message}``, never the site's HTML page."""
    return JsonResponse({"error": str(message)}, status=status)


def preflight() -> HttpResponse:
    """The answer to a CORS preflight (a read that sends ``If-None-Match``)."""
    return allow_cors(HttpResponse(status=204))


def machine_response(request, content: bytes, content_type: str, **headers) -> HttpResponse:
    """``content`` with an ETag of its bytes, answered 304 when the reader has it already."""
    response = HttpResponse(content, content_type=content_type)
    etag = quote_etag(hashlib.sha256(content).hexdigest()[:32])
    response.headers["ETag"] = etag
    for name, value in headers.items():
        response.headers[name.replace("_", "-")] = value
    patch_cache_control(response, public=True, max_age=caching.bounded_lifetime(MAX_AGE))
    patch_vary_headers(response, ["Accept-Encoding"])
    allow_cors(response)
    return get_conditional_response(request, etag=etag, response=response)
