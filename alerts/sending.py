"""What a worker does with a batch of deliveries: claim the rows, send, mark each one sent.

A row is claimed (``sending``) in one short transaction before anything is sent, and marked
``sent`` right after the mail server accepted its email, each on its own: a worker killed
between two emails leaves every email it sent marked. A worker that dies leaves its unsent rows
claimed; the dispatcher hands them out again after ``ALERTS_CLAIM_TIMEOUT``.

Before each email the worker knows the claim is still its own: it renews the claim on all the
batch's unsent rows at most every ``RENEW_EVERY`` (a second), not before each email. A row
renewed less than a second ago cannot have been handed to another worker, which takes the whole
claim timeout without a renewal (five minutes by default); a row found no longer held at a
renewal is left to the worker that holds it now.

A temporary failure puts the row back with a delay that doubles with each attempt; a permanent
refusal of the address (5xx) counts as a hard bounce.
"""

import logging
import secrets
import smtplib
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.db import connection, transaction
from django.db.models import F, Prefetch, prefetch_related_objects
from django.utils import timezone

from alerts import emails
from alerts.models import Delivery, DeliveryState, NoticeKind, Subscriber
from alerts.rendering import AlertRenderer
from releases.models import Organisation, Release, Status

logger = logging.getLogger(__name__)

FIRST_RETRY = timedelta(minutes=1)
# How long a renewed claim is trusted before sending, in seconds (at most a tenth of the claim
# timeout, should that be set very short).
RENEW_EVERY = 1.0


def claim(ids: list[int], now: datetime | None = None) -> list[Delivery]:
    """Take the rows among ``ids`` that are still waiting and due; rows another worker holds
    are skipped, not waited for. Each row remembers the claim (``Delivery.claim``)."""
    now = now or timezone.now()
    token = secrets.token_hex(16)
    with transaction.atomic():
        pks = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, state=DeliveryState.PENDING, due_at__lte=now)
            .values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=pks).update(
            state=DeliveryState.SENDING, claimed_at=now, claim=token, attempts=F("attempts") + 1
        )
    releases = Release.objects.select_related(
        "campaign", "advisory_event__accreditation_contact"
    ).prefetch_related("media_contacts", "topics")
    deliveries = list(
        Delivery.objects.filter(pk__in=pks, claim=token)
        .select_related("subscriber", "correction")
        .prefetch_related(Prefetch("release", queryset=releases))
        .order_by("pk")
    )
    # Their choices in words name their topics and campaigns; "every release" needs neither.
    choosy = [d.subscriber for d in deliveries if d.subscriber and not d.subscriber.everything]
    prefetch_related_objects(choosy, "topics", "campaigns")
    return deliveries


def _still_owed(delivery: Delivery, public: set[int], taken_down: dict[int, str]) -> bool:
    subscriber = delivery.subscriber
    if subscriber is None or not subscriber.is_active:
        return False
    if delivery.kind in (NoticeKind.WITHDRAWN, NoticeKind.UNPUBLISHED):
        return taken_down.get(delivery.release_id) == delivery.kind
    return delivery.release_id in public


def _release_states(deliveries: list[Delivery]) -> tuple[set[int], dict[int, str]]:
    """Which of the releases are public now (the one rule), and which are taken down (withdrawn
    or unpublished), with the kind of notice that says so."""
    ids = {delivery.release_id for delivery in deliveries}
    public = set(Release.objects.published().filter(pk__in=ids).values_list("pk", flat=True))
    notice_for = {
        Status.WITHDRAWN: NoticeKind.WITHDRAWN,
        Status.UNPUBLISHED: NoticeKind.UNPUBLISHED,
    }
    taken_down = {
        pk: notice_for[status]
        for pk, status in Release.objects.filter(pk__in=ids, status__in=notice_for).values_list(
            "pk", "status"
        )
    }
    return public, taken_down


