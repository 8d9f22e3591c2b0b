"""Stored pages answered before Django's request handling (issue 18, point 7): a fresh stored
page costs one read of the epoch, no middleware, no signal, no query; anything the fast path
cannot vouch for goes on to Django, which answers as before."""

import io
import logging
import os
import sys
import time
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import redis as redis_client
import time_machine
from django.core import signals
from django.core.cache import cache, caches
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client

from pagecache import backends, caching
from pagecache import generation as scope_store
from pagecache.backends import cache_settings
from pagecache.middleware import CACHE_STATUS_HEADER
from pagecache.wsgi import StoredPageApplication
from releases.workflow import publishing
from tests.conftest import SHARED_REDIS, TEST_REDIS_URL, redis_answers
from tests.factories import make_organisation, make_release
from tests.faults import FaultProxy

pytestmark = SHARED_REDIS  # most of its tests read production's shared cache

LIST = "/en/releases/"
# Recomputed for every answer, whichever path gives it.
PER_ANSWER = {"date", "x-request-id", "x-newsroom-cache"}


@pytest.fixture
def redis(settings):
    """Production's shared cache (the fast path answers from nothing else)."""
    if not redis_answers(TEST_REDIS_URL):
        if os.environ.get("NEWSROOM_REQUIRE_REDIS"):
            pytest.fail(f"no Redis at {TEST_REDIS_URL}, and NEWSROOM_REQUIRE_REDIS is set (CI)")
        pytest.skip(f"needs Redis at {TEST_REDIS_URL}")
    settings.CACHES = {"default": cache_settings(TEST_REDIS_URL)}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def handled(monkeypatch):
    """The requests that reached Django's handler (which sends ``request_started``)."""
    seen = []

    def note(sender, environ, **kwargs):
        seen.append(environ["PATH_INFO"])

    signals.request_started.connect(note)
    yield seen
    signals.request_started.disconnect(note)


class Answer:
    def __init__(self, status: str, headers: list, body: bytes):
        self.status_code = int(status.split()[0])
        self.headers = {name.lower(): value for name, value in headers}
        self.body = body


def call(path: str, **headers) -> Answer:
    """One request through the site's WSGI application, as gunicorn makes it."""
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    } | {f"HTTP_{name.upper()}": value for name, value in headers.items()}
    started = {}

    def start_response(status, response_headers, exc_info=None):
        started.update(status=status, headers=response_headers)

    application = StoredPageApplication(WSGIHandler())
    # As Django's test client does: the test's connection stays open across requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        result = application(environ, start_response)
        body = b"".join(result)
        if hasattr(result, "close"):
            result.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return Answer(started["status"], started["headers"], body)


@pytest.mark.django_db
def test_a_stored_page_is_answered_before_django_exactly_as_django_answers_it(
    redis, handled, django_assert_num_queries
):
    make_organisation()
    make_release(headline="Kept and served")
    first = call(LIST)  # built by Django, and read with every scope's version
    through_django = Client().get(LIST)
    handled.clear()

    with django_assert_num_queries(0):
        fast = call(LIST)

    assert handled == []  # no middleware, no view, no signal
    assert fast.status_code == 200 and fast.headers[CACHE_STATUS_HEADER.lower()] == "hit"
    assert first.headers[CACHE_STATUS_HEADER.lower()] == "miss"
    assert fast.body == through_django.content
    django_headers = {
        name.lower(): value
        for name, value in through_django.items()
        if name.lower() not in PER_ANSWER
    }
    assert {k: v for k, v in fast.headers.items() if k not in PER_ANSWER} == django_headers
    assert len(fast.headers["x-request-id"]) == 32


@pytest.mark.django_db
def test_a_change_shows_at_once_on_the_fast_path(redis, handled):
    make_organisation()
    make_release(headline="Already out")
    call(LIST)
    assert call(LIST).headers[CACHE_STATUS_HEADER.lower()] == "hit"

    make_release(headline="Published since")  # the epoch changes with the scopes
    handled.clear()
    answer = call(LIST)

    assert handled == [LIST]
    assert b"Published since" in answer.body
    assert answer.headers[CACHE_STATUS_HEADER.lower()] == "miss"


@pytest.mark.django_db
def test_a_withdrawal_made_elsewhere_is_never_answered_from_the_fast_path(redis, editor):
    make_organisation()
    release = make_release(headline="Withdrawn in a moment")
    call(LIST)
    assert b"Withdrawn in a moment" in call(LIST).body

    publishing.withdraw(release=release, by=editor, reason="Sent in error.")

    assert b"Withdrawn in a moment" not in call(LIST).body


