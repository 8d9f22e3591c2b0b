"""Small builders for test data: each takes overrides and fills in the rest."""

import itertools
from datetime import date, timedelta

from django.utils import timezone

from releases.models import (
    Campaign,
    MediaContact,
    Organisation,
    Quote,
    Release,
    Spokesperson,
    Topic,
)
from releases.workflow import publishing

_numbers = itertools.count(1)


def make_organisation(**overrides) -> Organisation:
    fields = {
        "name_en": "Canadian Association of Chiefs of Police",
        "name_fr": "Association canadienne des chefs de police",
        "short_name_en": "CACP",
        "tagline_en": "Supporting police professionals.",
        "boilerplate_en": "The association represents police leaders.",
    } | overrides
    return Organisation.objects.create(**fields)


def make_topic(**overrides) -> Topic:
    n = next(_numbers)
    return Topic.objects.create(**({"name_en": f"Topic {n}", "slug": f"topic-{n}"} | overrides))


def make_campaign(**overrides) -> Campaign:
    n = next(_numbers)
    fields = {
        "name_en": "Test Week",
        "edition": 2000 + n,
        "slug": f"test-week-{n}",
        "theme_en": "A theme",
        "start_date": date(2021, 5, 9),
        "end_date": date(2021, 5, 15),
    } | overrides
    return Campaign.objects.create(**fields)


def make_spokesperson(**overrides) -> Spokesperson:
    n = next(_numbers)
    fields = {
        "honorific_en": "Chief",
        "name": f"Person {n}",
        "slug": f"person-{n}",
        "title_en": "President",
        "organisation_name_en": "Test Association",
    } | overrides
    return Spokesperson.objects.create(**fields)


def make_contact(**overrides) -> MediaContact:
    n = next(_numbers)
    fields = {"name": f"Contact {n}", "role_en": "Media relations", "email": f"c{n}@example.org"}
    return MediaContact.objects.create(**(fields | overrides))


def make_release(*, published: bool = True, publish_at=None, **overrides) -> Release:
    """A release; published an hour ago unless told otherwise (``published=False``: a draft)."""
    n = next(_numbers)
    fields = {
        "headline": f"Release number {n}",
        "slug": f"release-number-{n}",
        "dateline_city": "Ottawa",
        "dateline_region": "ON",
        "body": f"<p>First paragraph of release {n}.</p><p>Second paragraph.</p>",
    } | overrides
    release = Release.objects.create(**fields)
    if published:
        publishing.publish(release=release, at=publish_at or timezone.now() - timedelta(hours=1))
    return release


def make_quote(release: Release, **overrides) -> Quote:
    fields = {"text": "We are listening.", "position": 1} | overrides
    if "spokesperson" not in fields:
        fields["spokesperson"] = make_spokesperson()
    return Quote.objects.create(release=release, **fields)


def make_staff(group: str, **overrides):
    """A staff member of the Authors or Editors group (created by a data migration, and
    restored here when a transactional test has flushed it)."""
    from django.contrib.auth.models import Group, Permission, User

    from releases.workflow.roles import sync_staff_groups

    if not Group.objects.filter(name=group).exists():
        sync_staff_groups(Group, Permission)

    n = next(_numbers)
    user = User.objects.create_user(
        **({"username": f"{group.lower()}-{n}", "password": "x", "is_staff": True} | overrides)
    )
    user.groups.add(Group.objects.get(name=group))
    return user


def cache_directives(response) -> set[str]:
    """The directive names of a response's Cache-Control header."""
    return {
        part.split("=")[0].strip() for part in response.get("Cache-Control", "").split(",") if part
    }


INLINE_PREFIXES = ("quotes", "images", "documents", "advisory_event")
# What a workflow page posts once its checklist's warnings are confirmed (the tick).
CONFIRMED = {"confirming": "1", "accept_warnings": "on"}


def release_admin_form(release=None, **overrides) -> dict:
    """What the release change form posts: the release's own values (or a new release's) and
    empty management forms for every inline."""
    data = {
        "release_type": release.release_type if release else "news-release",
        "language": release.language if release else "en",
        "headline": release.headline if release else "New Release",
        "subheadline": "",
        "slug": release.slug if release else "new-release",
        "dateline_city": release.dateline_city if release else "Ottawa",
        "dateline_region": release.dateline_region if release else "ON",
        "summary": "",
        "body": release.body if release else "<p>Body.</p>",
    }
    if release is not None:
        data |= {"version_seen": release.version, "edit_kind": "minor", "correction_note": ""}
    for prefix in INLINE_PREFIXES:
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data | overrides


def advisory_event_form(**fields) -> dict:
    """What the change form posts for a new event: Ottawa, 10:00 to 11:00 on June 4, 2030,
    in Toronto (``fields`` overrides any, by name without the prefix)."""
    data = {
        "advisory_event-TOTAL_FORMS": "1",
        "advisory_event-INITIAL_FORMS": "0",
        "advisory_event-0-starts_at_0": "2030-06-04",
        "advisory_event-0-starts_at_1": "10:00",
        "advisory_event-0-ends_at_0": "2030-06-04",
        "advisory_event-0-ends_at_1": "11:00",
        "advisory_event-0-time_zone": "America/Toronto",
        "advisory_event-0-venue": "National Press Theatre",
        "advisory_event-0-address": "150 Wellington St",
        "advisory_event-0-online_url": "",
        "advisory_event-0-accreditation_note": "",
        "advisory_event-0-status": "scheduled",
    }
    return data | {f"advisory_event-0-{name}": value for name, value in fields.items()}


def future_year(month: int = 1, day: int = 1, *, weekday: int | None = None) -> int:
    """A year at least two years from now (so the date stays in the future whenever the suite
    runs), whose ``month``/``day`` falls on ``weekday`` (0 = Monday) when one is asked for."""
    from datetime import date

    from django.utils import timezone

    year = timezone.now().year + 2
    while weekday is not None and date(year, month, day).weekday() != weekday:
        year += 1
    return year


def make_advisory(*, event=None, **overrides) -> Release:
    """A media advisory with its event: in a week, for an hour, at a venue in Ottawa (``event``
    overrides the event's fields)."""
    from formats.models import AdvisoryEvent
    from releases.models import ReleaseType

    release = make_release(release_type=ReleaseType.MEDIA_ADVISORY, **overrides)
    starts_at = (event or {}).pop("starts_at", None) or timezone.now().replace(
        second=0, microsecond=0
    ) + timedelta(days=7)
    fields = {
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=1),
        "venue": "National Press Theatre",
        "address": "150 Wellington St, Ottawa, ON",
    } | (event or {})
    AdvisoryEvent.objects.create(release=release, **fields)
    return release


def make_many_releases(count: int, *, like: Release, body: str = "<p>Ordinary words.</p>"):
    """``count`` releases published as ``like`` is, in one INSERT: no signal is sent, so the
    caller rebuilds what signals keep (facet counts, search vectors), as seed_releases does."""
    Release.objects.bulk_create(
        Release(
            headline=f"Something else {n}",
            slug=f"else-{n}",
            body=body,
            dateline_city="Ottawa",
            status=like.status,
            release_type=like.release_type,
            publish_at=like.publish_at,
            publication_date=like.publication_date,
        )
        for n in range(count)
    )
