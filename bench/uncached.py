"""One request at a time with every cache empty: the site against plain Django.

The site runs with CACHE_URL=dummycache:// (no cache keeps anything: no page, no fragment, no
count) and PAGE_CACHE_SECONDS=0; the plain site (bench/plain/) has no cache at all. Each page is
asked for by one connection for SOLO_SECONDS (wrk -c1), the site's page and the plain site's
counterpart one after the other, ROUNDS times; the table shows the median round's p50 and p90
and the ratio of the p50s. A goal is met when the p50 meets it."""

from common import BASE, PLAIN_BASE, ROUNDS, SOLO_SECONDS, alone, median, milliseconds, probe, say
from servers import start_site, stop

# name, the site's path, the plain site's path (None: no counterpart), goal, goal's kind.
PAGES = [
    ("release list page 1", "/en/releases/", "/items/", 2.0, "ratio"),
    ("release list page {deep_page:,}", "{deep_list}", "/items/?page={deep_page}", 2.0, "ratio"),
    ("release page", "{detail}", "/items/{detail_id}/", 2.0, "ratio"),
    ("Atom feed (50 releases, full text)", "/en/feeds/releases.atom", "/feed/", 1.5, "ratio"),
    ("search “safety”", "/en/search/?q=safety", None, 50.0, "ms"),
]
# What any page of the site costs before its content, measured the same way, beside the goals
# above: its emptiest page (a 404: the header, the footer and the organisation's one query) and
# the middleware alone (the bench's hello-world view). name, path, status it answers.
FLOORS = [
    ("the site's emptiest page (its 404: header, footer, one query)", "/en/no-such-page/", 404),
    ("the site's middleware alone (hello-world, 2,000 bytes)", "/bench/floor/?bytes=2000", 200),
]


def measure(wrk: str, facts: dict) -> list[dict]:
    server = start_site(0, cache_url="dummycache://")
    rows = []
    try:
        for name, ours, plain, goal, kind in PAGES:
            name, ours = name.format(**facts), ours.format(**facts)
            plain = plain.format(**facts) if plain else None
            row = {"page": name, "path": ours, "plain_path": plain, "goal": goal, "kind": kind}
            row |= {"site": probe(BASE + ours), "plain": probe(PLAIN_BASE + plain) if plain else {}}
            rounds, plain_rounds = [], []
            for number in range(ROUNDS):
                rounds.append(alone(wrk, ours))
                if plain:
                    plain_rounds.append(alone(wrk, plain, base=PLAIN_BASE))
                say(
                    f"  uncached · {name} · round {number + 1}/{ROUNDS}: p50 "
                    f"{rounds[-1]['p50_ms']} ms"
                    + (f", plain Django {plain_rounds[-1]['p50_ms']} ms" if plain else "")
                )
            row |= summary(rounds, "") | summary(plain_rounds, "plain_")
            rows.append(row | verdict(row))
        rows += [floor_row(wrk, *floor) for floor in FLOORS]
    finally:
        stop(server)
    return rows


def floor_row(wrk: str, name: str, path: str, status: int) -> dict:
    """A floor: its median round's p50, and whether it answered as it should throughout."""
    site = probe(BASE + path)
    rounds = [alone(wrk, path) for _ in range(ROUNDS)]
    say(f"  uncached · {name}: p50 {median([r['p50_ms'] for r in rounds])} ms")
    # wrk counts a 404's answers as errors: only a floor that answers 200 can count them.
    errors = sum(r["errors"] for r in rounds) if status == 200 else 0
    answered = site["status"] == status and errors == 0
    return {"page": name, "path": path, "kind": "floor", "site": site, "answered": answered} | {
        "p50_ms": median([r["p50_ms"] for r in rounds]),
        "p90_ms": median([r["p90_ms"] for r in rounds]),
    }


def summary(rounds: list[dict], prefix: str) -> dict:
    if not rounds:
        return {}
    return {
        f"{prefix}p50_ms": median([r["p50_ms"] for r in rounds]),
        f"{prefix}p90_ms": median([r["p90_ms"] for r in rounds]),
        f"{prefix}requests_per_second": median([r["rps"] for r in rounds]),
        f"{prefix}errors": sum(r["errors"] for r in rounds),
    }


def verdict(row: dict) -> dict:
    answered = row["site"]["status"] == 200 and row.get("errors") == 0
    if row["kind"] == "ms":
        return {"ratio": None, "met": answered and (row["p50_ms"] or 1e9) < row["goal"]}
    ratio = row["p50_ms"] / row["plain_p50_ms"] if row.get("plain_p50_ms") else None
    plain_answered = row["plain"].get("status") == 200 and row.get("plain_errors") == 0
    return {
        "ratio": None if ratio is None else round(ratio, 2),
        "met": answered and plain_answered and ratio is not None and ratio <= row["goal"],
    }


def markdown(rows: list[dict]) -> list[str]:
    lines = [
        "One request at a time, every cache empty (CACHE_URL=dummycache://, "
        f"PAGE_CACHE_SECONDS=0): one connection for {SOLO_SECONDS} s per page, the site and "
        f"plain Django (bench/plain/) in turn, {ROUNDS} round(s), median round; met on the p50.",
        "",
        "| page | this site ms (p50, p90) | SQL | plain Django ms (p50, p90) | ratio | goal "
        "| met? | bytes (site, plain) |",
        "|---|---:|---:|---:|---:|---|---|---:|",
    ]
    pages = [row for row in rows if row["kind"] != "floor"]
    floors = [row for row in rows if row["kind"] == "floor"]
    for row in pages:
        plain = (
            f"{milliseconds(row['plain_p50_ms'])}, {milliseconds(row['plain_p90_ms'])}"
            if row["plain_path"]
            else "—"
        )
        goal = f"≤ {row['goal']:g}×" if row["kind"] == "ratio" else f"< {row['goal']:g} ms"
        ratio = "—" if row["ratio"] is None else f"{row['ratio']:.2f}×"
        status = "" if row["site"]["status"] == 200 else f" (answered {row['site']['status']})"
        sizes = f"{row['site']['bytes']:,}"
        if row["plain_path"]:
            sizes += f", {row['plain']['bytes']:,}"
        lines.append(
            f"| {row['page']}{status} | {milliseconds(row['p50_ms'])}, "
            f"{milliseconds(row['p90_ms'])} | "
            f"{row['site']['queries']} | {plain} | {ratio} | {goal} | "
            f"{'yes' if row['met'] else 'NO'} | {sizes} |"
        )
    if floors:
        lines += [
            "",
            "The floors under every page, measured the same way (a goal below them cannot be met "
            "by any page with the site's header and footer):",
            "",
            "| floor | this site ms (p50, p90) | SQL | bytes |",
            "|---|---:|---:|---:|",
        ]
    for row in floors:
        status = "" if row["answered"] else f" (answered {row['site']['status']}, or errors)"
        lines.append(
            f"| {row['page']}{status} | {milliseconds(row['p50_ms'])}, "
            f"{milliseconds(row['p90_ms'])} | {row['site']['queries']} | "
            f"{row['site']['bytes']:,} |"
        )
    return lines + [""]
