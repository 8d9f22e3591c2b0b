"""nginx in front of the warm server, configured with the block of docs/deployment.md ("nginx in
front"), read from the document itself so that the bench measures what the documentation says.
Only its paths and ports change; around it, Debian's default nginx.conf (its worker count,
sendfile, MIME types), with the logs and temporary files in a directory of its own, and one
more location serving saved page bodies from disk: the same bytes, with no proxy and no cache
behind them, as the ceiling to compare against."""

import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import golive
from common import (
    NGINX_BASE,
    NGINX_PORT,
    PORT,
    ROOT,
    ROUNDS,
    SECONDS,
    SOLO_SECONDS,
    alone,
    answers,
    load,
    median,
    say,
)

DOCUMENT = ROOT / "docs" / "deployment.md"
DISK_PREFIX = "/bench-disk/"
LATE = os.environ.get("BENCH_GOLIVE_NGINX_LATE", "0") == "1"

MAIN = """\
worker_processes auto;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 768; }}
http {{
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;

{documented}
}}
"""


def documented_block() -> str:
    """The ```nginx block that follows "nginx in front" in docs/deployment.md."""
    text = DOCUMENT.read_text()
    found = re.search(r"\*\*nginx in front\*\*.*?```nginx\n(.*?)```", text, re.DOTALL)
    if found is None:
        sys.exit(f"No nginx block after “nginx in front” in {DOCUMENT}")
    return found.group(1)


def configuration(tmp: Path) -> str:
    """The documented block with this machine's paths and ports, and the disk location."""
    block = documented_block()
    replacements = [
        ("/var/cache/nginx/newsroom", str(tmp / "cache")),
        ("/srv/newsroom/staticfiles/", f"{ROOT / 'staticfiles'}/"),
        ("http://127.0.0.1:8000", f"http://127.0.0.1:{PORT}"),
        (
            "# … listen, server_name, TLS …",
            f"listen 127.0.0.1:{NGINX_PORT};\n"
            f"    location {DISK_PREFIX} {{ alias {tmp / 'disk'}/; }}",
        ),
    ]
    for old, new in replacements:
        if old not in block:
            sys.exit(
                f"The nginx block of {DOCUMENT} changed: “{old}” is gone; update bench/nginx.py"
            )
        block = block.replace(old, new)
    return MAIN.format(tmp=tmp, documented=block)


def fetch(path: str) -> tuple[int, bytes, str, str]:
    """Status, body, X-Proxy-Cache and framing ("chunked" or "length") of ``path`` through
    nginx, asked for as wrk and the
    go-live client ask (no Accept-Encoding): the same variant of the page in nginx's cache
    (it varies on Accept-Encoding), so that priming it really primes what is measured."""
    connection = http.client.HTTPConnection("127.0.0.1", NGINX_PORT, timeout=30)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        framing = "chunked" if response.chunked else "length"
        return (
            response.status,
            response.read(),
            response.headers.get("X-Proxy-Cache", ""),
            framing,
        )
    finally:
        connection.close()


class Nginx:
    """Debian's nginx in the foreground, with its own configuration and directory."""

    def __init__(self, nginx: str):
        if answers("127.0.0.1", NGINX_PORT):
            sys.exit(f"Something already answers on port {NGINX_PORT}: set BENCH_NGINX_PORT.")
        self.tmp = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
        self.tmp.chmod(0o755)  # the workers run as nobody when the master is root
        (self.tmp / "disk").mkdir(mode=0o755)
        self.config = self.tmp / "nginx.conf"
        self.config.write_text(configuration(self.tmp))
        self.process = subprocess.Popen(
            [nginx, "-p", str(self.tmp), "-c", str(self.config), "-e", str(self.tmp / "error.log")]
            + ["-g", "daemon off;"],
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(50):
            if answers("127.0.0.1", NGINX_PORT):
                return
            if self.process.poll() is not None:
                sys.exit(f"nginx did not start: {self.process.stderr.read()}")
            time.sleep(0.1)
        self.stop()
        sys.exit("nginx did not start listening")

    def save_to_disk(self, path: str, name: str) -> tuple[str, int, str]:
        """Save the body nginx answers for ``path`` as a file it serves; returns the file's
        address, its size and X-Proxy-Cache."""
        _status, body, cache_status, _framing = fetch(path)
        file = self.tmp / "disk" / name
        file.write_bytes(body)
        file.chmod(0o644)
        return DISK_PREFIX + name, len(body), cache_status

    def cache_status(self, path: str) -> str:
        return fetch(path)[2]

    def errors(self) -> str:
        log = self.tmp / "error.log"
        return log.read_text()[-2000:] if log.exists() else ""

    def stop(self) -> None:
        self.process.send_signal(signal.SIGQUIT)  # graceful: the master stops its workers
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)


