"""The whole-page cache for anonymous readers and the HTTP caching headers of public pages."""

import hashlib
import time
from contextlib import ExitStack
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    get_max_age,
    has_vary_header,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date

from newsroom.middleware import is_malformed
from pagecache import caching, encoding
from pagecache import generation as generation_store

CACHE_STATUS_HEADER = "X-Newsroom-Cache"
# Pages kept and shared. A missing page too, briefly: readers refreshing a release's address
# before its minute are answered from the cache (it goes stale at the go-live like the rest).
STORED_STATUSES = {200: None, 404: 60}
# Recomputed for every response (or particular to one request), never replayed from the cache.
UNSTORED_HEADERS = frozenset(
    {
        "cache-control",
        "content-length",
        "date",
        "etag",
        "expires",
        "last-modified",
        "set-cookie",
        "x-request-id",
        "x-query-count",
        CACHE_STATUS_HEADER.lower(),
    }
)


def shared_although_noindex(view):
    """Let a view's responses be stored and shared although they say ``X-Robots-Tag: noindex``.

    For sitemaps, whose ``noindex`` tells search engines not to list the sitemap itself: it is
    no sign of private content (previews and files say ``private`` as well). Their pages cost
    about a second each at 100,000 releases, so they need the cache most."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    wrapped.page_cache_despite_noindex = True
    return wrapped


def depends_on(request, *scopes: str) -> None:
    """Say what the page being built shows (``pagecache.caching`` scopes), so that it is kept
    until one of them changes; a page that says nothing depends on every global scope.

    Call it before the queries the scopes cover: a scope not read at the request's start is
    read here, and what was read before it could miss a change made in between."""
    caching.read_scopes(scopes)
    request._page_cache_scopes = (*getattr(request, "_page_cache_scopes", ()), *scopes)


def page_cache_exempt(view):
    """Keep a view's responses out of the page cache (the view still sees every request)."""
    view.page_cache_exempt = True
    return view


def has_private_cookie(request) -> bool:
    """A session (staff, preview links) or pending messages: the reader sees a private page."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES


def may_see_shared_pages(request) -> bool:
    """An anonymous read outside the admin: the only requests a stored page may answer."""
    return (
        request.method in ("GET", "HEAD")
        and not request.path_info.startswith(f"/{settings.ADMIN_URL}")
        and not has_private_cookie(request)
    )


def known_query(request) -> list[tuple[str, str]]:
    """The query parameters some page reads (``PAGE_CACHE_QUERY_PARAMETERS``), in a fixed order:
    the rest (``utm_*``, cache busters) never changes a page and never makes a new key."""
    known = settings.PAGE_CACHE_QUERY_PARAMETERS
    return [
        (name, value)
        for name in sorted(request.GET)
        if name in known
        for value in request.GET.getlist(name)
    ]


def page_key(request) -> str:
    address = request.build_absolute_uri(request.path)
    return caching.key_for("page", f"{address}?{urlencode(known_query(request))}")


def is_canonical(request) -> bool:
    """A request whose every parameter is known: only its page is stored, so that a page kept
    for everyone never echoes a stranger's junk parameters (its language links carry them)."""
    return all(name in settings.PAGE_CACHE_QUERY_PARAMETERS for name in request.GET)


def conditional(request, response, *, etag: str, last_modified: int):
    """``response`` with its validators, or 304 Not Modified when the client holds it already."""
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = http_date(last_modified)
    return get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=response
    )


def language_prefixes() -> tuple[str, ...]:
    return tuple(f"/{code}/" for code, _ in settings.LANGUAGES)


def serves_stored_pages(request) -> bool:
    """A request a stored page may answer before the page's view is known: an anonymous read
    under a language prefix, where every public page lives (the others, sitemaps and
    robots.txt, are looked up once their view is known, so that a path never cached, a health
    check, costs no cache read)."""
    return (
        request.path_info.startswith(language_prefixes())
        and may_see_shared_pages(request)
        and caching.page_cache_seconds() > 0
        and not is_malformed(request)  # answered 400 further in
    )


