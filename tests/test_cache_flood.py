"""A flood of distinct addresses against a real Redis bounded as docs/deployment.md says
(``maxmemory`` and its eviction policy), through the production server: Redis never grows past
its bound, and the pages readers keep asking for stay in the cache."""

import re
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.faults import free_port
from tests.servers import get, production_env, serve

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

MAXMEMORY = 4 * 1024 * 1024
SLACK = 64 * 1024
FLOOD = 1500
READ_EVERY = 25  # one reader's request among this many of the flood
READERS_PAGES = ["/en/", "/en/releases/"]


def documented_eviction_policy() -> str:
    text = (Path(__file__).resolve().parents[1] / "docs" / "deployment.md").read_text()
    return re.search(r"^maxmemory-policy (\S+)$", text, re.MULTILINE).group(1)


class RedisServer:
    """A redis-server of the test's own, on a free port, with no persistence."""

    def __init__(self, *arguments: str):
        self.port = free_port()
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no"]
            + list(arguments),
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while self.call("PING") != "PONG":
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def call(self, *command: str) -> str:
        result = subprocess.run(
            ["redis-cli", "-p", str(self.port), *command], capture_output=True, text=True
        )
        return result.stdout.strip()

    def info(self, section: str) -> dict[str, str]:
        lines = self.call("INFO", section).splitlines()
        return dict(line.split(":", 1) for line in lines if ":" in line)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def bounded_site(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.db import connection

    if not shutil.which("redis-server") or not shutil.which("redis-cli"):
        pytest.skip("needs redis-server and redis-cli")
    with django_db_blocker.unblock():  # an empty newsroom: nothing committed outlives the module
        database = connection.settings_dict
    policy = documented_eviction_policy()
    redis = RedisServer("--maxmemory", str(MAXMEMORY), "--maxmemory-policy", policy)
    port = free_port()
    env = production_env(
        port,
        DATABASE_URL=(
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        CACHE_URL=f"redis://127.0.0.1:{redis.port}/0",
        STATIC_ROOT=str(tmp_path_factory.mktemp("static")),
        WEB_CONCURRENCY="1",
        RECENT_CACHE_BYTES="0",  # every hit comes from Redis
    )
    process, base = serve(env, tmp_path_factory.mktemp("logs") / "server.log")
    yield base, redis
    process.terminate()
    process.wait(timeout=10)
    redis.stop()


def flood_addresses():
    """Distinct real pages (search queries, each stored) and junk parameters on every kind of
    page (never stored), with the readers' pages asked for now and then, as readers do."""
    junk_pages = ["/en/", "/en/releases/", "/en/feeds/releases.atom", "/en/search/?q=police"]
    for n in range(FLOOD):
        if n % READ_EVERY == 0:
            yield READERS_PAGES[(n // READ_EVERY) % len(READERS_PAGES)]
        elif n % 3:
            yield f"/en/search/?q=flood{n}"
        else:
            page = junk_pages[n % len(junk_pages)]
            yield page + ("&" if "?" in page else "?") + f"utm_campaign={n}&fbclid={n}"


def test_a_flood_of_distinct_addresses_stays_within_maxmemory_and_keeps_readers_pages(
    bounded_site,
):
    base, redis = bounded_site
    for path in READERS_PAGES:
        assert get(base + path)[0] == 200
    used = []

    def fetch(numbered):
        n, path = numbered
        status = get(base + path)[0]
        if n % 100 == 0:
            used.append(int(redis.info("memory")["used_memory"]))
        return status

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(fetch, enumerate(flood_addresses())))
    assert set(statuses) == {200}
    memory, stats = redis.info("memory"), redis.info("stats")
    used.append(int(memory["used_memory"]))
    assert int(stats["evicted_keys"]) > 0  # the flood did outgrow the bound
    # Redis evicts before it runs each write, so the write itself may pass the bound by its
    # own size (one stored page, a few kilobytes) until the next command evicts again.
    assert max(used) <= MAXMEMORY + SLACK
    assert int(memory["used_memory_peak"]) <= MAXMEMORY + SLACK
    for path in READERS_PAGES:
        assert get(base + path)[2]["X-Newsroom-Cache"] == "hit", path
