"""`make bench`: the production server under load, page by page, cold and warm.

Starts gunicorn with newsroom/gunicorn.conf.py and production settings (DEBUG off,
PostgreSQL, WhiteNoise after collectstatic, Redis when it answers) on 127.0.0.1, seeds the
bench database to N releases if needed, then drives each page of PAGES with wrk (16
connections) and prints one table.
"cold" runs with the whole-page cache off (PAGE_CACHE_SECONDS=0); the smaller caches pages are
built from stay on (list counts, page positions, facet counts, release cards, related releases,
the organisation, each feed entry's HTML). "warm" runs with the page cache on. Each page is
loaded in rounds, each followed by a hello-world view of the page's size served by the same
server through the same middleware (the floor); the table shows the median round and
"× floor", the page's rate over the median floor's. On a shared 2-core machine a few seconds
can run at half speed: measured side by side, page and floor meet the same moments. The
TAIL_PAGES rows (cold only) ask for a different address on every request, so that kept
fragments rarely help: what building a release page or a search from scratch costs. "p50 ms
alone" is each page's median with one connection (3 s): what one request takes without
queueing behind the others. SQL queries per request come from one separate request per page
(X-Query-Count, bench mode only). Results go to bench/results/ as Markdown and JSON.

Settings from the environment: BENCH_COUNT (100000), BENCH_ROUNDS (3), BENCH_SECONDS (3, per
round), BENCH_CONNECTIONS (16),
BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/newsroom_bench), BENCH_CACHE_URL
(redis://127.0.0.1:6379/8 when Redis answers, else local memory), BENCH_PORT (8765).
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
COUNT = int(os.environ.get("BENCH_COUNT", "100000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "3"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SOLO_SECONDS = 3
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_bench"
)
BASE = f"http://127.0.0.1:{PORT}"

# The page kinds, name -> path. {detail} and {campaign} are filled from the bench database.
# A page that answers 404 (its feature is not merged yet) is listed and skipped.
PAGES = {
    "home": "/en/",
    "list page 1": "/en/releases/",
    "list page 2,000": "/en/releases/?page=2000",
    "filtered list (topic)": "/en/topics/sample-road-safety/",
    "filtered list (type)": "/en/releases/?type=statement",
    "search": "/en/search/?q=safety",
    "release detail": "{detail}",
    "site Atom feed": "/en/feeds/releases.atom",
    "campaign": "{campaign}",
}
FLOOR = "/bench/floor/?bytes={size}"
# The long tail, cold only: a different address on every request (wrk cycles through
# TAIL_ADDRESSES of them), as when readers arrive at once from many links or with their own
# words. Kept fragments rarely help there, so these rows show what building a page costs.
TAIL_PAGES = {
    "release detail, a different one each time": "details",
    "search, different words each time": "searches",
}
TAIL_ADDRESSES = 4000
# Where each round of a tail page starts (per wrk thread, which start 1,000 apart): far enough
# for a round never to meet the addresses of the one before.
TAIL_ROUND_STRIDE = 300
TAIL_WORDS = (
    "safety policing health cybercrime youth recruitment emergency indigenous drug victim "
    "training technology",
    "port alder millbrook cedar grey pinecrest riverbend tamsworth ashford harbour",
    "officers residents program partners schools volunteers data budgets findings board "
    "meeting detachment public funding forum report initiative community regional week",
)


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


def ensure_wrk() -> str:
    if shutil.which("wrk"):
        return shutil.which("wrk")
    if os.geteuid() == 0:
        print("Installing wrk (Debian package)…")
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
        return shutil.which("wrk")
    sys.exit("wrk is missing: run `sudo apt-get install wrk`, then `make bench` again.")


def prepare_database() -> dict:
    import psycopg2  # the project's own driver, from .venv

    url = urlsplit(DATABASE_URL)
    name = url.path.lstrip("/")
    admin = psycopg2.connect(DATABASE_URL.replace(f"/{name}", "/postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    manage("migrate", "--noinput")
    connection = psycopg2.connect(DATABASE_URL)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM releases_release")
        have = cursor.fetchone()[0]
    if have < COUNT:
        print(f"Seeding {COUNT - have} releases into {name} (once)…")
        subprocess.run(
            [PYTHON, "manage.py", "seed_releases", "--count", str(COUNT - have)],
            cwd=ROOT,
            env=ENV,
            check=True,
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT publication_date, slug FROM releases_release WHERE status = 'published' "
            "AND language = 'en' AND publish_at < now() ORDER BY publish_at DESC LIMIT 1 "
            "OFFSET 500"
        )
        day, slug = cursor.fetchone()
        cursor.execute(
            "SELECT c.slug FROM releases_campaign c JOIN releases_release r "
            "ON r.campaign_id = c.id GROUP BY c.slug ORDER BY count(*) DESC LIMIT 1"
        )
        campaign = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM releases_release")
        total = cursor.fetchone()[0]
        cursor.execute(
            "SELECT publication_date, slug FROM releases_release WHERE status = 'published' "
            "AND language = 'en' AND publish_at < now() ORDER BY md5(slug) LIMIT %s",
            [TAIL_ADDRESSES],
        )
        details = [f"/en/releases/{day:%Y/%m/%d}/{slug}/" for day, slug in cursor.fetchall()]
    connection.close()
    return {
        "detail": f"/en/releases/{day:%Y/%m/%d}/{slug}/",
        "campaign": f"/en/campaigns/{campaign}/",
        "total": total,
        "details": details,
        "searches": search_addresses(),
    }


def search_addresses() -> list[str]:
    """Three-word searches, all different: a topic, a place and a word of the text."""
    topics, places, words = (group.split() for group in TAIL_WORDS)
    queries = [f"{t}+{p}+{w}" for w in words for p in places for t in topics]
    return [f"/en/search/?q={query}" for query in queries[:TAIL_ADDRESSES]]


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


def start_server(page_cache_seconds: int) -> subprocess.Popen:
    if answers("127.0.0.1", PORT):
        # Each worker binds with SO_REUSEPORT: another server there would share the load.
        sys.exit(f"Something already answers on port {PORT}: stop it, or set BENCH_PORT.")
    env = ENV | {"PAGE_CACHE_SECONDS": str(page_cache_seconds)}
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "newsroom.wsgi", "-c", "newsroom/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{BASE}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not start")


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)


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


def probe(path: str) -> dict:
    """One plain request: status, size and SQL queries (X-Query-Count)."""
    try:
        with urllib.request.urlopen(BASE + path, timeout=30) as response:
            body = response.read()
            return {
                "status": response.status,
                "bytes": len(body),
                "queries": int(response.headers.get("X-Query-Count", -1)),
            }
    except urllib.error.HTTPError as error:
        return {"status": error.code, "bytes": 0, "queries": None}


def to_ms(text: str) -> float | None:
    """wrk's latency ("812.00us", "1.20s"); None when it measured none (every request failed)."""
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if found is None:
        return None
    value, unit = found.groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def milliseconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def run_wrk(
    wrk: str, path: str, connections: int, seconds: int, script: Path | None = None, start=0
) -> str:
    threads = min(2, connections)
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script is not None:
        command += ["-s", str(script), BASE, "--", str(start)]
    else:
        command.append(BASE + path)
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def alone_p50(wrk: str, path: str, script: Path | None = None) -> dict:
    """How long one request takes when it has the server to itself (one connection): what a
    reader waits, apart from queueing behind the 15 others of the load test."""
    output = run_wrk(wrk, path, 1, SOLO_SECONDS, script, start=TAIL_ADDRESSES // 2)
    return {"p50_alone_ms": to_ms(re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1))}