@pytest.mark.django_db
def test_once_a_go_live_has_come_django_answers_until_its_scopes_are_bumped(redis, handled, now):
    make_organisation()
    make_release(headline="Earlier news")
    scheduled = make_release(headline="Embargo lifted", publish_at=now + timedelta(minutes=5))
    with time_machine.travel(scheduled.publish_at - timedelta(seconds=3), tick=False):
        call(LIST)
        assert call(LIST).headers[CACHE_STATUS_HEADER.lower()] == "hit"

    handled.clear()
    with time_machine.travel(scheduled.publish_at + timedelta(seconds=2), tick=False):
        answer = call(LIST)
        assert handled == [LIST]  # the first after the minute goes to Django, which bumps
        call(LIST)  # reads the new versions whole
        handled.clear()
        again = call(LIST)

    assert b"Embargo lifted" in answer.body and b"Embargo lifted" in again.body
    assert handled == [] and again.headers[CACHE_STATUS_HEADER.lower()] == "hit"


@pytest.mark.django_db
def test_a_page_with_scopes_of_its_own_is_answered_fast_once_they_are_read(redis, handled):
    make_organisation()
    release = make_release(headline="A page of its own")
    path = release.get_absolute_url()
    call(path)  # built
    call(path)  # held by this process, its group's scope read with the epoch
    handled.clear()

    answer = call(path)

    assert handled == []
    assert answer.headers[CACHE_STATUS_HEADER.lower()] == "hit"
    assert b"A page of its own" in answer.body


@pytest.mark.django_db
def test_requests_the_fast_path_cannot_vouch_for_go_on_to_django(redis, handled):
    make_organisation()
    make_release(headline="Public")
    call(LIST)
    call(LIST)
    handled.clear()

    call(LIST, cookie="sessionid=abc")  # a session: staff or a preview link
    call(LIST, host="elsewhere.example")  # not an allowed host: Django's 400
    bad_host = call(LIST, host="elsewhere.example")

    assert handled == [LIST, LIST, LIST]
    assert bad_host.status_code == 400


@pytest.mark.django_db
def test_conditional_requests_get_304_on_the_fast_path(redis, handled):
    make_organisation()
    make_release()
    call(LIST)
    etag = call(LIST).headers["etag"]
    handled.clear()

    answer = call(LIST, if_none_match=etag)

    assert handled == []
    assert answer.status_code == 304 and answer.body == b""


@pytest.mark.django_db
def test_every_fast_answer_writes_its_request_log_line(redis, caplog):
    make_organisation()
    make_release()
    call(LIST)
    caplog.set_level(logging.INFO, logger="newsroom.request")
    caplog.clear()

    answer = call(LIST, x_request_id="from-the-balancer-1")

    assert answer.headers["x-request-id"] == "from-the-balancer-1"
    (record,) = [r for r in caplog.records if r.name == "newsroom.request"]
    assert (record.method, record.path, record.status) == ("GET", LIST, 200)
    assert record.request_id == "from-the-balancer-1"


@pytest.mark.django_db
def test_with_a_per_process_cache_every_request_goes_to_django(handled):
    make_organisation()
    make_release()
    call(LIST)
    handled.clear()

    answer = call(LIST)

    assert handled == [LIST]  # the versions live in the database: Django reads them
    assert answer.headers[CACHE_STATUS_HEADER.lower()] == "hit"


@pytest.mark.django_db
def test_while_redis_refuses_pages_come_from_the_database(redis, settings, handled):
    make_organisation()
    make_release(headline="Still readable")
    call(LIST)
    call(LIST)
    settings.CACHES = {"default": cache_settings("redis://127.0.0.1:9/0")}  # nothing listens

    answer = call(LIST)

    assert answer.status_code == 200 and b"Still readable" in answer.body
    assert answer.headers[CACHE_STATUS_HEADER.lower()] == "miss"


@pytest.mark.django_db
def test_a_process_keeps_a_bounded_number_of_scopes_of_their_own(redis, monkeypatch):
    from pagecache import wsgi

    monkeypatch.setattr(wsgi, "MAX_SETTLED_SCOPES", len(caching.everything()) + 2)
    make_organisation()
    paths = [make_release(headline=f"Page {n}").get_absolute_url() for n in range(4)]
    for path in paths * 2:
        call(path)
        call(path)

    epoch, generation = caching.settled()
    assert len(generation.states) <= wsgi.MAX_SETTLED_SCOPES + 1
    assert set(caching.everything()) <= set(generation.states)