def _mark(deliveries: list[Delivery], **fields) -> None:
    """Update rows this worker still holds: a row handed to another worker meanwhile (this one
    was taken for dead) is left alone."""
    Delivery.objects.filter(
        pk__in=[delivery.pk for delivery in deliveries],
        state=DeliveryState.SENDING,
        claim=deliveries[0].claim,
    ).update(**fields)


class Claim:
    """The rows of a batch this worker holds, renewed at most every ``RENEW_EVERY``."""

    def __init__(self, deliveries: list[Delivery]):
        self.token = deliveries[0].claim if deliveries else ""
        self.unsent = {delivery.pk for delivery in deliveries}
        self.held: set[int] = set()
        self.renewed_at: float | None = None
        self.trusted_for = min(RENEW_EVERY, settings.ALERTS_CLAIM_TIMEOUT / 10)

    def holds(self, delivery: Delivery) -> bool:
        """True if this worker may send ``delivery`` now (renewing the claim if it is due);
        False if the row was handed to another worker (this one was slow enough to be taken
        for dead), which then sends it instead."""
        if self.renewed_at is None or time.monotonic() - self.renewed_at >= self.trusted_for:
            self.renew()
        return delivery.pk in self.held

    def renew(self) -> None:
        started = time.monotonic()
        now = timezone.now()
        rows = Delivery.objects.filter(
            pk__in=self.unsent, state=DeliveryState.SENDING, claim=self.token
        )
        renewed = rows.update(claimed_at=now)
        if renewed == len(self.unsent):
            self.held = set(self.unsent)
        else:
            self.held = set(rows.filter(claimed_at=now).values_list("pk", flat=True))
        self.renewed_at = started

    def done(self, delivery: Delivery) -> None:
        self.unsent.discard(delivery.pk)
        self.held.discard(delivery.pk)


def _mark_sent(delivery: Delivery, message_id: str) -> None:
    """One short statement per email, the one a worker runs most: written in SQL so that
    building it costs nothing. Like ``_mark``, it leaves a row another worker holds alone."""
    table = Delivery._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {connection.ops.quote_name(table)} SET state = %s, sent_at = %s, "
            "message_id = %s, last_error = '' WHERE id = %s AND state = %s AND claim = %s",
            [
                DeliveryState.SENT.value,
                timezone.now(),
                message_id[:255],
                delivery.pk,
                DeliveryState.SENDING.value,
                delivery.claim,
            ],
        )