class ServeStoredPageMiddleware:
    """Near the top of ``MIDDLEWARE``: answers an anonymous GET from the page cache before the
    rest of the stack runs, and stores the pages ``PublicPageCacheMiddleware`` (last in the
    stack) found shareable, with the headers the whole stack gave them.

    A hit so costs one cache read: the security headers, the language and the rest were worked
    out once, when the page was stored (``serves_stored_pages`` says which requests are looked
    up). Most hits never reach it: ``pagecache.wsgi`` answers them before Django's handler;
    this answers those it leaves (a page this process has not read with the current versions).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = language_prefixes()

    def __call__(self, request):
        with generation_store.one_read_per_request():
            return self.answer(request)

    def answer(self, request):
        if not serves_stored_pages(request):
            return self.build(request)
        key = page_key(request)
        generation, entry, verdict, stale_since = caching.lookup(key)
        request._page_cache_generation = generation
        if verdict == caching.FRESH:
            return replay(request, entry, generation)
        # One request builds the page; the others serve the previous copy for a moment, or
        # wait for the new one (no stampede after a change or at a go-live).
        building = caching.BuildLock(key)
        if not building.acquire():
            if verdict == caching.STALE and time.time() - stale_since <= caching.STALE_GRACE:
                return replay(request, entry, generation, status="stale")
            built = building.wait(generation)
            if built is not None:
                return replay(request, built, generation)
        elif (built := building.built_meanwhile(generation)) is not None:
            building.release()  # stored by the builder this request was slow to follow
            return replay(request, built, generation)
        try:
            return self.build(request)
        finally:
            building.release()

    def build(self, request):
        response = self.get_response(request)
        to_store = getattr(request, "_page_cache_to_store", None)
        if (
            to_store is not None
            and response.status_code in STORED_STATUSES
            and not response.cookies
            and is_canonical(request)
        ):
            unstored = UNSTORED_HEADERS
            if not request.path_info.startswith(self.prefixes):
                # Outside the language prefixes (robots.txt, sitemaps) LocaleMiddleware sets it
                # from this visitor's Accept-Language; the bytes do not depend on it.
                unstored |= {"content-language"}
            patch_vary_headers(response, ["Accept-Encoding"])
            copies = store(request, response, unstored=unstored, **to_store)
            return in_encoding(request, response, copies, to_store["etag"])
        return response


def in_encoding(request, response, copies: dict[str, bytes], etag: str):
    """``response`` as the copy its reader's ``Accept-Encoding`` asks for, if one was made."""
    coding = encoding.choose(request, copies)
    if coding is not None:
        response.content = copies[coding]
        response.headers["Content-Encoding"] = coding
        response.headers["Content-Length"] = str(len(response.content))
        response.headers["ETag"] = encoding.etag_for(etag, coding)
    return response


def store(
    request, response, *, unstored, generation, etag, last_modified, max_age, scopes
) -> dict[str, bytes]:
    """Keep the page, with its compressed copies (made here, once); returns the copies."""
    if caching.page_cache_seconds() <= 0:
        return {}
    # A missing page is small and may be any stranger's junk address: kept as it is, so that
    # a flood of them costs no compression.
    copies = encoding.compressed_copies(response.content) if response.status_code == 200 else {}
    stored = {
        "content": response.content,
        "encoded": copies,
        "headers": [
            (name, value) for name, value in response.items() if name.lower() not in unstored
        ],
        "etag": etag,
        "last_modified": last_modified,
        "max_age": max_age,
        "status": response.status_code,
    }
    lifetime = caching.page_cache_seconds()
    lifetime = min(lifetime, STORED_STATUSES[response.status_code] or lifetime)
    caching.write(page_key(request), generation, stored, lifetime, scopes)
    return copies


def stored_answer(request, entry, generation, status: str = "hit") -> tuple[int, list, bytes]:
    """A stored page as (status code, headers, body), in the encoding its reader asks for, with
    validators and a shared lifetime that ends when the entry does (none for a stale copy).
    Conditional requests are for ``replay``."""
    stored = entry.value
    copies = stored.get("encoded", {})
    coding = encoding.choose(request, copies)
    body = copies[coding] if coding else stored["content"]
    headers = list(stored["headers"])
    if coding:
        headers.append(("Content-Encoding", coding))
    remaining = int(entry.expires_at - time.time())
    shared = max(0, min(caching.shared_max_age(generation), remaining)) if status == "hit" else 0
    max_age = min(stored.get("max_age", 0), shared)
    headers += [
        # With its length, a proxy in front sends it whole, never chunked.
        ("Content-Length", str(len(body))),
        ("Cache-Control", f"public, max-age={max_age}, s-maxage={shared}"),
        (CACHE_STATUS_HEADER, status),
        ("ETag", encoding.etag_for(stored["etag"], coding)),
        ("Last-Modified", http_date(stored["last_modified"])),
    ]
    return stored.get("status", 200), headers, body


def is_conditional(request) -> bool:
    return any(name.startswith("HTTP_IF_") for name in request.META)


def replay(request, entry, generation, status: str = "hit"):
    """``stored_answer`` as a response, or 304 Not Modified when the reader holds it already."""
    code, headers, body = stored_answer(request, entry, generation, status)
    response = HttpResponse(body, status=code)
    for name, value in headers:
        response.headers[name] = value
    return get_conditional_response(
        request,
        etag=response.headers["ETag"],
        last_modified=entry.value["last_modified"],
        response=response,
    )