@pytest.mark.django_db
def test_a_connection_redis_closed_while_idle_is_replaced_without_a_back_off(redis, handled):
    """Redis closes idle connections (its ``timeout``, a restart): the next request opens a
    new one, rather than counting Redis as down for two seconds."""
    make_organisation()
    make_release(headline="Kept")
    call(LIST)
    call(LIST)
    connection = backends._own.connection
    connection.send_command("CLIENT", "ID")
    own_id = connection.read_response()
    redis_client.Redis.from_url(TEST_REDIS_URL).execute_command("CLIENT", "KILL", "ID", own_id)
    handled.clear()

    answer = call(LIST)

    assert handled == [] and answer.headers[CACHE_STATUS_HEADER.lower()] == "hit"
    assert getattr(caches["default"], "down_until", 0) < time.monotonic()


@pytest.mark.django_db
def test_versions_read_earlier_in_a_request_never_settle_with_a_later_epoch(redis, handled, now):
    """A request that reads twice (a 404 page reads the organisation after the page lookup) must
    not pair the epoch of its second read with what its first read knew of the next go-live:
    a release scheduled in between would then be missing after its minute."""
    make_organisation()
    make_release(headline="Earlier news")
    call(LIST)
    call(LIST)
    with scope_store.one_read_per_request():
        caching.lookup(caching.key_for("page", "a missing page"))
        elsewhere = scope_store._this_request.set(None)  # another process schedules one
        scheduled = make_release(headline="Embargo lifted", publish_at=now + timedelta(minutes=5))
        scope_store._this_request.reset(elsewhere)
        caching.read_generation()  # the second read of the same request
    call(LIST)
    call(LIST)

    with time_machine.travel(scheduled.publish_at + timedelta(seconds=30), tick=False):
        answer = call(LIST)

    assert b"Embargo lifted" in answer.body


@pytest.mark.django_db
def test_settled_versions_are_trusted_for_a_minute_at_most(redis, handled):
    make_organisation()
    make_release()
    call(LIST)
    call(LIST)
    assert caching.settled() is not None

    with time_machine.travel(time.time() + scope_store.SETTLED_SECONDS + 1, tick=False):
        assert caching.settled() is None
        handled.clear()
        call(LIST)

    assert handled == [LIST]  # a full read, which settles anew


@pytest.mark.django_db
def test_a_fault_on_the_fast_path_leaves_the_request_to_django(redis, monkeypatch, caplog):
    from pagecache import wsgi

    make_organisation()
    make_release(headline="Still answered")
    call(LIST)

    def broken(key):
        raise RuntimeError("a bug")

    monkeypatch.setattr(wsgi, "fresh_stored_page", broken)
    answer = call(LIST)

    assert answer.status_code == 200 and b"Still answered" in answer.body
    assert any(r.message == "stored page not answered" for r in caplog.records)


@pytest.fixture
def commands(monkeypatch):
    """The commands this thread's hot-path connection sends to Redis."""
    sent = []
    original = redis_client.connection.Connection.send_command

    def counted(connection, *args, **kwargs):
        sent.append(args[0])
        return original(connection, *args, **kwargs)

    monkeypatch.setattr(redis_client.connection.Connection, "send_command", counted)
    return sent


@pytest.mark.django_db
def test_a_warm_page_costs_no_round_trip_until_redis_tells_of_a_change(
    redis, handled, commands, settings
):
    """Redis tracks the epoch for the thread that read it and pushes word of any change on its
    connection: until then, a page this process holds is answered with no command sent."""
    make_organisation()
    make_release(headline="Kept")
    settings.PAGE_CACHE_EPOCH_TRUST = 5.0  # longer than the test: only word of a change counts
    for _ in range(3):
        call(LIST)
    handled.clear()
    commands.clear()

    answers = [call(LIST) for _ in range(3)]

    assert handled == [] and commands == []
    assert {answer.headers[CACHE_STATUS_HEADER.lower()] for answer in answers} == {"hit"}

    # Another process's change, as a bump writes it (in a transaction), without its wait.
    cache.set_many({scope_store.EPOCH_KEY: "moved elsewhere"}, None)
    time.sleep(0.05)
    call(LIST)
    assert handled == [LIST]  # word came: the epoch was read again, and it had moved


