"""`make bench`: the production server, page by page, against plain Django and under load.

Seeds the bench database to N releases if needed (once), copies its published releases to a
plain Django reference site's database (bench/plain/: startproject's settings and middleware, one
model, a ListView, a DetailView and a syndication Feed; once), and runs both sites with gunicorn
and newsroom/gunicorn.conf.py (the same workers × threads) on 127.0.0.1, with production
settings (DEBUG off, PostgreSQL, WhiteNoise after collectstatic, Redis when it answers). Then,
printing a progress line every few seconds:

1. Uncached, one request at a time (bench/uncached.py): with every cache empty
   (CACHE_URL=dummycache://, PAGE_CACHE_SECONDS=0), one connection (wrk -c1) per page: the
   lists, a release, the Atom feed and a search, beside plain Django's counterparts; the ratio
   of the p50s and whether the goals are met (lists and release ≤ 2×, feed ≤ 1.5×, search
   < 50 ms); then the floors under any page, measured the same way: the site's emptiest page
   (its 404, with the header and footer) and its middleware alone (a hello-world view).
2. Under load: each page kind with wrk (16 connections), "cold" with the whole-page cache off
   (PAGE_CACHE_SECONDS=0; the smaller caches pages are built from stay on: list counts, page
   positions, facet counts, release cards, related releases, the organisation, each feed
   entry's HTML) and "warm" with it on. Each page is loaded in rounds, each followed by a
   hello-world view of the page's size served by the same server through the same middleware
   (the floor) and, warm, by plain Django's hello-world view of that size (the goal: ≥ 0.8 ×
   plain Django). On a shared 2-core machine a few seconds can run at half speed: measured side
   by side, page and floors meet the same moments. The TAIL_PAGES rows (cold only) ask for a
   different address on every request, so that kept fragments rarely help: what building a
   release page or a search from scratch costs. "p50 ms alone" is each page's median with one
   connection. SQL queries per request come from one separate request per page
   (X-Query-Count, bench mode only).
3. Go-live (bench/golive.py), warm: a release scheduled through the publishing workflow for
   the start of a minute, while 64 keep-alive connections poll the list, the home page, the
   feed and its address from 12 s before to 13 s after: latency, errors, and how long after
   the minute the last connection saw it (goals: p99 < 100 ms, max < 500 ms, no errors, seen
   within 1.5 s).
4. nginx in front (bench/nginx.py), configured with docs/deployment.md's block: a list page and
   the feed through it beside nginx serving the same bytes from disk (goal ≥ 0.5 ×), and the
   go-live scenario again through it.

Results go to bench/results/ as Markdown and JSON.

Settings from the environment: BENCH_COUNT (100000), BENCH_ROUNDS (3), BENCH_SECONDS (3, per
round), BENCH_SOLO_SECONDS (3, one connection), BENCH_CONNECTIONS (16), BENCH_DATABASE_URL
(postgres://postgres@127.0.0.1:5432/newsroom_bench), BENCH_PLAIN_DATABASE_URL (…/plain_bench),
BENCH_CACHE_URL (redis://127.0.0.1:6379/8 when Redis answers, else local memory), BENCH_PORT
(8765; plain Django on BENCH_PLAIN_PORT, port + 1; nginx on BENCH_NGINX_PORT, port + 3),
BENCH_GOLIVE_CONNECTIONS (64), BENCH_GOLIVE_BEFORE (12) and BENCH_GOLIVE_AFTER (13, seconds),
BENCH_NGINX (1; 0 skips nginx), BENCH_GOLIVE (1; 0 skips both go-live runs),
BENCH_GOLIVE_NGINX_LATE (0; 1 schedules the release behind nginx only after nginx has kept the
pages: a release scheduled less than s-maxage before its minute).
"""

import json
import os
import sys
import time
from datetime import datetime

import golive
import nginx
import report
import servers
import uncached
from common import (
    BASE,
    CONNECTIONS,
    PLAIN_BASE,
    PORT,
    ROOT,
    ROUNDS,
    alone,
    cycling_script,
    ensure_package,
    load,
    manage,
    median,
    probe,
    say,
)
from common import ENV as SITE_ENV
from data import TAIL_ADDRESSES, prepare_database, prepare_plain_database
from servers import last_words

# The page kinds, name -> path, filled from the bench database ({detail}, {campaign}, and the
# deep list page: 2,000 at 100,000 releases). A page that answers 404 (its feature is not
# merged yet) is listed and skipped.
PAGES = {
    "home": "/en/",
    "list page 1": "/en/releases/",
    "list page {deep_page:,}": "{deep_list}",
    "filtered list (topic)": "/en/topics/sample-road-safety/",
    "filtered list (type)": "/en/releases/?type=statement",
    "search": "/en/search/?q=safety",
    "release detail": "{detail}",
    "site Atom feed": "/en/feeds/releases.atom",
    "campaign": "{campaign}",
}
FLOOR = "/bench/floor/?bytes={size}"
PLAIN_FLOOR = "/hello/?bytes={size}"
TAIL_PAGES = {
    "release detail, a different one each time": "details",
    "search, different words each time": "searches",
}
# Where each round of a tail page starts (per wrk thread, which start 1,000 apart): far enough
# for a round never to meet the addresses of the one before.
TAIL_ROUND_STRIDE = 300
# The pages measured through nginx.
NGINX_PAGES = {"list page 1": "/en/releases/", "site Atom feed": "/en/feeds/releases.atom"}
WITH_NGINX = os.environ.get("BENCH_NGINX", "1") != "0"
WITH_GOLIVE = os.environ.get("BENCH_GOLIVE", "1") != "0"


