"""The dispatcher: run every minute, it finds what subscribers must hear of and queues the emails.

What went public is read from the visibility rule itself (``Release.objects.published()``): an
embargo lifts by the clock, with no job, so the dispatcher looks at which releases the rule lets
in since its last run (with an overlap, in case a publication's transaction committed late).
Each finding becomes a ``Notice`` (unique), then one ``Delivery`` row per subscriber owed an
email (unique per release, subscriber and kind), then tasks that send them. Every step can run
twice, in two dispatchers at once, or be cut short: the constraints keep each email single.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from itertools import islice

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django_tasks import task

from alerts import tasks
from alerts.models import (
    Delivery,
    DeliveryState,
    DispatcherState,
    Frequency,
    Notice,
    NoticeKind,
    Subscriber,
)
from releases.models import Correction, Release, ReleaseEvent, Status

logger = logging.getLogger(__name__)

# Releases, corrections and withdrawals up to this long before the last run are looked at again:
# a publication whose transaction committed just after a run is still found.
OVERLAP = timedelta(minutes=10)
# A release published with an earlier date than the moment it was published (an old release
# entered with its original date) is not news: no alert.
BACKDATED_AFTER = timedelta(minutes=1)
INSERT_BATCH = 5000


@dataclass
class Report:
    notices: list[Notice] = field(default_factory=list)
    deliveries_created: int = 0
    requeued: int = 0
    tasks_enqueued: int = 0


def dispatch(now: datetime | None = None) -> Report:
    """One run: find, fan out, hand stale work back, queue what is due, tell the WebSub hub."""
    now = now or timezone.now()
    report = Report()
    report.notices = find_notices(now)
    for notice in Notice.objects.filter(fanned_out_at__isnull=True).select_related("release"):
        report.deliveries_created += fan_out(notice, now)
    report.requeued = requeue_stale(now)
    report.tasks_enqueued = enqueue_due(now)
    pinged = [n for n in report.notices if n.kind in (NoticeKind.NEW, NoticeKind.CORRECTED)]
    if pinged and settings.WEBSUB_HUB_URL:
        from alerts.websub import feed_urls_for

        urls = sorted({url for notice in pinged for url in feed_urls_for(notice.release)})
        tasks.ping_websub_hub.enqueue(urls)
    return report


def went_public_since(since: datetime, now: datetime):
    """Releases the visibility rule let in during (since, now], leaving out backdated ones."""
    decided_at = (
        ReleaseEvent.objects.filter(
            release=OuterRef("pk"),
            action__in=[ReleaseEvent.Action.PUBLISHED, ReleaseEvent.Action.SCHEDULED],
        )
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    return (
        Release.objects.published()
        .filter(publish_at__gt=since, publish_at__lte=now)
        .annotate(decided_at=Subquery(decided_at))
        .filter(Q(decided_at__isnull=True) | Q(publish_at__gte=F("decided_at") - BACKDATED_AFTER))
    )


def find_notices(now: datetime) -> list[Notice]:
    """New notices since the last run; the dispatcher's row is locked meanwhile, so two
    dispatchers take turns (and the unique constraints would stop a double anyway)."""
    DispatcherState.objects.get_or_create(pk=1)
    with transaction.atomic():
        state = DispatcherState.objects.select_for_update().get(pk=1)
        since = (state.last_run_at or now) - OVERLAP
        found = []
        new = went_public_since(since, now).exclude(
            Exists(Notice.objects.filter(release=OuterRef("pk"), kind=NoticeKind.NEW))
        )
        found += [Notice(release=r, kind=NoticeKind.NEW, found_at=now) for r in new]
        corrections = Correction.objects.filter(
            corrected_at__gt=since,
            corrected_at__lte=now,
            release__in=Release.objects.published(),
        ).exclude(Exists(Notice.objects.filter(correction=OuterRef("pk"))))
        found += [
            Notice(release_id=c.release_id, correction=c, kind=NoticeKind.CORRECTED, found_at=now)
            for c in corrections
        ]
        found += _taken_down(NoticeKind.WITHDRAWN, since, now)
        found += _taken_down(NoticeKind.UNPUBLISHED, since, now)
        Notice.objects.bulk_create(found, ignore_conflicts=True)
        if state.last_run_at is None or state.last_run_at < now:
            state.last_run_at = now
            state.save(update_fields=["last_run_at"])
    return list(
        Notice.objects.filter(found_at=now, fanned_out_at__isnull=True).select_related("release")
    )


# How a release is taken down: the event that does it and the state it leaves the release in.
TAKEDOWNS = {
    NoticeKind.WITHDRAWN: (ReleaseEvent.Action.WITHDRAWN, Status.WITHDRAWN),
    NoticeKind.UNPUBLISHED: (ReleaseEvent.Action.UNPUBLISHED, Status.UNPUBLISHED),
}


def _taken_down(kind: str, since: datetime, now: datetime) -> list[Notice]:
    """Releases withdrawn, or unpublished as published in error, during (since, now] and still
    so, with no notice of that kind yet."""
    action, status = TAKEDOWNS[kind]
    releases = (
        ReleaseEvent.objects.filter(
            action=action, at__gt=since, at__lte=now, release__status=status
        )
        .exclude(Exists(Notice.objects.filter(release=OuterRef("release"), kind=kind)))
        .values_list("release_id", flat=True)
        .distinct()
    )
    return [Notice(release_id=pk, kind=kind, found_at=now) for pk in releases]


def next_digest_at(frequency: str, now: datetime) -> datetime:
    """The next digest time after ``now``: ALERTS_DIGEST_HOUR in the newsroom's zone, daily or
    on ALERTS_DIGEST_WEEKDAY."""
    local = timezone.localtime(now)
    zone = local.tzinfo
    day = local.date()
    hour = time(settings.ALERTS_DIGEST_HOUR)
    for offset in range(8):
        candidate_day = day + timedelta(days=offset)
        if frequency == Frequency.WEEKLY and candidate_day.weekday() != (
            settings.ALERTS_DIGEST_WEEKDAY
        ):
            continue
        candidate = timezone.make_aware(datetime.combine(candidate_day, hour), zone)
        if candidate > now:
            return candidate
    raise AssertionError("a digest time always comes within eight days")


def _due_at(frequency: str, now: datetime) -> datetime:
    return now if frequency == Frequency.IMMEDIATELY else next_digest_at(frequency, now)


def recipients(notice: Notice):
    """(subscriber id, frequency) of everyone owed an email for ``notice``."""
    release = notice.release
    active = Subscriber.objects.active()
    if notice.kind == NoticeKind.NEW:
        # Their own language's version when it is public; else this one, which says so.
        public_languages = set(
            Release.objects.published()
            .twins_of(release, including_itself=True)
            .values_list("language", flat=True)
        )
        languages = {release.language} | (
            {code for code, _ in settings.LANGUAGES} - public_languages
        )
        return active.interested_in(release).filter(language__in=languages)
    # Corrections and takedowns go to those who got the original, and to no one else.
    got_it = Delivery.objects.filter(
        subscriber=OuterRef("pk"),
        release=release,
        kind=NoticeKind.NEW,
        state=DeliveryState.SENT,
    )
    return active.filter(Exists(got_it))


def fan_out(notice: Notice, now: datetime) -> int:
    """One Delivery per recipient (existing ones are left as they are); returns how many rows
    were offered."""
    release = notice.release
    rows = (
        Delivery(
            subscriber_id=pk,
            release=release,
            translation_group=release.translation_group,
            kind=notice.kind,
            correction_id=notice.correction_id,
            in_digest=frequency != Frequency.IMMEDIATELY,
            due_at=_due_at(frequency, now),
        )
        for pk, frequency in recipients(notice).values_list("pk", "frequency").iterator()
    )
    offered = 0
    while batch := list(islice(rows, INSERT_BATCH)):
        Delivery.objects.bulk_create(batch, ignore_conflicts=True)
        offered += len(batch)
    if notice.kind in TAKEDOWNS:
        # Emails about it not sent yet (a digest, a retry) are not sent at all.
        Delivery.objects.filter(release=release, state=DeliveryState.PENDING).exclude(
            kind=notice.kind
        ).update(state=DeliveryState.CANCELLED, last_error=notice.kind)
    Notice.objects.filter(pk=notice.pk).update(fanned_out_at=now)
    logger.info(
        "alert notice fanned out",
        extra={"notice": notice.pk, "kind": notice.kind, "release": release.pk, "rows": offered},
    )
    return offered


def requeue_stale(now: datetime) -> int:
    """Rows a worker claimed and never marked (it died) go back to the queue, unless they have
    had all their attempts."""
    stale = Delivery.objects.filter(
        state=DeliveryState.SENDING,
        claimed_at__lt=now - timedelta(seconds=settings.ALERTS_CLAIM_TIMEOUT),
    )
    stale.filter(attempts__gte=settings.ALERTS_MAX_ATTEMPTS).update(
        state=DeliveryState.FAILED, last_error="worker gave no answer"
    )
    return stale.update(state=DeliveryState.PENDING, enqueued_at=None, due_at=now)


def enqueue_due(now: datetime) -> int:
    """Queue a task for every due row not queued yet (or queued so long ago that the task must
    have been lost); returns the number of tasks."""
    lost = now - timedelta(seconds=settings.ALERTS_CLAIM_TIMEOUT)
    with transaction.atomic():
        due = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(state=DeliveryState.PENDING, due_at__lte=now)
            .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=lost))
            .order_by("pk")
            .values_list("pk", "in_digest", "subscriber_id")
        )
        for start in range(0, len(due), INSERT_BATCH):
            pks = [row[0] for row in due[start : start + INSERT_BATCH]]
            Delivery.objects.filter(pk__in=pks).update(enqueued_at=now)
    size = settings.ALERTS_BATCH_SIZE
    single = [pk for pk, in_digest, _ in due if not in_digest]
    digests: dict[int, list[int]] = {}
    for pk, in_digest, subscriber_id in due:
        if in_digest:
            digests.setdefault(subscriber_id, []).append(pk)
    count = 0
    for start in range(0, len(single), size):
        tasks.send_alerts.enqueue(single[start : start + size])
        count += 1
    groups = list(digests.values())
    for start in range(0, len(groups), size):
        tasks.send_digests.enqueue(groups[start : start + size])
        count += 1
    return count


@task()
def dispatch_alerts() -> int:
    """The dispatcher as a task, for a queue's own scheduler (rq cron, for example)."""
    return dispatch().tasks_enqueued
