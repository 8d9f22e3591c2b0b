"""Faults injected between the real server and its services: Redis refused or stalled, the
database refused or stalled. The site stays up: cached pages and health checks keep answering,
uncached pages answer (or a quick 503), nothing hangs, and it recovers by itself.

Run with ``-s`` to see the table of what each page kind answered, how fast, and the recovery."""

import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest

from tests.conftest import SHARED_REDIS, TEST_REDIS_URL, redis_answers
from tests.faults import FaultProxy, free_port
from tests.servers import get, production_env, serve

pytestmark = [pytest.mark.postgres, pytest.mark.django_db, SHARED_REDIS]

PAGES = {
    "cached page": "/en/",
    "uncached page": "/en/search/?q=police{n}",
    "admin sign-in": "/admin/login/",
    "healthz": "/healthz",
    "readyz": "/readyz",
}
RESULTS: list[str] = []
THREADS = 2  # gunicorn threads of the one worker


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.db import connection

    if not redis_answers(TEST_REDIS_URL):
        pytest.skip(f"needs Redis at {TEST_REDIS_URL}")
    with django_db_blocker.unblock():  # an empty newsroom: nothing committed outlives the module
        database = connection.settings_dict
    redis = urlsplit(TEST_REDIS_URL)
    redis_proxy = FaultProxy((redis.hostname, redis.port or 6379))
    db_proxy = FaultProxy((database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)))
    static_root = tmp_path_factory.mktemp("static")
    log_path = tmp_path_factory.mktemp("logs") / "server.log"
    port = free_port()
    env = production_env(
        port,
        DATABASE_URL=f"postgres://{database['USER']}@127.0.0.1:{db_proxy.port}/{database['NAME']}",
        CACHE_URL=f"redis://127.0.0.1:{redis_proxy.port}{redis.path or '/0'}",
        STATIC_ROOT=str(static_root),
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS=str(THREADS),
        DATABASE_CONNECT_TIMEOUT="1",
        DATABASE_STATEMENT_TIMEOUT="1000",
        RECENT_CACHE_BYTES="0",
    )
    process, base = serve(env, log_path)
    yield {"url": base, "redis": redis_proxy, "db": db_proxy, "log": log_path, "database": database}
    process.terminate()
    process.wait(timeout=10)
    redis_proxy.close()
    db_proxy.close()
    if RESULTS:
        print("\n| fault | " + " | ".join(PAGES) + " | recovery |")  # noqa: T201 (the table of the closing note)
        print("|---" * (len(PAGES) + 2) + "|")  # noqa: T201 (the table of the closing note)
        print("\n".join(RESULTS))  # noqa: T201 (the table of the closing note)


_counter = iter(range(10**6))


def sweep(url) -> dict[str, tuple[int, float]]:
    """Each page kind once: (status, seconds)."""
    answers = {}
    for kind, path in PAGES.items():
        try:
            status, _, headers, elapsed = get(url + path.format(n=next(_counter)))
        except OSError:  # urllib's own 10 s timeout: the page hung
            status, headers, elapsed = 0, {}, 10.0
        answers[kind] = (status, elapsed, headers.get("Retry-After") if headers else None)
    return answers


def serves_from_cache(url) -> bool:
    """The cached page comes from the cache again (asked twice: the first may store it)."""
    return any(get(url + "/en/")[2].get("X-Newsroom-Cache") == "hit" for _ in range(2))


def recovery_time(url) -> float:
    """Seconds until every page kind answers 200 and the cache serves pages again."""
    started = time.monotonic()
    while time.monotonic() - started < 30:
        if all(answer[0] == 200 for answer in sweep(url).values()) and serves_from_cache(url):
            return time.monotonic() - started
        time.sleep(0.05)
    return float("inf")


def record(fault, answers, recovery):
    cells = [f"{status} in {elapsed * 1000:.0f} ms" for status, elapsed, _ in answers.values()]
    RESULTS.append(f"| {fault} | " + " | ".join(cells) + f" | {recovery:.2f} s |")


def warm(url):
    assert recovery_time(url) < 10


