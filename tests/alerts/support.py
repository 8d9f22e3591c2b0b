"""Helpers for the email alerts tests: subscribers, the task queue run in-process, and a real
SMTP server (aiosmtpd) that keeps what it receives, and a WebSub hub that keeps its pings."""

import email
import email.policy
import itertools
import socket
import threading
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from aiosmtpd.controller import Controller
from django.db import transaction
from django.utils import timezone

from alerts.models import Frequency, Subscriber

_numbers = itertools.count(1)


def make_subscriber(*, topics=(), campaigns=(), release_types=(), **overrides) -> Subscriber:
    """A confirmed subscriber to every release (unless told otherwise), immediately, English."""
    n = next(_numbers)
    fields = {
        "email": f"reader{n}@example.net",
        "language": "en",
        "frequency": Frequency.IMMEDIATELY,
        "confirmed_at": timezone.now(),
    } | overrides
    if topics or campaigns or release_types:
        fields.setdefault("everything", False)
    subscriber = Subscriber(**fields)
    subscriber.set_chosen_types(release_types)
    subscriber.save()
    subscriber.topics.set(topics)
    subscriber.campaigns.set(campaigns)
    return subscriber


def run_commit_callbacks() -> None:
    """What a commit would run: a test's transaction never commits, so callbacks registered
    with ``transaction.on_commit`` (enqueueing after the rows are saved) run here."""
    from django.db import connection

    while connection.run_on_commit:
        callbacks, connection.run_on_commit[:] = connection.run_on_commit[:], []
        for _, callback, _ in callbacks:
            callback()


def run_tasks() -> int:
    """Run every task waiting in the database queue, as `manage.py db_worker --batch` does (in
    this process and this test's transaction); returns how many ran."""
    run_commit_callbacks()
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    ran = 0
    while True:
        with transaction.atomic():
            result = DBTaskResult.objects.ready().get_locked()
            if result is not None:
                result.claim("tests")
        if result is None:
            return ran
        worker.run_task(result)
        ran += 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """What the SMTP server accepted, as parsed messages; ``refuse`` answers chosen recipients
    with a code (``{"x@y": "550 5.1.1 No such user"}``) for a number of tries."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse: dict[str, tuple[str, int]] = {}
        self.on_data = None
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            if address in self.refuse:
                reply, times = self.refuse[address]
                if times > 0:
                    self.refuse[address] = (reply, times - 1)
                    return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.on_data is not None:
            answer = self.on_data(envelope)
            if answer:
                return answer
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if address in str(m["To"])]

    def clear(self):
        with self.lock:
            self.messages.clear()
            self.envelopes.clear()


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free port; yields (mailbox, port)."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


@pytest.fixture
def send_through(smtp_server, settings):
    """Django sends through the real SMTP server; yields its mailbox."""
    mailbox, port = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    return mailbox


def text_part(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_part(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


@pytest.fixture
def hub(settings):
    """A WebSub hub on a free local port that records the publish pings it receives."""
    pings: list[dict] = []

    class Hub(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            pings.append(parse_qs(self.rfile.read(length).decode()))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.WEBSUB_HUB_URL = f"http://127.0.0.1:{server.server_port}/hub"
    yield pings
    server.shutdown()
    server.server_close()
