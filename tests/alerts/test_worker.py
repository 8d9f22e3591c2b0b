"""Production's queue for real: RQ on Redis through django-tasks-rq, a worker in its own process
killed with SIGKILL in the middle of a batch, and every subscriber served exactly once."""

import os
import secrets
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
import redis
from django.db.models import Count
from django.utils import timezone

from alerts.dispatch import dispatch
from alerts.models import Delivery, DeliveryState
from alerts.workers import rq_worker_command
from releases.workflow import publishing
from tests.alerts.support import make_subscriber
from tests.conftest import SHARED_REDIS, redis_answers
from tests.factories import make_release

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    SHARED_REDIS,
]
ROOT = Path(__file__).resolve().parents[2]
RQ_URL = os.environ.get("TEST_RQ_URL", "redis://127.0.0.1:6379/11")
SUBSCRIBERS = 120
KILL_AFTER = 45


@pytest.fixture
def rq_queue(settings):
    """The task queue is RQ on Redis (db 11, emptied before and after), as in production."""
    if not redis_answers(RQ_URL):
        pytest.skip(f"needs Redis at {RQ_URL}")
    connection = redis.Redis.from_url(RQ_URL)
    connection.flushdb()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": RQ_URL}}
    yield connection
    connection.flushdb()


def start_worker(smtp_port: int, log: Path) -> subprocess.Popen:
    from django.db import connection

    database = connection.settings_dict
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "SECRET_KEY": secrets.token_urlsafe(30),
        "DEBUG": "0",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "TASKS_URL": RQ_URL,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "SITE_URL": "https://news.example.org",
    }
    with open(log, "a") as output:
        return subprocess.Popen(
            rq_worker_command(burst=True, simple=True),
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def test_a_worker_killed_mid_batch_leaves_every_subscriber_served_exactly_once(
    rq_queue, smtp_server, settings, tmp_path
):
    mailbox, port = smtp_server
    settings.ALERTS_BATCH_SIZE = 40
    subscribers = [make_subscriber() for _ in range(SUBSCRIBERS)]
    publishing.publish(release=make_release(published=False, headline="Big News"), by=None)
    report = dispatch()
    assert report.tasks_enqueued == 3

    worker = None
    killed = threading.Event()

    def kill_in_the_middle(envelope):
        # The 46th email reaches the server: the worker dies before the server says 250.
        if len(mailbox.messages) >= KILL_AFTER and not killed.is_set():
            os.killpg(worker.pid, signal.SIGKILL)
            killed.set()
        return "451 4.3.0 Connection lost" if killed.is_set() else None

    mailbox.on_data = kill_in_the_middle
    log = tmp_path / "worker.log"
    worker = start_worker(port, log)
    assert worker.wait(timeout=120) == -signal.SIGKILL, log.read_text()
    assert killed.is_set() and len(mailbox.messages) == KILL_AFTER
    states = dict(Delivery.objects.values_list("state").annotate(n=Count("pk")))
    assert states[DeliveryState.SENT] == KILL_AFTER
    assert states[DeliveryState.SENDING] > 0  # claimed by the dead worker, never marked

    mailbox.on_data = None
    settings.ALERTS_CLAIM_TIMEOUT = 0  # as if the claim timeout had passed
    time.sleep(0.01)
    dispatch()
    worker = start_worker(port, log)
    assert worker.wait(timeout=120) == 0, log.read_text()

    received = [str(message["To"]) for message in mailbox.messages]
    assert sorted(received) == sorted(subscriber.email for subscriber in subscribers)
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}
    assert Delivery.objects.filter(sent_at__lte=timezone.now()).count() == SUBSCRIBERS


def test_two_dispatchers_at_the_same_instant_owe_each_subscriber_one_email(settings):
    from django.core import mail
    from django.db import connection

    from tests.alerts.support import run_tasks

    subscribers = [make_subscriber() for _ in range(30)]
    publishing.publish(release=make_release(published=False, headline="Twice"), by=None)
    start = threading.Barrier(2)
    errors = []

    def run():
        try:
            start.wait()
            dispatch()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Delivery.objects.count() == len(subscribers)
    run_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.email for s in subscribers)