def test_a_refused_database_gives_quick_503s_while_cached_pages_and_liveness_answer(site):
    url, proxy = site["url"], site["db"]
    warm(url)
    proxy.close()
    try:
        answers = sweep(url)
        assert answers["cached page"][0] == 200 and answers["healthz"][0] == 200
        assert answers["uncached page"][0] == 503 and answers["readyz"][0] == 503
        assert answers["readyz"][2] is not None  # Retry-After
        assert all(elapsed < 3.0 for _, elapsed, _ in answers.values())
    finally:
        proxy.restore()
    record("database refused", answers, recovery_time(url))


def test_a_stalled_database_costs_each_request_at_most_the_statement_timeout(site):
    """A lock held on the releases table (a migration, a stuck transaction): PostgreSQL cuts
    every statement that waits on it at DATABASE_STATEMENT_TIMEOUT (1 s here), then 503."""
    import psycopg2

    url, database = site["url"], site["database"]
    warm(url)
    holder = psycopg2.connect(
        host=database["HOST"] or "127.0.0.1",
        port=database["PORT"] or 5432,
        user=database["USER"],
        dbname=database["NAME"],
    )
    try:
        with holder.cursor() as cursor:
            cursor.execute("LOCK TABLE releases_release IN ACCESS EXCLUSIVE MODE")
            answers = sweep(url)
        assert answers["cached page"][0] == 200 and answers["healthz"][0] == 200
        assert answers["uncached page"][0] == 503
        assert answers["uncached page"][1] < 3.0
    finally:
        holder.rollback()
        holder.close()
    record("database stalled (lock)", answers, recovery_time(url))


def test_a_database_stalled_on_the_network_costs_each_request_a_bounded_wait(site):
    """PostgreSQL never sees the statements (a partition, a frozen host): its statement timeout
    cannot cut them and the proxy's kernel keeps acknowledging, so only the web server's own
    deadline (statement timeout + 1 s for a reply, the connect timeout for a new connection)
    ends the wait. Threads are freed, so cached pages and liveness keep answering, and the
    workers open fresh connections once the database answers again."""
    url, proxy = site["url"], site["db"]
    warm(url)
    proxy.stall()
    try:
        answers = sweep(url)
        assert answers["cached page"][0] == 200 and answers["healthz"][0] == 200
        assert answers["healthz"][1] < 1.0 and answers["cached page"][1] < 1.0
        assert answers["uncached page"][0] == 503 and answers["readyz"][0] == 503
        assert answers["uncached page"][1] < 5.0
        # More uncached requests at once than the worker has threads: each ends with a 503
        # within the same bound, none waits for the stall to end.
        with ThreadPoolExecutor(max_workers=2 * THREADS) as pool:
            paths = [PAGES["uncached page"].format(n=next(_counter)) for _ in range(2 * THREADS)]
            crowd = list(pool.map(lambda path: get(url + path), paths))
        assert {status for status, *_ in crowd} == {503}
        assert max(elapsed for *_, elapsed in crowd) < 10.0
        assert get(url + "/healthz")[0] == 200
    finally:
        proxy.restore()
    record("database stalled (network)", answers, recovery_time(url))


@pytest.mark.parametrize("mode", ["close", "stall"])
def test_a_redis_outage_never_takes_the_site_down(site, mode):
    url, proxy = site["url"], site["redis"]
    warm(url)
    getattr(proxy, mode)()
    try:
        sweep(url)  # the first request pays one timeout; the back-off spares the next ones
        answers = sweep(url)
        for kind, (status, elapsed, _) in answers.items():
            assert status == 200, kind
            assert elapsed < 1.0, kind
    finally:
        proxy.restore()
    record(f"Redis {'refused' if mode == 'close' else 'stalled'}", answers, recovery_time(url))


def test_the_server_log_names_the_address_it_listens_at(site):
    """Each worker opens its own socket (reuse_port): the master's line still names it."""
    port = urlsplit(site["url"]).port
    assert f"Listening at: http://127.0.0.1:{port} (" in site["log"].read_text()
