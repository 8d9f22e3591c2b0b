"""The Markdown report of `make bench`: every table, in the order they were measured."""

import os

import golive
import uncached
from common import CONNECTIONS, ROUNDS, SECONDS, milliseconds

PLAIN_GOAL = 0.8
NGINX_GOAL = 0.5


def markdown(result: dict) -> str:
    lines = [
        f"# Benchmark, {result['when']}",
        "",
        f"{result['releases']:,} releases in PostgreSQL ({result['plain_items']:,} published ones "
        f"copied for plain Django); gunicorn gthread ({result['server']}), the same for both "
        f"sites; cache {result['cache']}; {os.cpu_count()} cores.",
        "",
        "## Uncached, one request at a time",
        "",
        *uncached.markdown(result["uncached"]),
        "## Under load",
        "",
        *load_table(result),
    ]
    if "golive" in result:
        lines += ["## Go-live (an embargo lifts)", "", *golive.markdown(result["golive"])]
    if "nginx" in result:
        lines += ["## nginx in front (docs/deployment.md)", "", *nginx_table(result["nginx"])]
        if result["nginx"]["golive"]:
            lines += golive.markdown(result["nginx"]["golive"])
    for name, failure in result.get("failures", {}).items():
        lines += [f"{name} failed: {failure}", ""]
    return "\n".join(lines) + "\n"


def load_table(result: dict) -> list[str]:
    lines = [
        f"wrk {CONNECTIONS} connections; {ROUNDS} round(s) of {SECONDS} s per page, each followed "
        f"by {SECONDS} s of a hello-world view of the page's size through the whole stack (the "
        "floor) and, warm, by as long of plain Django's hello-world view of that size (default "
        'middleware); the median round is shown. "p50 ms alone": one connection. '
        f"Goal for warm pages: ≥ {PLAIN_GOAL} × plain Django.",
        "",
        "| mode | page | req/s | p50 ms | p99 ms | p50 ms alone | errors | bytes | SQL/req "
        "| floor req/s | × floor | plain Django req/s | × plain Django | met? |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for mode in result["modes"].values():
        for row in mode["rows"]:
            plain = row.get("plain_ratio")
            lines.append(
                f"| {row['mode']} | {row['page']} | {row['rps']:.0f} | "
                f"{milliseconds(row['p50_ms'])} | {milliseconds(row['p99_ms'])} | "
                f"{milliseconds(row.get('p50_alone_ms'))} | "
                f"{row['errors']} | {row['bytes']:,} | "
                f"{row['queries']} | {row['floor_rps']:.0f} | {row['ratio']:.2f} | "
                + (
                    f"{row['plain_rps']:.0f} | {plain:.2f} | "
                    f"{'yes' if plain >= PLAIN_GOAL and not row['errors'] else 'NO'} |"
                    if plain is not None
                    else "— | — | |"
                )
            )
    lines.append("")
    for name, mode in result["modes"].items():
        lines.append(f"- {name}: worker RSS after the run: {mode['workers_rss_mb']} MB")
        for skipped in mode["skipped"]:
            lines.append(
                f"- {name}: skipped {skipped['page']} ({skipped['path']}): 404, not built yet"
            )
    return lines + [""]


def nginx_table(nginx: dict) -> list[str]:
    lines = [
        f"nginx configured with the block of docs/deployment.md (paths and ports changed), in "
        f"front of the warm server; wrk {CONNECTIONS} connections, {ROUNDS} round(s) of "
        f"{SECONDS} s, alternating with nginx serving the same bytes from a file; median round; "
        f'"p50 ms alone": one connection. Goal: ≥ {NGINX_GOAL} × the file.',
        "",
        "| page | bytes | through nginx req/s | p99 ms | p50 ms alone | errors "
        "| X-Proxy-Cache seen | sent | same bytes from disk req/s | p50 ms alone | ratio "
        "| met? |",
        "|---|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---|",
    ]
    for row in nginx["rows"]:
        met = row["ratio"] >= NGINX_GOAL and not row["errors"]
        lines.append(
            f"| {row['page']} | {row['bytes']:,} | {row['rps']:.0f} | "
            f"{milliseconds(row['p99_ms'])} | {milliseconds(row['p50_alone_ms'])} | "
            f"{row['errors']} | {', '.join(row['cache_statuses'])} | {row['framing']} | "
            f"{row['disk_rps']:.0f} | "
            f"{milliseconds(row['disk_p50_alone_ms'])} | {row['ratio']:.2f} | "
            f"{'yes' if met else 'NO'} |"
        )
    if nginx["error_log"].strip():
        lines += ["", "nginx's error log (end):", "", "```", nginx["error_log"].strip(), "```"]
    return lines + [""]
