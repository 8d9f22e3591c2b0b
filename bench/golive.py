"""The go-live scenario: readers polling the pages while a scheduled release goes public.

One release is scheduled through the publishing workflow (bench/golive_release.py) for the
start of a minute at least LEAD seconds ahead. From BEFORE seconds before that minute to AFTER
seconds after it, GOLIVE_CONNECTIONS keep-alive HTTP/1.1 connections (one asyncio client in
this process) each ask in turn, as fast as answers come, for the list, the home page, the Atom
feed and the release's own address. Each page was asked for once just before, as readers had.

Per page and overall: requests, latency (p50, p99, max), errors (socket errors, timeouts and
any status but 200, except a 404 from the release's address for a request sent before its
minute), and for each connection the first answer after the minute that shows the release (its
token in the body; for its address, a 200): the worst over connections is reported. Also
counted: answers that showed the release before its minute (the embargo broken) and answers
without it after a connection had already seen it (an older copy served again).

The client's own cost is measured, not assumed: its CPU time (it shares the cores with the
server) and how late its event loop wakes (a 10 ms ticker): every latency includes that lag.
"""

import asyncio
import json
import math
import os
import re
import secrets
import time

from common import manage, say

GOLIVE_CONNECTIONS = int(os.environ.get("BENCH_GOLIVE_CONNECTIONS", "64"))
BEFORE = float(os.environ.get("BENCH_GOLIVE_BEFORE", "12"))
AFTER = float(os.environ.get("BENCH_GOLIVE_AFTER", "13"))
LEAD = 15
TIMEOUT = 10
PAGES = {"list": "/en/releases/", "home": "/en/", "feed": "/en/feeds/releases.atom"}
GOALS = {"p99_ms": 100, "max_ms": 500, "seen_s": 1.5}
# The burst right after the minute, reported on its own row.
BURST_SECONDS = 2
ERRORS = (OSError, EOFError, ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError)


def schedule_release(lead: float = LEAD) -> dict:
    """A new release (a unique token in its headline) scheduled for the first minute at least
    ``lead`` seconds ahead: {"url", "at" (Unix time), "headline", "token"}."""
    token = f"GL{secrets.token_hex(4)}"
    output = manage(
        "shell",
        "--no-imports",
        "-c",
        f"from bench.golive_release import main; main({token!r}, {lead})",
    )
    return json.loads(output.strip().splitlines()[-1])


