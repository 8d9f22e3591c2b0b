"""`make bench-alerts`: 100,000 subscribers alerted of one release through production's queue.

Seeds the bench database with BENCH_ALERTS_COUNT confirmed subscribers (once), starts an SMTP
sink (aiosmtpd, in its own process, that counts and drops what it receives), then for 1, 2 and
4 RQ workers: publishes a release, runs the dispatcher (the fan-out: one delivery row per
subscriber, and the tasks), starts the workers and waits until they have emptied the queue.
Reports emails per second (from the dispatcher's start to the last email) and each worker's
memory (resident set, sampled every second: after 10 s and at its peak), in a table, also written
to bench/results/ as Markdown and JSON.

Settings from the environment: BENCH_ALERTS_COUNT (100000), BENCH_ALERTS_WORKERS ("1,2,4"),
BENCH_ALERTS_DATABASE_URL (postgres://postgres@127.0.0.1:5432/newsroom_alerts_bench),
BENCH_ALERTS_RQ_URL (redis://127.0.0.1:6379/10; the script empties that Redis database, so not
the tests' 11).
"""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNT = int(os.environ.get("BENCH_ALERTS_COUNT", "100000"))
WORKERS = [int(n) for n in os.environ.get("BENCH_ALERTS_WORKERS", "1,2,4").split(",")]
DATABASE_URL = os.environ.get(
    "BENCH_ALERTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_alerts_bench"
)
RQ_URL = os.environ.get("BENCH_ALERTS_RQ_URL", "redis://127.0.0.1:6379/10")

SINK = """
import asyncio, signal, sys
from aiosmtpd.controller import Controller

class Sink:
    count = 0
    async def handle_DATA(self, server, session, envelope):
        Sink.count += 1
        return "250 OK"

signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
controller = Controller(Sink(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
signal.sigwait({signal.SIGTERM, signal.SIGINT})
controller.stop()
print(Sink.count)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def environment(smtp_port: int) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    return env | {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(40),
        "DEBUG": "0",
        "DATABASE_URL": DATABASE_URL,
        "TASKS_URL": RQ_URL,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "SITE_URL": "https://news.example.org",
        "LOG_LEVEL": "WARNING",
    }


def create_database() -> None:
    name = DATABASE_URL.rsplit("/", 1)[1]
    server = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    import psycopg2

    connection = psycopg2.connect(server)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def seed_subscribers():
    from django.utils import timezone

    from alerts.models import Subscriber

    have = Subscriber.objects.count()
    if have >= COUNT:
        return
    now = timezone.now()
    batch = []
    for n in range(have, COUNT):
        batch.append(Subscriber(email=f"reader{n}@sink.example", language="en", confirmed_at=now))
        if len(batch) == 10000:
            Subscriber.objects.bulk_create(batch)
            batch = []
    Subscriber.objects.bulk_create(batch)


def run(workers: int, env: dict[str, str]) -> dict:
    import redis
    from django.utils import timezone

    from alerts.dispatch import dispatch
    from alerts.models import Delivery, DeliveryState, DispatcherState, Notice
    from alerts.workers import rq_worker_command
    from releases.models import Release
    from releases.workflow import publishing

    redis.Redis.from_url(RQ_URL).flushdb()
    Release.objects.filter(slug__startswith="bench-").delete()
    Delivery.objects.all().delete()
    Notice.objects.all().delete()
    DispatcherState.objects.all().delete()
    release = Release.objects.create(
        headline=f"Bench release for {workers} workers",
        slug=f"bench-{workers}-{secrets.token_hex(4)}",
        dateline_city="Ottawa",
        dateline_region="ON",
        summary="One release, every subscriber.",
        body="<p>Body.</p>",
    )
    publishing.publish(release=release, at=timezone.now())

    started = time.monotonic()
    report = dispatch()
    dispatched = time.monotonic()
    processes = [
        subprocess.Popen(
            rq_worker_command(burst=True, simple=True),
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]
    samples: dict[int, list[float]] = {p.pid: [] for p in processes}
    while any(p.poll() is None for p in processes):
        for process in processes:
            if (value := rss_mib(process.pid)) is not None:
                samples[process.pid].append(value)
        time.sleep(1)
    finished = time.monotonic()
    sent = Delivery.objects.filter(state=DeliveryState.SENT).count()
    per_worker = [values for values in samples.values() if values]
    return {
        "workers": workers,
        "emails": sent,
        "tasks": report.tasks_enqueued,
        "fan_out_s": round(dispatched - started, 1),
        "total_s": round(finished - started, 1),
        "emails_per_s": round(sent / (finished - started)),
        "sending_per_s": round(sent / (finished - dispatched)),
        # After 10 s (the worker has imported everything and sent its first batches), and at
        # its peak: flat memory means the two are close however many emails were sent.
        "rss_10s_mib": round(max(v[min(10, len(v) - 1)] for v in per_worker), 1)
        if per_worker
        else None,
        "rss_peak_mib": round(max(max(v) for v in per_worker), 1) if per_worker else None,
    }


def main():
    create_database()
    port = free_port()
    env = environment(port)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    import django

    django.setup()
    seed_subscribers()
    sink = subprocess.Popen(
        [sys.executable, "-c", SINK, str(port)], stdout=subprocess.PIPE, text=True
    )
    time.sleep(1)
    rows = []
    try:
        for workers in WORKERS:
            row = run(workers, env)
            rows.append(row)
            print(json.dumps(row), flush=True)
    finally:
        sink.terminate()
        received = sink.communicate(timeout=10)[0].strip()
    lines = [
        f"# Alerts benchmark, {datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"{COUNT:,} confirmed subscribers, one release, RQ on Redis, an aiosmtpd sink "
        f"(received {received} emails in all), {os.cpu_count()} cores.",
        "",
        "| workers | emails | fan-out s | total s | emails/s | sending/s | RSS at 10 s MiB "
        "| RSS peak MiB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['workers']} | {r['emails']:,} | {r['fan_out_s']} | {r['total_s']} | "
        f"{r['emails_per_s']} | {r['sending_per_s']} | {r['rss_10s_mib']} | {r['rss_peak_mib']} |"
        for r in rows
    ]
    table = "\n".join(lines)
    print(table)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    stamp = f"alerts-{datetime.now():%Y%m%d-%H%M%S}"
    (results / f"{stamp}.md").write_text(table + "\n")
    (results / f"{stamp}.json").write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
