"""The production server for real: gunicorn with production settings on PostgreSQL, reached
through a TCP switch that can cut the database off and bring it back."""

import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsroom.logs import FLUSH_SECONDS
from tests.conftest import SHARED_REDIS, TEST_REDIS_URL, redis_answers
from tests.faults import FaultProxy, free_port
from tests.servers import ROOT, get, production_env, serve, start_gunicorn

# django_db: the server reads the test database, which is created only when a test asks for it.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db, SHARED_REDIS]


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.db import connection

    with django_db_blocker.unblock():
        database = connection.settings_dict
        switch = FaultProxy((database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)))
    static_root = tmp_path_factory.mktemp("static")
    log_path = tmp_path_factory.mktemp("logs") / "server.log"
    port = free_port()
    env = production_env(
        port,
        DATABASE_URL=f"postgres://{database['USER']}@127.0.0.1:{switch.port}/{database['NAME']}",
        STATIC_ROOT=str(static_root),
        STATICFILES_BACKEND="whitenoise.storage.CompressedManifestStaticFilesStorage",
        WEB_CONCURRENCY="1",
        CONN_MAX_AGE="60",
        # Every request reaches the database (a page served from the page cache would not
        # notice that the database is down: that is the point of the cache, not of this test).
        PAGE_CACHE_SECONDS="0",
    )
    process, base = serve(env, log_path)
    yield {"url": base, "switch": switch, "log": log_path}
    process.terminate()
    process.wait(timeout=10)
    switch.close()


def test_public_pages_answer_a_quick_friendly_503_while_the_database_is_down_and_recover(server):
    url, switch = server["url"], server["switch"]
    assert get(url + "/en/")[0] == 200  # a persistent connection is now open
    switch.close()
    try:
        for path in ["/en/", "/en/releases/", "/fr/campagnes/"]:
            status, body, headers, elapsed = get(url + path, **{"X-Request-ID": "outage-1"})
            assert status == 503, body
            assert elapsed < 1.0
            expected = (
                "temporairement indisponible" if "/fr/" in path else "temporarily unavailable"
            )
            assert expected.encode() in body
            assert b"Traceback" not in body and b"OperationalError" not in body
            assert headers["Retry-After"] == "30"
        assert get(url + "/readyz")[0] == 503
        assert get(url + "/healthz")[0] == 200
    finally:
        switch.restore()
    assert get(url + "/en/")[0] == 200
    assert get(url + "/readyz")[0] == 200
    outage = [line for line in log_lines(server) if line.get("request_id") == "outage-1"]
    assert any(line["message"] == "database unavailable" for line in outage)
    assert {line["level"] for line in outage} <= {"ERROR", "INFO"}


def log_lines(server) -> list[dict]:
    """What the server has logged, once its batched lines are out (``newsroom.logs``)."""
    time.sleep(2 * FLUSH_SECONDS + 0.2)
    return [
        json.loads(line) for line in server["log"].read_text().splitlines() if line.startswith("{")
    ]


def test_the_server_logs_json_lines_with_request_ids_and_no_traceback(server):
    status, _, headers, _ = get(server["url"] + "/en/", **{"X-Request-ID": "trace-serving"})
    assert headers["X-Request-ID"] == "trace-serving"
    ours = [line for line in log_lines(server) if line.get("request_id") == "trace-serving"]
    assert ours and ours[-1]["status"] == status and ours[-1]["logger"] == "newsroom.request"
    assert "Traceback" not in server["log"].read_text()