def shared_lifetime(cache_control: bytes | None) -> int | None:
    """How long a shared cache may keep a response (s-maxage, else max-age; 0 when it may not
    store it), or None without either."""
    if cache_control is None:
        return None
    if b"no-store" in cache_control or b"private" in cache_control:
        return 0
    found = re.search(rb"s-maxage=(\d+)", cache_control) or re.search(
        rb"max-age=(\d+)", cache_control
    )
    return int(found.group(1)) if found else None


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool, int | None]:
    """Status, body, whether the connection stays open and how long a shared cache may keep
    it, of one HTTP/1.1 response."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        if colon:
            headers[name.strip().lower()] = value.strip().lower()
    keep = headers.get(b"connection") != b"close"
    lifetime = shared_lifetime(headers.get(b"cache-control"))
    if status in (204, 304) or status < 200:
        return status, b"", keep, lifetime
    if b"content-length" in headers:
        body = await reader.readexactly(int(headers[b"content-length"]))
        return status, body, keep, lifetime
    if headers.get(b"transfer-encoding") == b"chunked":
        parts = []
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            parts.append((await reader.readexactly(size + 2))[:-2])
        while await reader.readuntil(b"\r\n") != b"\r\n":  # trailers, if any
            pass
        return status, b"".join(parts), keep, lifetime
    return status, await reader.read(), False, lifetime


class Poll:
    """One run of the scenario against ``host``:``port``."""

    def __init__(self, host: str, port: int, release: dict):
        self.host, self.port = host, port
        self.at = release["at"]
        self.token = release["token"].encode()
        self.pages = PAGES | {"release": release["url"]}
        self.requests = {
            name: (
                f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                "User-Agent: newsroom-bench-golive\r\n\r\n"
            ).encode()
            for name, path in self.pages.items()
        }
        # (connection, page, sent, received, latency ms or None, status (0: no answer),
        # release shown, error name, shared cache lifetime)
        self.samples: list[tuple] = []
        self.lags: list[float] = []

    async def _open(self):
        return await asyncio.wait_for(
            asyncio.open_connection(self.host, self.port, limit=1 << 22), TIMEOUT
        )

    async def _reader(self, number: int, start: float, end: float) -> None:
        names = list(self.pages)
        turn = number
        try:
            connection = await self._open()
        except ERRORS:  # TimeoutError is an OSError
            connection = None
        await asyncio.sleep(max(0.0, start - time.time()))
        while time.time() < end:
            name = names[turn % len(names)]
            turn += 1
            sent = time.time()
            began = time.perf_counter()
            try:
                if connection is None:
                    connection = await self._open()
                reader, writer = connection
                writer.write(self.requests[name])
                answer = await asyncio.wait_for(read_response(reader), TIMEOUT)
                status, body, keep, lifetime = answer
            except ERRORS as error:
                failed = (number, name, sent, time.time(), None, 0, False, repr(error), None)
                self.samples.append(failed)
                connection = self._close(connection)
                await asyncio.sleep(0.05)  # a refused connection must not spin
                continue
            latency = (time.perf_counter() - began) * 1000
            shown = status == 200 and self.token in body
            answered = (number, name, sent, time.time(), latency, status, shown, "", lifetime)
            self.samples.append(answered)
            if not keep:
                connection = self._close(connection)
        self._close(connection)

    @staticmethod
    def _close(connection) -> None:
        if connection is not None:
            connection[1].close()

    async def _ticker(self, start: float, end: float) -> None:
        """The event loop's lateness every 10 ms, and a progress line every 3 s."""
        loop = asyncio.get_running_loop()
        next_line = start
        while time.time() < end:
            expected = loop.time() + 0.01
            await asyncio.sleep(0.01)
            if time.time() >= start:
                self.lags.append((loop.time() - expected) * 1000)
            if time.time() >= next_line:
                failed = sum(1 for sample in self.samples if sample[5] != 200)
                say(
                    f"  go-live: {time.time() - self.at:+5.1f} s from the minute, "
                    f"{len(self.samples):,} answers, {failed:,} not 200"
                )
                next_line += 3

    async def _run(self) -> None:
        start, end = self.at - BEFORE, self.at + AFTER
        while (left := start - 2 - time.time()) > 0:
            say(
                f"  go-live: polling starts in {left + 2:.0f} s ({BEFORE:.0f} s before the minute)…"
            )
            await asyncio.sleep(min(left, 5))
        for name in self.pages:  # readers were there before: each page asked for once
            reader, writer = await self._open()
            writer.write(self.requests[name])
            await asyncio.wait_for(read_response(reader), TIMEOUT)
            writer.close()
        await asyncio.gather(
            self._ticker(start, end),
            *(self._reader(number, start, end) for number in range(GOLIVE_CONNECTIONS)),
        )

    def run(self) -> dict:
        cpu = time.process_time()
        asyncio.run(self._run())
        cpu = time.process_time() - cpu
        return self.report(cpu)

    def report(self, cpu_seconds: float) -> dict:
        rows = [self._row(name, [s for s in self.samples if s[1] == name]) for name in self.pages]
        rows.append(self._row("all", self.samples))
        window = BEFORE + AFTER
        lags = sorted(self.lags)
        return {
            "at": self.at,
            "pages": self.pages,
            "rows": rows,
            "timeline": self.timeline(),
            "client": {
                "connections": GOLIVE_CONNECTIONS,
                "seconds": window,
                "requests_per_second": round(len(self.samples) / window),
                "cpu_seconds": round(cpu_seconds, 1),
                "cpu_share_of_one_core": round(cpu_seconds / window, 2),
                "loop_lag_p99_ms": round(_share(lags, 0.99), 1) if lags else None,
                "loop_lag_max_ms": round(lags[-1], 1) if lags else None,
            },
        }

    def timeline(self) -> list[dict]:
        """Each second of the window (by when requests were sent, from the minute): answers,
        latency (p50, p99, max) and answers that were not a 200."""
        seconds = {}
        for s in self.samples:
            seconds.setdefault(math.floor(s[2] - self.at), []).append(s)
        timeline = []
        for second in sorted(seconds):
            latencies = sorted(s[4] for s in seconds[second] if s[4] is not None)
            timeline.append(
                {
                    "second": second,
                    "answers": len(seconds[second]),
                    "p50_ms": _share(latencies, 0.5),
                    "p99_ms": _share(latencies, 0.99),
                    "max_ms": latencies[-1] if latencies else None,
                    "not_200": sum(1 for s in seconds[second] if s[5] != 200),
                }
            )
        return timeline

    def _expected_404(self, sample: tuple) -> bool:
        """The release's address before its minute."""
        return sample[1] == "release" and sample[5] == 404 and sample[2] < self.at

    def _row(self, name: str, samples: list[tuple]) -> dict:
        latencies = sorted(s[4] for s in samples if s[4] is not None)
        before = sorted(s[4] for s in samples if s[4] is not None and s[2] < self.at)
        burst = sorted(
            s[4] for s in samples if s[4] is not None and 0 <= s[2] - self.at < BURST_SECONDS
        )
        expected_404 = [s for s in samples if self._expected_404(s)]
        # When each connection first got the release (a 200 with it): until then, a 404 from
        # its address after the minute is an old copy (as a list without it), not an error.
        seen_at = {}
        for s in sorted(samples, key=lambda s: s[3]):
            if s[6]:
                seen_at.setdefault((s[0], s[1]), s[3])

        def old_404(s) -> bool:
            return (
                s[1] == "release"
                and s[5] == 404
                and s[3] >= self.at
                and s[3] < seen_at.get((s[0], s[1]), float("inf"))
            )

        # Answers after the minute without the release: what a cache in front could keep.
        old = [s for s in samples if (s[5] == 200 and not s[6] and s[3] >= self.at) or old_404(s)]
        errors = [
            s for s in samples if s[5] != 200 and not self._expected_404(s) and not old_404(s)
        ]
        first_seen, shown_early, lost_again = {}, 0, 0
        for s in sorted(samples, key=lambda s: s[3]):
            key = (s[0], s[1])
            if s[6] and s[3] < self.at:
                shown_early += 1
            if s[6] and key not in first_seen:
                first_seen[key] = s[3] - self.at
            elif not s[6] and s[5] != 0 and key in first_seen:
                lost_again += 1
        never = GOLIVE_CONNECTIONS * len({s[1] for s in samples}) - len(first_seen)
        worst = max(first_seen.values()) if first_seen and not never else None
        row = {
            "page": name,
            "requests": len(samples),
            "p50_ms": _share(latencies, 0.5),
            "p99_ms": _share(latencies, 0.99),
            "max_ms": latencies[-1] if latencies else None,
            "p99_before_ms": _share(before, 0.99),
            "p99_burst_ms": _share(burst, 0.99),
            "errors": len(errors),
            "error_kinds": sorted({s[7] or str(s[5]) for s in errors})[:5],
            "expected_404": len(expected_404),
            "first_seen_s": min(first_seen.values()) if first_seen else None,
            "worst_seen_s": worst,
            "never_seen": never,
            "shown_before_minute": shown_early,
            "lost_again": lost_again,
            "old_after_minute": len(old),
            "old_last_s": max((s[3] - self.at for s in old), default=None),
            "old_longest_shared_lifetime_s": max((s[8] or 0 for s in old), default=None),
        }
        row["met"] = bool(
            latencies
            and row["p99_ms"] < GOALS["p99_ms"]
            and row["max_ms"] < GOALS["max_ms"]
            and not errors
            and not shown_early
            and not lost_again
            and worst is not None
            and worst <= GOALS["seen_s"]
        )
        return row