def measure(wrk: str, name: str, path: str, size: int, mode: str, script=None) -> dict:
    """ROUNDS rounds of the page under load, each followed at once by the hello-world floor of
    its size and, warm, plain Django's hello-world of that size, so that page and floors meet
    the same moments of a shared machine (whose speed can halve for a few seconds). The row is
    the page's median round; its ratios are to the median floors. A tail page starts each round
    at new addresses."""
    pages, floors, plains = [], [], []
    for number in range(ROUNDS):
        pages.append(load(wrk, path, script, start=number * TAIL_ROUND_STRIDE))
        floors.append(load(wrk, FLOOR.format(size=size)))
        if mode == "warm":
            plains.append(load(wrk, PLAIN_FLOOR.format(size=size), base=PLAIN_BASE))
        say(
            f"  {mode} · {name} · round {number + 1}/{ROUNDS}: {pages[-1]['rps']:.0f} req/s, "
            f"floor {floors[-1]['rps']:.0f}"
            + (f", plain Django {plains[-1]['rps']:.0f}" if plains else "")
        )
    middle = sorted(pages, key=lambda round_: round_["rps"])[len(pages) // 2]
    floor_rps = median([round_["rps"] for round_ in floors])
    plain_rps = median([round_["rps"] for round_ in plains])
    return middle | {
        "errors": sum(round_["errors"] for round_ in pages),
        "rounds_rps": [round_["rps"] for round_ in pages],
        "floor_rps": floor_rps,
        "floor_rounds_rps": [round_["rps"] for round_ in floors],
        "ratio": round(middle["rps"] / floor_rps, 2),
        "plain_rps": plain_rps,
        "plain_rounds_rps": [round_["rps"] for round_ in plains],
        "plain_ratio": round(middle["rps"] / plain_rps, 2) if plain_rps else None,
    }


def run_mode(mode: str, wrk: str, pages: dict, tail_pages: dict, then=None) -> dict:
    """The pages under load in one mode; ``then(result)`` runs before the server stops."""
    say(f"{mode}: starting the server (page cache {'off' if mode == 'cold' else 'on'})")
    server = servers.start_site(0 if mode == "cold" else 600)
    rows, skipped = [], []
    result = {"rows": rows, "skipped": skipped}
    try:
        for name, path in pages.items():
            try:
                first = probe(BASE + path)
            except OSError as error:
                sys.exit(f"The {mode} server stopped answering ({error}). {last_words(server)}")
            if first["status"] == 404:
                skipped.append({"page": name, "path": path})
                continue
            measured = probe(BASE + path) if mode == "warm" else first
            measured = measured if measured["status"] == 200 else first
            measured |= measure(wrk, name, path, measured["bytes"], mode)
            measured["p50_alone_ms"] = alone(wrk, path)["p50_ms"]
            rows.append({"mode": mode, "page": name, "path": path, **measured})
        for name, paths in tail_pages.items() if mode == "cold" else ():
            script = cycling_script(paths)
            # Never asked for by the runs: a page built from scratch.
            measured = probe(BASE + paths[-1])
            measured |= measure(wrk, name, "", measured["bytes"], mode, script)
            measured["p50_alone_ms"] = alone(wrk, "", script, start=TAIL_ADDRESSES // 2)["p50_ms"]
            path = f"{len(paths):,} addresses like {paths[0]}"
            rows.append({"mode": mode, "page": name, "path": path, **measured})
        result["workers_rss_mb"] = servers.workers_rss_mb(server.pid)
        if then is not None:
            then(result)
    finally:
        servers.stop(server)
    return result


def main() -> None:
    started = time.monotonic()
    wrk = ensure_package("wrk")
    nginx_binary = ensure_package("nginx") if WITH_NGINX else None
    say("Preparing the bench database…")
    facts = prepare_database()
    plain_items = prepare_plain_database()
    manage("collectstatic", "--noinput")
    pages = {name.format(**facts): path.format(**facts) for name, path in PAGES.items()}
    tail_pages = {name: facts[addresses] for name, addresses in TAIL_PAGES.items()}
    result = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "releases": facts["total"],
        "plain_items": plain_items,
        "cache": SITE_ENV["CACHE_URL"],
        "server": "newsroom/gunicorn.conf.py: "
        + f"{os.environ.get('WEB_CONCURRENCY', os.cpu_count())} workers × "
        + f"{os.environ.get('GUNICORN_THREADS', '4')} threads",
        "connections": CONNECTIONS,
        "modes": {},
    }

    def after_warm(warm: dict) -> None:
        """The go-live and nginx, whose failure is reported beside the tables already made."""
        parts = {
            "golive": lambda: golive.run("127.0.0.1", PORT, "straight to gunicorn"),
            "nginx": lambda: nginx.measure(nginx_binary, wrk, NGINX_PAGES, WITH_GOLIVE),
        }
        for name, measured in parts.items():
            if not (WITH_GOLIVE if name == "golive" else WITH_NGINX):
                continue
            try:
                result[name] = measured()
            except (Exception, SystemExit) as error:
                say(f"{name} failed: {error!r}")
                result.setdefault("failures", {})[name] = repr(error)

    plain = servers.start_plain()
    try:
        say("Uncached, one request at a time: the site and plain Django")
        result["uncached"] = uncached.measure(wrk, facts)
        result["modes"]["cold"] = run_mode("cold", wrk, pages, tail_pages)
        result["modes"]["warm"] = run_mode("warm", wrk, pages, tail_pages, then=after_warm)
    finally:
        servers.stop(plain)
    text = report.markdown(result)
    print(text)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    (out / f"bench-{stamp}.md").write_text(text)
    (out / f"bench-{stamp}.json").write_text(json.dumps(result, indent=2))
    say(
        f"Written to bench/results/bench-{stamp}.md and .json in {time.monotonic() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