def load(wrk: str, path: str, script: Path | None = None, start: int = 0) -> dict:
    output = run_wrk(wrk, path, CONNECTIONS, SECONDS, script, start)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    errors = 0
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        # Anchored: the thread stats line also ends in a percentage ("93.50%").
        "p50_ms": to_ms(re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1)),
        "p99_ms": to_ms(re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE).group(1)),
        "errors": errors,
    }


def measure(wrk: str, path: str, size: int, script: Path | None = None) -> dict:
    """ROUNDS rounds of the page under load, each followed at once by the hello-world floor of
    its size, so that page and floor meet the same moments of a shared machine (whose speed
    can halve for a few seconds). The row is the page's median round; its ratio is to the
    median floor. A tail page starts each round at new addresses."""
    floor_path = FLOOR.format(size=size)
    pages, floors = [], []
    for number in range(ROUNDS):
        pages.append(load(wrk, path, script, start=number * TAIL_ROUND_STRIDE))
        floors.append(load(wrk, floor_path))
    middle = sorted(pages, key=lambda round_: round_["rps"])[len(pages) // 2]
    floor_rps = sorted(round_["rps"] for round_ in floors)[len(floors) // 2]
    return middle | {
        "errors": sum(round_["errors"] for round_ in pages),
        "rounds_rps": [round_["rps"] for round_ in pages],
        "floor_rps": floor_rps,
        "floor_rounds_rps": [round_["rps"] for round_ in floors],
        "ratio": round(middle["rps"] / floor_rps, 2),
    }


def run_mode(mode: str, wrk: str, pages: dict, tail_pages: dict) -> dict:
    server = start_server(0 if mode == "cold" else 600)
    rows, skipped = [], []
    try:
        for name, path in pages.items():
            first = probe(path)
            if first["status"] == 404:
                skipped.append({"page": name, "path": path})
                continue
            measured = probe(path) if mode == "warm" else first
            measured = measured if measured["status"] == 200 else first
            measured |= measure(wrk, path, measured["bytes"]) | alone_p50(wrk, path)
            rows.append({"mode": mode, "page": name, "path": path, **measured})
        for name, paths in tail_pages.items() if mode == "cold" else ():
            script = cycling_script(paths)
            measured = probe(paths[-1])  # never asked for by the runs: a page built from scratch
            measured |= measure(wrk, "", measured["bytes"], script)
            measured |= alone_p50(wrk, "", script)
            path = f"{len(paths):,} addresses like {paths[0]}"
            rows.append({"mode": mode, "page": name, "path": path, **measured})
        rss = workers_rss_mb(server.pid)
    finally:
        stop_server(server)
    return {"rows": rows, "skipped": skipped, "workers_rss_mb": rss}


def markdown(result: dict) -> str:
    lines = [
        f"# Benchmark, {result['when']}",
        "",
        f"{result['releases']:,} releases in PostgreSQL; gunicorn gthread "
        f"({result['server']}); cache {result['cache']}; wrk {CONNECTIONS} connections; "
        f"{ROUNDS} rounds of {SECONDS} s per page, each followed by {SECONDS} s of a "
        "hello-world view of the page's size (the floor); the median round is shown; "
        f"{os.cpu_count()} cores.",
        "",
        "| mode | page | req/s | p50 ms | p99 ms | p50 ms alone | errors | bytes | SQL/req "
        "| floor req/s | × floor |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for mode in result["modes"].values():
        for row in mode["rows"]:
            lines.append(
                f"| {row['mode']} | {row['page']} | {row['rps']:.0f} | "
                f"{milliseconds(row['p50_ms'])} | {milliseconds(row['p99_ms'])} | "
                f"{milliseconds(row.get('p50_alone_ms'))} | "
                f"{row['errors']} | {row['bytes']:,} | "
                f"{row['queries']} | {row['floor_rps']:.0f} | {row['ratio']:.2f} |"
            )
    lines.append("")
    for name, mode in result["modes"].items():
        lines.append(f"- {name}: worker RSS after the run: {mode['workers_rss_mb']} MB")
        for skipped in mode["skipped"]:
            lines.append(
                f"- {name}: skipped {skipped['page']} ({skipped['path']}): 404, not built yet"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    started = time.monotonic()
    wrk = ensure_wrk()
    facts = prepare_database()
    manage("collectstatic", "--noinput")
    pages = {name: path.format(**facts) for name, path in PAGES.items()}
    tail_pages = {name: facts[addresses] for name, addresses in TAIL_PAGES.items()}
    result = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "releases": facts["total"],
        "cache": ENV["CACHE_URL"],
        "server": "newsroom/gunicorn.conf.py: "
        + f"{os.environ.get('WEB_CONCURRENCY', '2')} workers × "
        + f"{os.environ.get('GUNICORN_THREADS', '4')} threads",
        "modes": {mode: run_mode(mode, wrk, pages, tail_pages) for mode in ("cold", "warm")},
    }
    text = markdown(result)
    print(text)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    (out / f"bench-{stamp}.md").write_text(text)
    (out / f"bench-{stamp}.json").write_text(json.dumps(result, indent=2))
    print(
        f"Written to bench/results/bench-{stamp}.md and .json in {time.monotonic() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