def test_static_files_are_fingerprinted_compressed_and_cached_for_a_year(server):
    _, body, _, _ = get(server["url"] + "/en/")
    start = body.index(b"/static/css/newsroom.")
    css_path = body[start : body.index(b'"', start)].decode()
    assert css_path.count(".") == 2  # newsroom.<hash>.css
    status, _, headers, _ = get(server["url"] + css_path, **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "max-age=315360000" in headers["Cache-Control"]
    assert "immutable" in headers["Cache-Control"]
    # Brotli too, precompressed at collectstatic (WhiteNoise with the brotli package).
    status, _, headers, _ = get(server["url"] + css_path, **{"Accept-Encoding": "br, gzip"})
    assert (status, headers["Content-Encoding"]) == (200, "br")


def listening_sockets(port: int) -> set[str]:
    """Inodes of the sockets listening on 127.0.0.1:``port`` (Linux's /proc/net/tcp)."""
    local = f"0100007F:{port:04X}"
    lines = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return {
        fields[9] for fields in map(str.split, lines) if fields[1] == local and fields[3] == "0A"
    }


def socket_inodes(pid: int) -> set[str]:
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            found.add(target[len("socket:[") : -1])
    return found


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's /proc")
def test_each_worker_listens_on_its_own_socket_so_connections_are_shared_out(tmp_path):
    """With one shared socket, a burst of keep-alive connections can all be accepted by one
    worker (one core's worth of service); with a socket per worker the kernel deals them out."""
    port = free_port()
    process = start_gunicorn(production_env(port, WEB_CONCURRENCY="2"), tmp_path / "server.log")
    try:
        deadline = time.monotonic() + 20
        workers: list[int] = []
        while time.monotonic() < deadline and len(workers) < 2:
            time.sleep(0.2)
            children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
            workers = [int(pid) for pid in children.read_text().split()]
        while time.monotonic() < deadline and len(listening_sockets(port)) < 2:
            time.sleep(0.2)
        listening = listening_sockets(port)
        assert len(listening) == 2, (tmp_path / "server.log").read_text()
        assert [len(socket_inodes(pid) & listening) for pid in workers] == [1, 1]
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.django_db(transaction=True)  # the server must see the demo: committed
@pytest.mark.parametrize("shared", ["per-process cache", "redis"])
def test_two_workers_see_a_change_from_manage_py_shell_at_once(tmp_path, shared):
    """The default local-memory cache belongs to one process; the versions live in the
    database, so a change made elsewhere is seen by every worker on its next request. On Redis,
    workers answer held pages before Django on one read of the epoch, which the change moves."""
    from django.core.management import call_command
    from django.db import connection

    call_command("load_demo", verbosity=0)
    database = connection.settings_dict
    port = free_port()
    env = production_env(
        port,
        DATABASE_URL=(
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        WEB_CONCURRENCY="2",
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
    )
    env.pop("CACHE_URL", None)
    if shared == "redis":
        if not redis_answers(TEST_REDIS_URL):
            if os.environ.get("NEWSROOM_REQUIRE_REDIS"):
                pytest.fail(f"no Redis at {TEST_REDIS_URL}, and NEWSROOM_REQUIRE_REDIS is set")
            pytest.skip(f"needs Redis at {TEST_REDIS_URL}")
        env |= {"CACHE_URL": TEST_REDIS_URL, "CACHE_KEY_PREFIX": secrets.token_hex(8)}
    log_path = tmp_path / "server.log"
    process = start_gunicorn(env, log_path)
    base = f"http://127.0.0.1:{port}"
    headline = b"National Police Week"
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if get(base + "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)

        def workers_answering(marker: str, rounds: int) -> tuple[set[int], list]:
            answers = []
            for n in range(rounds):
                status, body, headers, _ = get(
                    base + "/en/releases/", **{"X-Request-ID": f"{marker}-{n}"}
                )
                answers.append((status, headline in body, headers.get("X-Newsroom-Cache")))
            lines = log_lines({"log": log_path})
            pids = {
                line["process"]
                for line in lines
                if str(line.get("request_id", "")).startswith(marker)
            }
            return pids, answers

        pids, answers = workers_answering("before", 30)
        assert len(pids) == 2, "both workers answered"
        assert all(found for _, found, _ in answers), answers[:3]
        assert any(cache == "hit" for _, _, cache in answers)  # each worker holds the page

        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "from releases.models import Release; from releases.workflow import publishing; "
                "publishing.unpublish(release=Release.objects.get(), by=None, note='error')",
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
        pids, answers = workers_answering("after", 30)
        assert len(pids) == 2
        assert [found for _, found, _ in answers] == [False] * 30
    finally:
        process.terminate()
        process.wait(timeout=10)