def _share(values: list[float], share: float) -> float | None:
    return values[min(len(values) - 1, int(len(values) * share))] if values else None


def announce(release: dict, label: str) -> None:
    say(
        f"go-live {label}: “{release['headline']}” scheduled for "
        f"{time.strftime('%H:%M:%S', time.localtime(release['at']))}, "
        f"{release['at'] - time.time():.0f} s from now"
    )


def poll(host: str, port: int, label: str, release: dict) -> dict:
    """The scenario against ``host``:``port`` for a release already scheduled."""
    result = Poll(host, port, release).run()
    return {"label": label, "release": release} | result


def run(host: str, port: int, label: str) -> dict:
    """Schedule a release, then poll."""
    release = schedule_release()
    announce(release, label)
    return poll(host, port, label, release)


def markdown(scenario: dict) -> list[str]:
    client = scenario["client"]
    lines = [
        f"Go-live {scenario['label']}: {client['connections']} keep-alive connections poll "
        f"{', '.join(f'{name} ({path})' for name, path in scenario['pages'].items())} from "
        f"{BEFORE:.0f} s before to {AFTER:.0f} s after the minute "
        f"“{scenario['release']['headline']}” goes public. Goals: p99 < {GOALS['p99_ms']} ms, "
        f"max < {GOALS['max_ms']} ms, no errors, every connection sees the release within "
        f"{GOALS['seen_s']} s.",
        "",
        "| page | requests | p50 ms | p99 ms | max ms | p99 ms before the minute "
        f"| p99 ms first {BURST_SECONDS} s after | errors | 404 before the minute "
        "| seen after: first, worst connection | shown before the minute | old copy again "
        "| old copies after the minute (last; longest s-maxage) | met? |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in scenario["rows"]:
        if row["first_seen_s"] is None:
            seen = "never"
        elif row["never_seen"]:
            seen = f"{row['first_seen_s']:.2f} s, never on {row['never_seen']} connection(s)"
        else:
            seen = f"{row['first_seen_s']:.2f} s, {row['worst_seen_s']:.2f} s"
        errors = str(row["errors"])
        if row["error_kinds"]:
            errors += f" ({', '.join(row['error_kinds'])})"
        lines.append(
            f"| {row['page']} | {row['requests']:,} | {_ms(row['p50_ms'])} | "
            f"{_ms(row['p99_ms'])} | {_ms(row['max_ms'])} | {_ms(row['p99_before_ms'])} | "
            f"{_ms(row['p99_burst_ms'])} | {errors} | {row['expected_404']:,} | "
            f"{seen} | {row['shown_before_minute']} | {row['lost_again']} | {_old(row)} | "
            f"{'yes' if row['met'] else 'NO'} |"
        )
    around = [t for t in scenario["timeline"] if -3 <= t["second"] <= 4]
    lines += [
        "",
        "Around the minute, second by second (by when requests were sent):",
        "",
        "| second | " + " | ".join(f"{t['second']:+d}" for t in around) + " |",
        "|---|" + "---:|" * len(around),
        "| answers | " + " | ".join(f"{t['answers']:,}" for t in around) + " |",
        "| p99 ms | " + " | ".join(_ms(t["p99_ms"]) for t in around) + " |",
        "| max ms | " + " | ".join(_ms(t["max_ms"]) for t in around) + " |",
        "| not 200 | " + " | ".join(str(t["not_200"]) for t in around) + " |",
        "",
        f"The client (asyncio, in the bench's process, on the same cores): "
        f"{client['requests_per_second']:,} requests/s, {client['cpu_seconds']} s of CPU in "
        f"{client['seconds']:.0f} s ({client['cpu_share_of_one_core']:.0%} of one core); its "
        f"event loop woke late by {client['loop_lag_p99_ms']} ms (p99), "
        f"{client['loop_lag_max_ms']} ms (max): every latency above includes that much.",
        "",
    ]
    return lines


def _old(row: dict) -> str:
    if not row["old_after_minute"]:
        return "0"
    return (
        f"{row['old_after_minute']:,} (+{row['old_last_s']:.2f} s; "
        f"{row['old_longest_shared_lifetime_s']} s)"
    )


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"