@pytest.mark.django_db
def test_the_epoch_is_read_again_once_its_trust_has_passed(redis, handled, commands, settings):
    make_organisation()
    make_release()
    settings.PAGE_CACHE_EPOCH_TRUST = 1.0
    for _ in range(3):
        call(LIST)
    commands.clear()
    call(LIST)
    assert "GET" not in commands

    time.sleep(1.05)
    call(LIST)

    assert "GET" in commands


@pytest.fixture
def hot_path_through(monkeypatch, redis):
    """This thread's hot-path connection to Redis goes through a fault proxy; every other
    connection (the writer's, Django's) goes straight to Redis."""
    proxy = FaultProxy(("127.0.0.1", urlsplit(TEST_REDIS_URL).port or 6379))
    original = backends._own_connection

    def through_proxy(pool):
        port = pool.connection_kwargs["port"]
        pool.connection_kwargs["port"] = proxy.port
        try:
            return original(pool)
        finally:
            pool.connection_kwargs["port"] = port

    monkeypatch.setattr(backends, "_own_connection", through_proxy)
    monkeypatch.setattr(backends, "_own", backends._OwnConnection())
    yield proxy
    proxy.close()


@pytest.mark.django_db(transaction=True)  # the commit's invalidation is the one that waits
def test_a_withdrawal_is_never_answered_once_it_has_returned_even_over_a_cut_line(
    hot_path_through, editor, settings
):
    """Word of the change cannot reach this worker (a line cut silently): the change waits out
    the trust of every value read before it, and the worker, unable to read the epoch again,
    leaves the page to Django."""
    make_organisation()
    release = make_release(headline="Withdrawn while the line is down")
    for _ in range(3):
        call(LIST)
    settings.PAGE_CACHE_EPOCH_TRUST = 0.5  # longer than the withdrawal takes to record
    assert b"Withdrawn while the line is down" in call(LIST).body
    hot_path_through.stall()

    publishing.withdraw(release=release, by=editor, reason="Sent in error.")

    assert b"Withdrawn while the line is down" not in call(LIST).body


@pytest.mark.django_db
def test_without_client_side_tracking_the_epoch_is_read_for_every_page(
    redis, handled, commands, monkeypatch
):
    """Before Redis 6 (or where a proxy refuses it), the fast path reads the epoch each time."""
    original = redis_client.connection.Connection.send_command

    def refusing(connection, *args, **kwargs):
        if args[:2] == ("CLIENT", "TRACKING"):
            raise redis_client.exceptions.ResponseError("unknown subcommand 'TRACKING'")
        return original(connection, *args, **kwargs)

    monkeypatch.setattr(redis_client.connection.Connection, "send_command", refusing)
    monkeypatch.setattr(backends, "_own", backends._OwnConnection())
    make_organisation()
    make_release(headline="Still fast")
    for _ in range(3):
        call(LIST)
    handled.clear()

    answer = call(LIST)
    make_release(headline="And current")
    after = call(LIST)

    assert handled == [LIST] and answer.headers[CACHE_STATUS_HEADER.lower()] == "hit"
    assert b"And current" in after.body


@pytest.mark.postgres  # Django never closes SQLite's in-memory test database
@pytest.mark.django_db(transaction=True)
def test_a_thread_answering_only_stored_pages_closes_its_connection_once_it_is_too_old(redis):
    """Django closes a connection older than ``CONN_MAX_AGE`` when a request it handles ends;
    a thread that only answers stored pages never gets there, and would keep an idle
    connection open on PostgreSQL for as long as the worker lives."""
    from django.db import connection

    make_organisation()
    make_release(headline="Kept and served")
    call(LIST)
    assert call(LIST).headers[CACHE_STATUS_HEADER.lower()] == "hit"
    connection.ensure_connection()
    connection.close_at = time.monotonic() + 60  # CONN_MAX_AGE not reached: kept
    assert call(LIST).headers[CACHE_STATUS_HEADER.lower()] == "hit"
    assert connection.connection is not None
    connection.close_at = time.monotonic() - 1  # past it
    assert call(LIST).headers[CACHE_STATUS_HEADER.lower()] == "hit"
    assert connection.connection is None


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/“", "/en/topics/😀/", "/en/releases/a-link-cut-short…"])
def test_an_address_beyond_latin_1_gets_the_not_found_page(handled, path):
    """gunicorn passes the path's bytes decoded as Latin-1, as WSGI says; Django's request on
    the fast path must not leave its own decoding in the environ Django reads after it."""
    make_organisation()
    as_gunicorn_passes_it = path.encode().decode("latin-1")

    answer = call(as_gunicorn_passes_it)

    assert answer.status_code == 404
    assert handled == [as_gunicorn_passes_it]