class PublicPageCacheMiddleware:
    """Serve anonymous GETs of public pages from the cache; mark every response for the caches
    in front of the server.

    A response is stored and shared when the request is anonymous (no session or messages
    cookie) and the response is a plain 200 that sets no cookie, varies on nothing but
    ``Accept-Encoding``/``Cookie``, has no ``X-Robots-Tag: noindex`` (previews, embargoed pages)
    and no ``Cache-Control`` of its own: a view that sets one (``never_cache`` on previews and
    health checks, say) keeps it and is never stored. Staff responses are ``private, no-store``.

    Shared responses carry ``Cache-Control: public, max-age=0, s-maxage=N``: browsers revalidate
    every time (a cheap 304 via ``ETag``/``Last-Modified``); caches in front keep the page for N
    seconds, never past the next go-live (``pagecache.caching``). It sits last in ``MIDDLEWARE``,
    where the view is known; ``ServeStoredPageMiddleware``, near the top, stores what it marks
    and answers later requests for it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        scope = ExitStack()
        request._generation_scope = scope
        with scope:
            response = self.get_response(request)
            if getattr(request, "_page_cache_hit", False):
                return response
            return self.finish(request, response)

    def process_view(self, request, view_func, view_args, view_kwargs):
        request._page_cache_public = self.is_public_request(request, view_func)
        request._page_cache_despite_noindex = getattr(
            view_func, "page_cache_despite_noindex", False
        )
        scope = getattr(request, "_generation_scope", None)
        if getattr(view_func, "page_cache_exempt", False):
            # No page is kept, and nothing is read now (health checks touch no cache); what the
            # view reads of the cache shares the generation its first read finds.
            if scope is not None:
                scope.enter_context(caching.request_generation(caching.FIRST_READ))
            return None
        generation = getattr(request, "_page_cache_generation", None)
        entry = None
        if generation is None:  # not looked up already by ServeStoredPageMiddleware
            if request._page_cache_public and caching.page_cache_seconds():
                generation, entry = caching.read(page_key(request))
                request._page_cache_generation = generation
            else:
                generation = caching.read_generation()
        # Before the view's first query: whatever it computes is kept under this generation.
        if scope is not None:
            scope.enter_context(caching.request_generation(generation))
        if entry is None:
            return None
        request._page_cache_hit = True
        return replay(request, entry, generation)

    def is_public_request(self, request, view_func) -> bool:
        return may_see_shared_pages(request) and not getattr(view_func, "page_cache_exempt", False)

    @staticmethod
    def declares_nothing_private(response) -> bool:
        """No ``Cache-Control`` of its own, or one that says ``public`` (a feed's) and nothing
        that forbids sharing."""
        if not response.has_header("Cache-Control"):
            return True
        directives = {part.split("=")[0].strip() for part in response["Cache-Control"].split(",")}
        return "public" in directives and not directives & {"private", "no-store", "no-cache"}

    @staticmethod
    def is_shareable(request, response) -> bool:
        vary_ok = all(
            not has_vary_header(response, header)
            for header in ("Accept-Language", "Authorization", "Origin", "User-Agent", "Accept")
        )
        return (
            response.status_code in STORED_STATUSES
            and not response.streaming
            and not response.cookies
            and PublicPageCacheMiddleware.declares_nothing_private(response)
            and (
                "noindex" not in response.get("X-Robots-Tag", "")
                or getattr(request, "_page_cache_despite_noindex", False)
            )
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and vary_ok
        )

    def finish(self, request, response):
        user = getattr(request, "user", None)
        if has_private_cookie(request) and user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True, no_store=True)
            return response
        if not getattr(request, "_page_cache_public", False):
            return response
        if not self.is_shareable(request, response):
            if "noindex" in response.get("X-Robots-Tag", "") and not response.has_header(
                "Cache-Control"
            ):
                patch_cache_control(response, private=True, no_store=True)
            return response

        # A view's own ETag is kept. The page is dated by when it is stored, never by the view:
        # a sitemap dating itself by its newest item would not move when an item leaves it (a
        # withdrawal), and a reader asking by date alone would keep the withdrawn item.
        etag = response.get("ETag") or (
            f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
        )
        now = int(timezone.now().timestamp())
        generation = getattr(request, "_page_cache_generation", None)
        patch_cache_control(
            response,
            public=True,
            max_age=get_max_age(response) or 0,
            # Bounded by the go-live the page's own reads knew of, not by one read now: a page
            # read just before a minute and answered just after it lacks that minute's release.
            s_maxage=caching.shared_max_age(generation),
        )
        response.headers[CACHE_STATUS_HEADER] = "miss"
        if request.method == "GET" and generation is not None:
            # Stored by ServeStoredPageMiddleware, once the whole stack has added its headers.
            request._page_cache_to_store = {
                "scopes": getattr(request, "_page_cache_scopes", None),
                "generation": generation,
                "etag": etag,
                "last_modified": now,
                "max_age": get_max_age(response) or 0,
            }
        return conditional(request, response, etag=etag, last_modified=now)


class QueryCountHeaderMiddleware:
    """Benchmark mode only (``NEWSROOM_BENCH=1``): ``X-Query-Count`` tells how many SQL queries
    the request ran. First in ``MIDDLEWARE``, so it counts the whole stack."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response.headers["X-Query-Count"] = str(count)
        return response
