"""`make serve` is production: DEBUG off whatever a quick start's .env says, and the database,
cache and number of processes from the environment."""

import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from subprocess import Popen

import pytest

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def site_environment(settings: dict) -> dict:
    """This process's environment without the project's settings, plus ``settings``."""
    ours = ("DJANGO_", "DEBUG", "SECURE", "DATABASE_", "PYTEST", "SITE_URL")
    return {key: value for key, value in os.environ.items() if not key.startswith(ours)} | settings


def wait_until_healthy(port: int, process: Popen, log: Path, seconds: float) -> None:
    """Until the site at ``port`` answers /healthz; the log's end fails the test if the
    process stops or the time runs out first."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if get(f"http://127.0.0.1:{port}/healthz")[0] == 200:
                return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(log.read_text()[-3000:])
        time.sleep(0.3)


def processes_in_session(session: int, name: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_text().split("\0")
            # The shell that make starts for the recipe line names gunicorn too: left out.
            if os.getsid(int(entry.name)) == session and argv[0] != "/bin/sh":
                if any(name in arg for arg in argv[:2]):
                    found.append(int(entry.name))
        except (OSError, ProcessLookupError):
            continue
    return found


def test_make_serve_is_production_with_the_environments_database_and_workers(tmp_path):
    dotenv = tmp_path / ".env"  # what `make run` used to write: DEBUG=1 must not leak
    dotenv.write_text(f"DEBUG=1\nSECRET_KEY={secrets.token_urlsafe(50)}\n")
    database = tmp_path / "serve.sqlite3"
    port = free_port()
    env = site_environment(
        {
            "NEWSROOM_ENV_FILE": str(dotenv),
            "DATABASE_URL": f"sqlite:///{database}",
            "CACHE_URL": "locmemcache://serve-test",
            "STATIC_ROOT": str(tmp_path / "static"),  # collectstatic writes there, not the checkout
            "WEB_CONCURRENCY": "3",
            "SECURE": "0",  # plain HTTP on 127.0.0.1
            "PORT": str(port),
            "GUNICORN_REUSE_PORT": "0",
        }
    )
    log = (tmp_path / "serve.log").open("w")
    server = Popen(
        # The suite's own run installed the virtualenv and compiled the catalogues: compiling
        # them again would rewrite the .mo files other tests' processes are reading.
        ["make", "--assume-old=compilemessages", "--assume-old=.venv/.installed-stamp", "serve"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    try:
        wait_until_healthy(port, server, tmp_path / "serve.log", seconds=120)
        status, body = get(f"http://127.0.0.1:{port}/en/no-such-page/")
        assert status == 404
        assert "URLconf" not in body and "DEBUG = True" not in body  # no debug page
        # Printouts and emails give the address the site answers at (no SITE_URL set).
        assert f"http://127.0.0.1:{port}/en/no-such-page/" in body
        # The database is the one DATABASE_URL names: migrate created its tables.
        with sqlite3.connect(database) as db:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        assert "releases_release" in tables
        # A master and WEB_CONCURRENCY workers.
        assert len(processes_in_session(server.pid, "gunicorn")) == 1 + 3
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


def printed_setting(tmp_path, expression: str, dotenv: str = "", **environment) -> str:
    """What ``expression`` of the settings is in a new process with this .env and environment
    (and none of this one's site addresses)."""
    env_file = tmp_path / ".env"
    env_file.write_text(f"SECRET_KEY={secrets.token_urlsafe(50)}\n{dotenv}")
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SITE_URL", "LISTEN_URL", "NEWSROOM_ENV_FILE"))
    }
    return subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings; print({expression})"],
        cwd=ROOT,
        env=inherited
        | {"DJANGO_SETTINGS_MODULE": "newsroom.settings", "NEWSROOM_ENV_FILE": str(env_file)}
        | environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


@pytest.mark.parametrize(
    ("dotenv", "expected"),
    [
        ("", "http://127.0.0.1:8140"),
        ("SITE_URL=https://news.example.org\n", "https://news.example.org"),
    ],
)
def test_the_site_url_is_the_one_set_else_where_the_site_listens(tmp_path, dotenv, expected):
    """`make run PORT=8140` passes LISTEN_URL; a SITE_URL in .env (or the environment) wins."""
    found = printed_setting(
        tmp_path, "settings.SITE_URL", dotenv, LISTEN_URL="http://127.0.0.1:8140"
    )
    assert found == expected


def test_a_command_run_beside_make_serve_shares_the_servers_cache_namespace(tmp_path):
    """`make serve` passes LISTEN_URL; `manage.py shell` run by hand beside it does not: their
    caches must be the same, or the shell's changes would never reach the pages."""
    caches = "settings.CACHES['default']"
    redis = {"CACHE_URL": "redis://127.0.0.1:6379/7"}
    beside = printed_setting(tmp_path, caches, **redis)
    assert printed_setting(tmp_path, caches, LISTEN_URL="http://127.0.0.1:8001", **redis) == beside


def processes_of_session(session: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getsid(int(entry.name)) == session:
                    found.append(int(entry.name))
            except ProcessLookupError:
                continue
    return found


def test_the_quick_start_stops_whole_when_its_command_is_told_to(tmp_path):
    """`kill` of `manage.py run_quickstart` (not only Ctrl-C in its terminal) stops the
    development server, its autoreloader's child, the task worker and the dispatcher: they
    kept the port and sent alerts after it had gone."""
    dotenv = tmp_path / ".env"
    dotenv.write_text(f"SECRET_KEY={secrets.token_urlsafe(50)}\n")
    port = free_port()
    env = site_environment(
        {
            "DEBUG": "1",
            "NEWSROOM_ENV_FILE": str(dotenv),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'quick.sqlite3'}",
            "CACHE_URL": "locmemcache://quick-test",
            "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        }
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True)
    log = (tmp_path / "quick.log").open("w")
    quick = Popen(
        [*manage, "run_quickstart", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while len(processes_of_session(quick.pid)) < 5:  # itself, 2 helpers, server and child
            if quick.poll() is not None or time.monotonic() > deadline:
                pytest.fail((tmp_path / "quick.log").read_text()[-3000:])
            time.sleep(0.3)
        wait_until_healthy(port, quick, tmp_path / "quick.log", seconds=60)
        quick.send_signal(signal.SIGTERM)
        quick.wait(timeout=30)
        deadline = time.monotonic() + 15
        while processes_of_session(quick.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert processes_of_session(quick.pid) == []
        with pytest.raises(OSError):
            get(f"http://127.0.0.1:{port}/healthz")
    finally:
        try:
            os.killpg(quick.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        for pid in processes_of_session(quick.pid):
            os.kill(pid, signal.SIGKILL)
        log.close()
