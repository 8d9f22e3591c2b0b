"""What every part of `make bench` shares: settings from the environment, the server's
environment, progress lines and wrk."""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
COUNT = int(os.environ.get("BENCH_COUNT", "100000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "3"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SOLO_SECONDS = int(os.environ.get("BENCH_SOLO_SECONDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
PLAIN_PORT = int(os.environ.get("BENCH_PLAIN_PORT", str(PORT + 1)))
NGINX_PORT = int(os.environ.get("BENCH_NGINX_PORT", str(PORT + 3)))
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_bench"
)
PLAIN_DATABASE_URL = os.environ.get(
    "BENCH_PLAIN_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/plain_bench"
)
BASE = f"http://127.0.0.1:{PORT}"
PLAIN_BASE = f"http://127.0.0.1:{PLAIN_PORT}"
NGINX_BASE = f"http://127.0.0.1:{NGINX_PORT}"
STARTED = time.monotonic()


def say(text: str) -> None:
    """A progress line, with the seconds since the start."""
    print(f"[{time.monotonic() - STARTED:5.0f} s] {text}", flush=True)


def answers(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((host, port)) == 0


def cache_url() -> str:
    if "BENCH_CACHE_URL" in os.environ:
        return os.environ["BENCH_CACHE_URL"]
    return "redis://127.0.0.1:6379/8" if answers("127.0.0.1", 6379) else "locmemcache://bench"


ENV = os.environ | {
    "SECRET_KEY": "bench-only-not-secret",
    "DEBUG": "0",
    "SECURE": "0",  # plain HTTP on 127.0.0.1
    "DATABASE_URL": DATABASE_URL,
    "CACHE_URL": cache_url(),
    "NEWSROOM_BENCH": "1",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "GUNICORN_BIND": f"127.0.0.1:{PORT}",
}


def manage(*args: str) -> str:
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=ENV,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def ensure_package(command: str) -> str:
    """The path of ``command``, installing its Debian package (same name) when missing."""
    if shutil.which(command):
        return shutil.which(command)
    if os.geteuid() == 0:
        say(f"Installing {command} (Debian package)…")
        subprocess.run(["apt-get", "install", "-y", "-qq", command], check=True)
        return shutil.which(command)
    sys.exit(
        f"{command} is missing: run `sudo apt-get install {command}`, then `make bench` again."
    )


def cycling_script(paths: list[str]) -> Path:
    """A wrk script that asks for ``paths`` in turn, each thread from its own place, starting at
    the offset given after ``--`` (so that two runs need not meet the same addresses)."""
    quoted = ",\n".join(json.dumps(path) for path in paths)
    script = Path(tempfile.mkdtemp(prefix="bench-")) / "cycle.lua"
    script.write_text(
        f"paths = {{\n{quoted}\n}}\n"
        "local threads = 0\n"
        "function setup(thread)\n"
        "  thread:set('thread_start', threads * 1000)\n"
        "  threads = threads + 1\n"
        "end\n"
        "function init(args)\n"
        "  counter = (tonumber(args[1]) or 0) + (thread_start or 0)\n"
        "end\n"
        "function request()\n"
        "  counter = counter + 1\n"
        "  return wrk.format(nil, paths[(counter % #paths) + 1])\n"
        "end\n"
    )
    return script


def to_ms(text: str) -> float | None:
    """wrk's latency ("812.00us", "1.20s"); None when it measured none (every request failed)."""
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if found is None:
        return None
    value, unit = found.groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def milliseconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def median(values: list[float]) -> float | None:
    values = sorted(value for value in values if value is not None)
    return values[len(values) // 2] if values else None


def run_wrk(
    wrk: str,
    path: str,
    connections: int,
    seconds: int,
    script: Path | None = None,
    start=0,
    base: str = BASE,
) -> str:
    threads = min(2, connections)
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script is not None:
        command += ["-s", str(script), base, "--", str(start)]
    else:
        command.append(base + path)
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def percentile(output: str, share: int) -> float | None:
    """A latency percentile (50, 75, 90, 99) from wrk's --latency output. Anchored: the thread
    stats line also ends in a percentage ("93.50%")."""
    return to_ms(re.search(rf"^\s+{share}%\s+(\S+)", output, re.MULTILINE).group(1))


def load(
    wrk: str,
    path: str,
    script: Path | None = None,
    start: int = 0,
    base: str = BASE,
    connections: int = CONNECTIONS,
    seconds: int = SECONDS,
) -> dict:
    output = run_wrk(wrk, path, connections, seconds, script, start, base)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    errors = 0
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": percentile(output, 50),
        "p90_ms": percentile(output, 90),
        "p99_ms": percentile(output, 99),
        "errors": errors,
    }


def alone(wrk: str, path: str, script: Path | None = None, start=0, base: str = BASE) -> dict:
    """One connection, SOLO_SECONDS: how long one request takes with the server to itself."""
    return load(wrk, path, script, start, base, connections=1, seconds=SOLO_SECONDS)


def probe(url: str) -> dict:
    """One plain request: status, size and SQL queries (X-Query-Count, bench mode only)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            body = response.read()
            return {
                "status": response.status,
                "bytes": len(body),
                "queries": int(response.headers.get("X-Query-Count", -1)),
            }
    except urllib.error.HTTPError as error:  # an error page: its size and queries too
        queries = error.headers.get("X-Query-Count")
        return {
            "status": error.code,
            "bytes": len(error.read()),
            "queries": int(queries) if queries is not None else None,
        }