def measure(nginx_binary: str, wrk: str, pages: dict, with_golive: bool) -> dict:
    """For each page: nginx in front of the warm server, beside nginx serving the same bytes
    from disk, alternating, ROUNDS rounds of wrk; then the go-live scenario through nginx.

    The go-live release is scheduled before nginx starts (far enough ahead for the rows to run
    first), so that every copy nginx keeps was made knowing the minute, as when a release is
    scheduled ahead. With BENCH_GOLIVE_NGINX_LATE=1 it is scheduled after the rows instead, with
    the pages already in nginx's cache: a release scheduled less than s-maxage before its
    minute."""
    release = None
    if with_golive and not LATE:
        rows_seconds = len(pages) * (ROUNDS * 2 * (SECONDS + 0.5) + 2 * SOLO_SECONDS + 1) + 5
        release = golive.schedule_release(golive.LEAD + rows_seconds)
        golive.announce(release, "through nginx")
    server = Nginx(nginx_binary)
    rows = []
    try:
        say(f"nginx on 127.0.0.1:{NGINX_PORT} in front of the warm server ({server.config})")
        for name, path in pages.items():
            rows.append(measure_page(server, wrk, name, path))
        if with_golive and LATE:
            release = golive.schedule_release()
            golive.announce(release, "through nginx, scheduled after nginx kept the pages")
        label = "through nginx" + (", scheduled after nginx kept the pages" if LATE else "")
        scenario = golive.poll("127.0.0.1", NGINX_PORT, label, release) if release else None
        errors = server.errors()
    finally:
        server.stop()
    return {
        "rows": rows,
        "golive": scenario,
        "error_log": errors,
        "config": configuration(Path("$TMP")),
    }


def measure_page(server: Nginx, wrk: str, name: str, path: str) -> dict:
    disk_path, size, first_status = server.save_to_disk(path, re.sub(r"\W+", "-", name))
    proxied, disk = [], []
    statuses = [first_status, server.cache_status(path)]
    for number in range(ROUNDS):
        proxied.append(load(wrk, path, base=NGINX_BASE))
        disk.append(load(wrk, disk_path, base=NGINX_BASE))
        say(
            f"  nginx · {name} · round {number + 1}/{ROUNDS}: "
            f"{proxied[-1]['rps']:.0f} req/s proxied, {disk[-1]['rps']:.0f} from disk"
        )
    statuses.append(server.cache_status(path))
    framing = fetch(path)[3]
    # One connection: what a single reader waits, which 16 connections can hide.
    proxied_alone = alone(wrk, path, base=NGINX_BASE)["p50_ms"]
    disk_alone = alone(wrk, disk_path, base=NGINX_BASE)["p50_ms"]
    rps, disk_rps = median([r["rps"] for r in proxied]), median([r["rps"] for r in disk])
    return {
        "page": name,
        "path": path,
        "bytes": size,
        "rps": rps,
        "p99_ms": median([r["p99_ms"] for r in proxied]),
        "errors": sum(r["errors"] for r in proxied),
        "disk_rps": disk_rps,
        "disk_p99_ms": median([r["p99_ms"] for r in disk]),
        "ratio": round(rps / disk_rps, 2),
        "cache_statuses": statuses,
        "framing": framing,
        "p50_alone_ms": proxied_alone,
        "disk_p50_alone_ms": disk_alone,
    }
