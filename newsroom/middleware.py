"""Operations middleware: request ids in responses and logs, the client's address behind proxies,
and a friendly 503 instead of a traceback while the database is unreachable."""

import logging
import random
import re
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils import translation
from django.utils.cache import add_never_cache_headers

REQUEST_ID_HEADER = "X-Request-ID"
# An id from the load balancer is kept when it is a plain token; anything else is replaced.
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_current_request_id: ContextVar[str] = ContextVar("request_id", default="-")

request_logger = logging.getLogger("newsroom.request")
database_logger = logging.getLogger("newsroom.database")


def current_request_id() -> str:
    return _current_request_id.get()


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or, behind TRUSTED_PROXY_COUNT proxies that each
    append to X-Forwarded-For, the address the outermost trusted proxy saw. Entries further
    left were written by the client and are not trusted."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR")


class RequestIdLogFilter(logging.Filter):
    """Puts the current request's id on every log record."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            # Django logs a response's status ("Not Found: …") once every middleware is done,
            # after the id's context has ended: the request it passes along still knows it.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or current_request_id()
        return True


class RequestIdMiddleware:
    """Honours a well-formed X-Request-ID or makes one, echoes it in the response and writes
    one structured log line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        with identified(request) as request_id:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            log_request(request, response.status_code, started)
            return response


@contextmanager
def identified(request):
    """Gives ``request`` its id (the load balancer's X-Request-ID when it is a plain token, else
    a new one), which every log line written within the block carries."""
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    # Unique, not secret: random's generator (reseeded in each forked worker) spares the
    # system call of uuid4 on every request.
    request.request_id = (
        given if _VALID_REQUEST_ID.fullmatch(given) else f"{random.getrandbits(128):032x}"
    )
    token = _current_request_id.set(request.request_id)
    try:
        yield request.request_id
    finally:
        _current_request_id.reset(token)


def log_request(request, status: int, started: float) -> None:
    """The request's one log line (``started``: its ``time.monotonic()``)."""
    request_logger.info(
        "request",
        extra={
            "method": request.method,
            "path": request.path,
            "status": status,
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
            "client_ip": client_ip(request),
        },
    )


def database_unavailable_response(request) -> HttpResponse:
    """The 503 page, rendered without context processors (they would query the database); at
    an API address, the API's JSON error."""
    from formats.api_errors import error_answer, is_api_address

    if is_api_address(request):
        response = error_answer(request, 503)
    else:
        html = loader.get_template("503.html").render({"request": request, "exception": True})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = "30"
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """While the database is unreachable, pages answer 503 at once instead of a 500. Django
    reconnects on the next request (CONN_HEALTH_CHECKS), so the site recovers by itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        database_logger.error(
            "database unavailable",
            extra={"error": str(exception).strip()[:500], "path": request.path},
        )
        return database_unavailable_response(request)


def is_malformed(request) -> bool:
    """More parameters than ``DATA_UPLOAD_MAX_NUMBER_FIELDS``, an unreadable path, a header
    longer than ``MAX_HEADER_BYTES``: what no page can answer."""
    try:
        request.GET  # noqa: B018 (parsed now, or it raises later, inside a page or error page)
        request.COOKIES  # noqa: B018
        request.path_info.encode()
    except (SuspiciousOperation, UnicodeError, ValueError):
        return True
    limit = getattr(settings, "MAX_HEADER_BYTES", 8192)
    return any(
        len(value) > limit for name, value in request.META.items() if name.startswith("HTTP_")
    )


class MalformedRequestMiddleware:
    """Answers the site's 400 page at once for a request no page can read, instead of letting
    it raise wherever the query is first read. Sits after the security headers' middleware, so
    the 400 page carries them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_malformed(request):
            from newsroom.errors import bad_request

            # Before LocaleMiddleware: the page speaks the language its address names.
            language = translation.get_language_from_path(request.path_info)
            with translation.override(language or settings.LANGUAGE_CODE):
                return bad_request(request)
        return self.get_response(request)


class AdminStylePolicyMiddleware:
    """The admin's rich-text editor injects a <style> element without a nonce, so admin pages
    allow inline styles. Scripts stay strict everywhere; public pages allow no inline style.
    Sits after django-csp's middleware, which reads this in its process_response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + settings.ADMIN_URL.lstrip("/")

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.admin_prefix):
            response._csp_update = {"style-src": ["'unsafe-inline'"]}
        return response