def _permanent(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500 and not isinstance(error, smtplib.SMTPSenderRefused)
    return False


def _failed(deliveries: list[Delivery], error: Exception) -> None:
    pks = [delivery.pk for delivery in deliveries]
    text = f"{type(error).__name__}: {error}"[:2000]
    now = timezone.now()
    if _permanent(error):
        _mark(deliveries, state=DeliveryState.FAILED, outcome="bounced", last_error=text)
        Subscriber.objects.filter(pk=deliveries[0].subscriber_id, bounced_at__isnull=True).update(
            bounced_at=now
        )
        logger.warning("alert address refused", extra={"deliveries": pks, "error": text})
        return
    attempts = max(delivery.attempts for delivery in deliveries)  # this one included
    if attempts >= settings.ALERTS_MAX_ATTEMPTS:
        _mark(deliveries, state=DeliveryState.FAILED, last_error=text)
        logger.error("alert gave up", extra={"deliveries": pks, "error": text})
        return
    delay = FIRST_RETRY * 2 ** (attempts - 1)
    _mark(
        deliveries,
        state=DeliveryState.PENDING,
        enqueued_at=None,
        due_at=now + delay,
        last_error=text,
    )
    logger.warning("alert will be retried", extra={"deliveries": pks, "error": text})


class Sender:
    """Sends emails over one connection, opened on first use and reopened after an error."""

    def __init__(self):
        self.connection = None
        self.envelope_from = sanitize_address(settings.DEFAULT_FROM_EMAIL, "utf-8")

    def speaks_smtp(self) -> bool:
        """True when emails go to an SMTP server, which can take them as bytes."""
        if self.connection is None:
            self.connection = get_connection(fail_silently=False)
        return isinstance(self.connection, SMTPBackend)

    def send(self, message) -> None:
        self._send(lambda: self.connection.send_messages([message]))

    def send_bytes(self, recipient: str, wire: bytes) -> None:
        """An email already made into what an SMTP server receives (``speaks_smtp`` only)."""
        self._send(
            lambda: self.connection.connection.sendmail(self.envelope_from, [recipient], wire)
        )

    def _send(self, send) -> None:
        if self.connection is None:
            self.connection = get_connection(fail_silently=False)
        try:
            self.connection.open()
            send()
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:
                pass
            self.connection = None


def _message_id(message) -> str:
    provider_id = getattr(getattr(message, "anymail_status", None), "message_id", None)
    return str(provider_id or message.extra_headers.get("Message-ID", ""))


def _send_and_mark(sender: Sender, message, deliveries: list[Delivery]) -> bool:
    """A digest: its rows' claim renewed, sent, its rows marked."""
    renewed = Delivery.objects.filter(
        pk__in=[delivery.pk for delivery in deliveries],
        state=DeliveryState.SENDING,
        claim=deliveries[0].claim,
    ).update(claimed_at=timezone.now())
    if renewed != len(deliveries):
        return False
    try:
        sender.send(message)
    except Exception as error:
        _failed(deliveries, error)
        return False
    _mark(
        deliveries,
        state=DeliveryState.SENT,
        sent_at=timezone.now(),
        message_id=_message_id(message)[:255],
        last_error="",
    )
    return True


def _commit_without_waiting_for_disk() -> None:
    """A worker commits a row's state after every email; on PostgreSQL it need not wait for
    the disk each time (asynchronous commit). A worker that dies loses nothing: the server has
    its commits. Only a crash of the database server itself could lose the last fraction of a
    second of them, and so resend those few emails (with the same Message-ID)."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")


def send_alerts(ids: list[int]) -> int:
    """Send one email per delivery among ``ids`` still owed; returns how many were sent."""
    _commit_without_waiting_for_disk()
    deliveries = claim(ids)
    if not deliveries:
        return 0
    public, taken_down = _release_states(deliveries)
    renderer = AlertRenderer(Organisation.current())
    held = Claim(deliveries)
    sender = Sender()
    sent = 0
    try:
        for delivery in deliveries:
            if not _still_owed(delivery, public, taken_down):
                _mark([delivery], state=DeliveryState.CANCELLED, last_error="no longer owed")
                held.done(delivery)
                continue
            wire = renderer.smtp_bytes(delivery) if sender.speaks_smtp() else None
            message = renderer.message(delivery) if wire is None else None
            if not held.holds(delivery):
                continue
            try:
                if message is None:
                    sender.send_bytes(delivery.subscriber.email, wire)
                else:
                    sender.send(message)
            except Exception as error:
                _failed([delivery], error)
            else:
                _mark_sent(
                    delivery,
                    emails.delivery_message_id([delivery.pk])
                    if message is None
                    else _message_id(message),
                )
                sent += 1
            held.done(delivery)
    finally:
        sender.close()
    return sent


def send_digests(groups: list[list[int]]) -> int:
    """One digest email per group (the deliveries owed to one subscriber); returns how many."""
    _commit_without_waiting_for_disk()
    deliveries = claim([pk for group in groups for pk in group])
    if not deliveries:
        return 0
    public, taken_down = _release_states(deliveries)
    organisation = Organisation.current()
    by_subscriber: dict[int | None, list[Delivery]] = {}
    for delivery in deliveries:
        if _still_owed(delivery, public, taken_down):
            by_subscriber.setdefault(delivery.subscriber_id, []).append(delivery)
        else:
            _mark([delivery], state=DeliveryState.CANCELLED, last_error="no longer owed")
    sender = Sender()
    sent = 0
    try:
        for owed in by_subscriber.values():
            message = emails.digest_message(owed[0].subscriber, owed, organisation)
            sent += _send_and_mark(sender, message, owed)
    finally:
        sender.close()
    return sent
