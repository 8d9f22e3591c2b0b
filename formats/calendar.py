"""Media advisories in iCalendar (RFC 5545), through the ``icalendar`` library: one event per
advisory (“Add to calendar”), and each language's calendar of upcoming advisories, which
calendar programs subscribe to.

An event keeps its ``UID`` for life; its ``SEQUENCE`` rises with every change a calendar shows
(``AdvisoryEvent.save``), and a cancelled event, or one whose advisory is withdrawn or
unpublished, stays in the calendar with ``STATUS:CANCELLED`` so that subscribers' programs
remove it (an unpublished advisory's telling nothing else). Times carry the
place's ``TZID`` with its ``VTIMEZONE``.
"""

from datetime import UTC, date, timedelta

from django.utils import timezone, translation
from django.utils.translation import gettext
from icalendar import Calendar, Event, vCalAddress, vText

from formats import reading
from formats.models import AdvisoryEvent
from releases.models import Organisation, Release, ReleaseType

MEDIA_TYPE = "text/calendar"
PRODUCT_ID = "-//Newsroom//Media advisories//EN"
# Subscribers' programs are asked to re-read the calendar this often.
REFRESH_INTERVAL = timedelta(hours=4)  # X-PUBLISHED-TTL below says the same
# Past events stay in the calendar this long, so that they do not vanish from it at once.
KEEP_PAST_EVENTS = timedelta(days=30)


def upcoming_advisories(language: str, *, now=None):
    """The language's advisories the public has seen whose events end after ``now`` less a
    month, soonest first: public ones, withdrawn ones (shown as cancelled) and unpublished
    ones (their events cancelled, with nothing else told: ``_taken_back``)."""
    now = now or timezone.now()
    return (
        reading.public_releases(include_withdrawn=True, include_unpublished=True)
        .filter(
            language=language,
            release_type=ReleaseType.MEDIA_ADVISORY,
            advisory_event__ends_at__gte=now - KEEP_PAST_EVENTS,
        )
        .order_by("advisory_event__starts_at", "pk")
    )


def uid(event: AdvisoryEvent) -> str:
    return f"{event.uid}@{reading.host()}"


def _dated_event(release: Release) -> Event:
    """The VEVENT of ``release``'s event as every version of it starts: its UID for life, its
    SEQUENCE, and when it last changed (a withdrawal or an unpublication changes it, cancelled,
    when it happens: the row says when, ``last_public_change``)."""
    event = release.advisory_event
    component = Event()
    component.add("uid", uid(event))
    component.add("sequence", event.calendar_sequence)
    changed = max(event.changed_at, release.last_public_change)
    component.add("dtstamp", changed)
    component.add("last-modified", changed)
    return component


def _taken_back(release: Release) -> Event:
    """The event of an advisory unpublished as published in error, as calendars that
    imported it need it to remove it: its UID, a higher SEQUENCE, STATUS:CANCELLED and its
    times (in UTC: not even the place's zone), and no word of the advisory's."""
    event = release.advisory_event
    component = _dated_event(release)
    component.add("dtstart", event.starts_at.astimezone(UTC))
    component.add("dtend", event.ends_at.astimezone(UTC))
    component.add("summary", gettext("Event cancelled"))  # as its card says it
    component.add("status", "CANCELLED")
    return component


def _event(release: Release, organisation: Organisation | None, request=None) -> Event:
    if not release.is_on_record:
        return _taken_back(release)
    event = release.advisory_event
    page = reading.absolute(release.get_absolute_url(), request)
    component = _dated_event(release)
    component.add("created", release.publish_at)
    component.add("dtstart", event.starts_at.astimezone(event.zone))
    component.add("dtend", event.ends_at.astimezone(event.zone))
    component.add("summary", reading.headline(release))
    # RFC 5545 has no property for an earlier time: the description says it first.
    description = [reading.moved_from(event), reading.summary(release)]
    if event.accreditation_note:
        description.append(event.accreditation_note)
    if event.online_url:
        description.append(event.online_url)
    description.append(page)
    component.add("description", "\n\n".join(part for part in description if part))
    if event.place:
        component.add("location", event.place)
    component.add("url", page)
    component.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    component.add("class", "PUBLIC")
    contact = event.accreditation_contact
    if contact is not None:
        details = ", ".join(part for part in (contact.name, contact.phone, contact.email) if part)
        component.add("contact", details)
        if contact.email:
            organizer = vCalAddress(f"mailto:{contact.email}")
            organizer.params["cn"] = vText(contact.name)
            component.add("organizer", organizer, encode=0)
    if organisation:
        component.add("categories", [str(release.get_release_type_display())])
    return component


def calendar(
    releases: list[Release],
    organisation: Organisation | None,
    *,
    name: str = "",
    request=None,
) -> bytes:
    """An iCalendar object with one VEVENT per advisory and the VTIMEZONEs they use;
    ``releases`` as their pages or ``reading.public_releases()`` read them (a withdrawn one
    with its ``withdrawn_at``)."""
    cal = Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("name", name)
        cal.add("x-wr-calname", name)
        cal.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", "PT4H")
    for release in releases:
        with translation.override(release.language):
            cal.add_component(_event(release, organisation, request))
    if releases:
        # Each zone's rules for the years the events span, not for half a century.
        events = [release.advisory_event for release in releases]
        cal.add_missing_timezones(
            first_date=date(min(e.starts_at for e in events).year - 1, 1, 1),
            last_date=date(max(e.ends_at for e in events).year + 2, 1, 1),
        )
    return cal.to_ical()


def calendar_name(organisation: Organisation | None) -> str:
    """“CACP: Media advisories”, in the active language (« ACCP : Avis aux médias »), as
    the feeds are titled."""
    owner = (organisation.short_name or organisation.name) if organisation else ""
    label = gettext("Media advisories")
    return (
        gettext("%(newsroom)s: %(subject)s") % {"newsroom": owner, "subject": label}
        if owner
        else label
    )
