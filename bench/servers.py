"""The servers `make bench` measures: the site and the plain Django site, both run by gunicorn
with newsroom/gunicorn.conf.py (the same workers × threads), and their memory."""

import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from common import (
    BASE,
    ENV,
    PLAIN_BASE,
    PLAIN_DATABASE_URL,
    PLAIN_PORT,
    PORT,
    PYTHON,
    ROOT,
    answers,
)

GUNICORN = str(Path(PYTHON).parent / "gunicorn")
# The plain site's environment: its own settings and database, the same gunicorn settings.
PLAIN_ENV = ENV | {
    "DJANGO_SETTINGS_MODULE": "bench.plain.settings",
    "PLAIN_DATABASE_URL": PLAIN_DATABASE_URL,
    "GUNICORN_BIND": f"127.0.0.1:{PLAIN_PORT}",
}


def _start(application: str, env: dict, port: int, ready_url: str) -> subprocess.Popen:
    if answers("127.0.0.1", port):
        # Each worker binds with SO_REUSEPORT: another server there would share the load.
        sys.exit(f"Something already answers on port {port}: stop it, or set BENCH_PORT.")
    # The end of what the server writes (gunicorn's messages, the site's log), kept by tail
    # to explain a server that stops answering: bounded, and in C, so that it costs little.
    log_path = Path(tempfile.mkstemp(prefix="bench-gunicorn-", suffix=".log")[1])
    with log_path.open("w") as log:
        tail = subprocess.Popen(
            ["tail", "-c", "20000"], stdin=subprocess.PIPE, stdout=log, stderr=log
        )
    server = subprocess.Popen(
        [GUNICORN, application, "-c", "newsroom/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=tail.stdin,
        stderr=tail.stdin,
    )
    tail.stdin.close()  # gunicorn holds the pipe now: tail writes when it exits
    server.log_path, server.tail = log_path, tail
    for _ in range(100):
        try:
            urllib.request.urlopen(ready_url, timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    sys.exit(f"gunicorn ({application}) did not start. {last_words(server)}")


def start_site(page_cache_seconds: int, cache_url: str | None = None) -> subprocess.Popen:
    """The site; ``cache_url`` replaces the bench cache (``dummycache://``: no cache at all)."""
    env = ENV | {"PAGE_CACHE_SECONDS": str(page_cache_seconds)}
    if cache_url is not None:
        env["CACHE_URL"] = cache_url
    return _start("newsroom.wsgi", env, PORT, f"{BASE}/healthz")


def start_plain() -> subprocess.Popen:
    return _start("bench.plain.wsgi", PLAIN_ENV, PLAIN_PORT, f"{PLAIN_BASE}/hello/")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)
    server.tail.wait(timeout=30)
    server.log_path.unlink(missing_ok=True)


def last_words(server: subprocess.Popen) -> str:
    """How ``server`` ended and the end of its log, once stopped if it still ran (the log is
    written out when it stops)."""
    ran = server.poll() is None
    if ran:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    try:
        server.tail.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    tail = server.log_path.read_text(errors="replace")
    # Request lines say little: what gunicorn and the site said otherwise.
    kept = [line for line in tail.splitlines() if '"newsroom.request"' not in line][-40:]
    how = "still ran (stopped now)" if ran else f"had exited with {server.returncode}"
    return f"gunicorn {how}; its log ends:\n" + "\n".join(kept)


def workers_rss_mb(master: int) -> list[float]:
    sizes = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) != master:
                continue
            status = (stat.parent / "status").read_text()
        except (OSError, IndexError):
            continue
        kilobytes = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
        sizes.append(round(kilobytes / 1024, 1))
    return sorted(sizes)
