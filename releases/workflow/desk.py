"""The desk: what the admin's home page shows a member of staff — their drafts, what waits for
their review, the coming fortnight's go-lives with their language twins side by side, and what
went out lately with its corrections, and the language versions to translate or bring up to
date; each release an outside reviewer asked to change says so. A fixed number of queries,
whatever the numbers."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import groupby

from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from releases.models import Correction, Release, Status
from releases.text.zones import zone_in_sentence
from releases.workflow import reviews
from releases.workflow.translations import waiting_for_translation

SCHEDULE_DAYS = 14
ROWS = 20
RECENT_ROWS = 10

PERM_APPROVE = "releases.approve_release"
PERM_PUBLISH = "releases.publish_release"


@dataclass
class Row:
    """One release on the desk, with the link to its next action."""

    release: Release
    action_label: str
    action_url: str
    twins: list[Release] = field(default_factory=list)

    @property
    def change_url(self) -> str:
        return _change_url(self.release)


@dataclass
class Day:
    day: date
    rows: list[Row]


def _listed(queryset):
    """Rows without their bodies or search vectors: the desk shows headlines only."""
    return queryset.defer("body", "search_vector", "summary")


def _change_url(release: Release) -> str:
    return reverse("admin:releases_release_change", args=[release.pk])


def _change_row(release: Release, label) -> Row:
    return Row(release, label, _change_url(release))


def _versions_by_group(releases) -> dict:
    """Every language version of ``releases``, by translation group, in one query (as
    ``Release.objects.twins_of()`` finds them, each release included)."""
    groups = {release.translation_group for release in releases}
    by_group: dict = {}
    for version in _listed(Release.objects.filter(translation_group__in=groups)).order_by(
        "language"
    ):
        by_group.setdefault(version.translation_group, []).append(version)
    return by_group


def my_drafts(user) -> list[Row]:
    drafts = _listed(Release.objects.filter(created_by=user, status=Status.DRAFT))
    return [
        _change_row(release, _("Finish and submit"))
        for release in drafts.order_by("-modified_at", "-pk")[:ROWS]
    ]


def waiting_for_review(user) -> list[Row]:
    """Releases in review (to approve or return) and approved ones still without a time."""
    if not user.has_perm(PERM_APPROVE):
        return []
    waiting = _listed(Release.objects.filter(status__in=[Status.IN_REVIEW, Status.APPROVED]))
    rows = []
    for release in waiting.order_by("status", "modified_at", "pk")[:ROWS]:
        if release.status == Status.APPROVED and user.has_perm(PERM_PUBLISH):
            url = reverse("admin:releases_release_schedule", args=[release.pk])
            rows.append(Row(release, _("Schedule or publish"), url))
        else:
            rows.append(_change_row(release, _("Review")))
    return rows


def scheduled(user, now: datetime | None = None) -> list[Day]:
    """The coming fortnight's go-lives by local day; each row carries its language twins."""
    now = now or timezone.now()
    coming = list(
        _listed(
            Release.objects.going_public_after(now).filter(
                status=Status.PUBLISHED, publish_at__lte=now + timedelta(days=SCHEDULE_DAYS)
            )
        ).order_by("publish_at", "language", "pk")
    )
    twins_by_group = _versions_by_group(coming)
    rows, shown_groups = [], set()
    for release in coming:
        # Twins going out at the same minute share one row.
        key = (release.translation_group, release.publish_at)
        if key in shown_groups:
            continue
        shown_groups.add(key)
        twins = [t for t in twins_by_group.get(release.translation_group, []) if t != release]
        if user.has_perm(PERM_PUBLISH):
            url = reverse("admin:releases_release_schedule", args=[release.pk])
            rows.append(Row(release, _("Change the time"), url, twins=twins))
        else:
            rows.append(Row(release, _("Open"), _change_url(release), twins=twins))
    return [
        Day(day, list(day_rows))
        for day, day_rows in groupby(
            rows, key=lambda row: timezone.localdate(row.release.publish_at)
        )
    ]


def recently_published(user) -> list[Row]:
    """The latest public (or withdrawn) releases, with their corrections, and when each
    withdrawn one was withdrawn (``withdrawn_at``)."""
    recent = (
        _listed(Release.objects.published(include_withdrawn=True).with_withdrawn_at())
        .annotate(correction_count=Count("corrections"))
        .prefetch_related(
            Prefetch("corrections", queryset=Correction.objects.order_by("-corrected_at", "-pk"))
        )
        .order_by("-publish_at", "-pk")[:RECENT_ROWS]
    )
    label = _("Correct") if user.has_perm(PERM_PUBLISH) else _("Open")
    return [Row(release, label, _change_url(release)) for release in recent]


def translations_to_do() -> list[Row]:
    """Versions being translated, or behind the other language since it changed; each row
    carries the versions it follows (two queries, whatever the numbers)."""
    waiting = list(_listed(waiting_for_translation()).order_by("-modified_at", "-pk")[:ROWS])
    others = _versions_by_group(waiting)
    return [
        Row(
            release,
            _("Translate"),
            _change_url(release),
            twins=[t for t in others.get(release.translation_group, []) if t != release],
        )
        for release in waiting
    ]


def with_changes_asked(rows: list[Row]) -> None:
    """Each release of ``rows``, their twins included, marked with its outside reviewer's
    standing request for changes (``reviews.mark_changes_asked``, one query)."""
    reviews.mark_changes_asked([release for row in rows for release in (row.release, *row.twins)])


def desk_for(user, *, now: datetime | None = None) -> dict:
    """Everything the desk shows ``user``; empty for anyone who is not staff."""
    if not (user.is_active and user.is_staff):
        return {}
    can_review = user.has_perm(PERM_APPROVE)
    desk = {
        "drafts": my_drafts(user),
        "can_review": can_review,
        "review": waiting_for_review(user),
        "days": scheduled(user, now),
        "schedule_days": SCHEDULE_DAYS,
        "recent": recently_published(user),
        "translations": translations_to_do(),
        "zone": zone_in_sentence(timezone.get_current_timezone_name()),
    }
    with_changes_asked(
        [
            *desk["drafts"],
            *desk["review"],
            *(row for day in desk["days"] for row in day.rows),
            *desk["translations"],
        ]
    )
    return desk
