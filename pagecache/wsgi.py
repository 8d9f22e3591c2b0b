"""Stored pages answered before Django's request handling, at the WSGI level.

A warm page for an anonymous reader needs none of the framework's work: no middleware, no URL
resolution, no signals. ``StoredPageApplication`` wraps the site's WSGI application and answers
such a request itself when the page is stored and fresh; anything else (a miss, a stale copy,
a session, an unknown host, a malformed request) goes on to Django unchanged, where
``ServeStoredPageMiddleware`` and the rest decide as before.

Freshness costs one small read of the shared cache: the epoch (``generation.EPOCH_KEY``),
which every change of any scope replaces in the same transaction. While it is the one this
process read with every scope's version (``generation.settled()``), those versions are current, and
a page held in this process's memory is judged by them, so that a change made in any process
shows in every other at once. Where the versions live in the database (a per-process cache),
nothing is answered here.
"""

import logging
import time
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.handlers.wsgi import WSGIRequest
from django.db import connections

from newsroom.middleware import REQUEST_ID_HEADER, identified, log_request
from pagecache import backends, caching
from pagecache import generation as scope_store
from pagecache.middleware import (
    is_conditional,
    page_key,
    replay,
    serves_stored_pages,
    stored_answer,
)

logger = logging.getLogger("newsroom.cache")

# The scopes of their own (translation groups, campaigns) a process keeps with the settled
# versions, at most: pages of 100,000 releases would otherwise keep as many in every process.
MAX_SETTLED_SCOPES = 1000


def fresh_stored_page(key: str) -> tuple[caching.Generation, caching.Entry] | None:
    """The page under ``key`` and the versions it is fresh under, when this process can tell
    with one read of the epoch (with the page, when this process does not hold it); else None.

    Scopes a held page depends on beyond the global ones (a campaign's, a translation group's)
    are read in the same round trip, once, and kept with the settled versions."""
    found = scope_store.settled()
    if found is None:
        return None
    epoch, generation = found.epoch, caching.settled_generation(found)
    recent = caching.recent_entries()
    held = recent.shared(key) if recent is not None else None
    unread = [] if held is None else [n for n in held.versions if n not in generation.states]
    wanted = list(map(scope_store.key, unread))
    if held is None:
        wanted.append(key)
    fetched = backends.read_many(wanted, tracked=scope_store.EPOCH_KEY)
    if fetched.get(scope_store.EPOCH_KEY) != epoch:
        return None
    entry = held if held is not None else fetched.get(key)
    if not isinstance(entry, caching.Entry):
        return None
    if unread:
        states = {name: fetched.get(scope_store.key(name)) for name in unread}
        if not all(isinstance(state, scope_store.State) for state in states.values()):
            return None
        known = generation.states
        if len(known) >= MAX_SETTLED_SCOPES:  # one per release page read: start again
            known = {name: known[name] for name in caching.everything()}
        found = scope_store.settle(
            epoch, known | states, found.next_go_live, found.read_at, found.until
        )
        generation = caching.settled_generation(found)
    elif held is None and recent is not None:
        recent.set_many({key: entry})
    return (generation, entry) if generation.verdict(entry)[0] == caching.FRESH else None


class StoredPageApplication:
    """The site's WSGI application, with stored public pages answered before it."""

    def __init__(self, application):
        self.application = application
        self.counts_queries = "pagecache.middleware.QueryCountHeaderMiddleware" in (
            settings.MIDDLEWARE
        )

    def __call__(self, environ, start_response):
        started = time.monotonic()
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self.application(environ, start_response)
        # A copy: Django's request writes its own decoding of the path into the environ it is
        # given, which Django's handler would then fail to decode again (any path beyond Latin-1).
        request = WSGIRequest(environ.copy())
        try:
            found = fresh_stored_page(page_key(request)) if serves_stored_pages(request) else None
        except SuspiciousOperation:  # a host not allowed: Django's 400 page says so
            found = None
        except Exception:
            # Whatever went wrong here, Django answers: its own error handling and pages.
            logger.exception("stored page not answered", extra={"path": request.path})
            found = None
        if found is None:
            return self.application(environ, start_response)
        with identified(request) as request_id:
            if is_conditional(request):
                response = replay(request, found[1], found[0])
                code, headers = response.status_code, list(response.items())
                body = response.content
            else:
                code, headers, body = stored_answer(request, found[1], found[0])
            headers.append((REQUEST_ID_HEADER, request_id))
            if self.counts_queries:
                headers.append(("X-Query-Count", "0"))
            log_request(request, code, started)
        close_idle_connections()
        start_response(f"{code} {HTTPStatus(code).phrase}", headers)
        return [body]


def close_idle_connections() -> None:
    """``django.db.close_old_connections()``, which Django runs at the end of each request it
    handles (a thread answering only stored pages would otherwise hold its idle connection for
    ever), but never on a connection within a transaction (a test's): that one it would close
    for its autocommit being off."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
