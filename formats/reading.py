"""One reading of a release for every machine format.

The content API, ninjs, oEmbed and the calendars describe a release from the same loaded
objects and the same helpers, so that they cannot disagree with each other or with the page.
Every queryset starts from ``Release.objects.published()``, and a fixed number of queries loads
any number of releases with everything they show (no query per release).
"""

from datetime import UTC
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db.models import QuerySet, prefetch_related_objects
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from releases.models import Correction, Organisation, Release, ReleaseType
from releases.public.context_processors import newsroom
from releases.public.relations import RELEASE_RELATIONS, prefetch_lists
from releases.syndication.metadata import (
    headline_text,
    iso_datetime,
    origin,
    subheadline_text,
    summary_text,
)
from releases.text.html import absolute_links, plain_text
from releases.text.languages import ZONE_ABBREVIATIONS, long_date
from releases.text.typography import smart_quotes

# Beyond what every rendering fetches: the images, the corrections and the advisory's event.
FULL_RELATIONS = ("images", "corrections")


def public_releases(
    *, include_withdrawn: bool = False, include_unpublished: bool = False
) -> QuerySet:
    """Public releases (and, where a page would show them, withdrawn ones; where a calendar
    must cancel their events, unpublished ones: ``published()``), each with when it was
    withdrawn or unpublished (its ``last_public_change``), its campaign and event, in the
    same query."""
    releases = (
        Release.objects.published(
            include_withdrawn=include_withdrawn, include_unpublished=include_unpublished
        )
        .select_related("campaign", "advisory_event__accreditation_contact")
        .defer("search_vector")
    )
    if include_withdrawn:
        releases = releases.with_withdrawn_at()
    return releases.with_unpublished_at() if include_unpublished else releases


def load(releases: list[Release], organisation: Organisation | None) -> list[Release]:
    """Fetch what the formats show for all ``releases`` at once: relations, language versions
    (``release.versions``: the other public versions, one query for all) and the contacts to
    print (the release's own, else the organisation's)."""
    if not releases:
        return releases
    prefetch_lists(releases, *RELEASE_RELATIONS)
    prefetch_related_objects(releases, *FULL_RELATIONS)
    groups = {release.translation_group for release in releases}
    twins = list(
        # Only the public versions: a withdrawn one is linked from nowhere (models.twins).
        Release.objects.published()
        .filter(translation_group__in=groups)
        .only("pk", "language", "slug", "publication_date", "translation_group", "created_at")
        .order_by("language")
    )
    for release in releases:
        release.versions = [
            twin
            for twin in twins
            if twin.translation_group == release.translation_group and twin.pk != release.pk
        ]
        release.contacts = release.media_contacts_shown(organisation)
    return releases


def load_one(release: Release, organisation: Organisation | None) -> Release:
    return load([release], organisation)[0]


def organisation_of(request) -> Organisation | None:
    return newsroom(request)["organisation"]


def site_origin(request=None) -> str:
    return origin(request)


def absolute(path: str, request=None) -> str:
    return path if "://" in path else f"{origin(request)}{path}"


def host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def advisory_event(release: Release):
    """The event a media advisory announces, or None (no query for other releases, nor once
    selected with ``public_releases()``)."""
    if release.release_type != ReleaseType.MEDIA_ADVISORY:
        return None
    try:
        return release.advisory_event
    except Release.advisory_event.RelatedObjectDoesNotExist:
        return None


def _event_news_title(change: str | None, headline: str) -> str | None:
    """« Event cancelled: … », « Event changed: … », « Event back on: … », « Event removed:
    … »: the one wording of an event's news before a headline, for feeds and alert emails
    alike; None for no news (asked of every feed entry: no catalogue lookup then)."""
    if change is None:
        return None
    titles = {
        Correction.EventChange.CANCELLED: gettext("Event cancelled: %(headline)s"),
        Correction.EventChange.MOVED: gettext("Event changed: %(headline)s"),
        Correction.EventChange.REINSTATED: gettext("Event back on: %(headline)s"),
        Correction.EventChange.REMOVED: gettext("Event removed: %(headline)s"),
    }
    title = titles.get(change)
    return title % {"headline": headline} if title else None


def event_headline(event, headline: str, corrections=()) -> str:
    """A feed entry's title that says first when an advisory's event is off or not as
    announced, as it is now; else ``headline``. In the active language. An advisory with no
    event (``event`` None) whose ``corrections`` (in their order) last did to its event was to
    remove it says so: it no longer names one."""
    if event is None:
        news = (correction.event_change for correction in reversed(corrections))
        last = next((change for change in news if change), None)
        change = last if last == Correction.EventChange.REMOVED else None
    elif event.is_cancelled:
        change = Correction.EventChange.CANCELLED
    elif event.status == event.Status.CHANGED:
        change = Correction.EventChange.MOVED
    else:
        change = None
    return _event_news_title(change, headline) or headline


def flagged_headline(release: Release) -> str:
    """The headline as a feed entry titles it (``event_headline``): an advisory's cancelled,
    moved or removed event said first. In the active language; a query for the corrections
    only of an advisory with no event."""
    event = advisory_event(release)
    corrections = ()
    if event is None and release.release_type == ReleaseType.MEDIA_ADVISORY:
        corrections = list(release.corrections.all())
    return event_headline(event, headline(release), corrections)


def correction_headline(correction: Correction | None, headline: str) -> str:
    """The title of a correction's alert: first what it did to the advisory's event, else
    « Corrected: … ». Taken from the correction, not from the event as it is now: a later
    correction of a typo is not news of the event again. In the active language."""
    change = correction.event_change if correction is not None else None
    return _event_news_title(change, headline) or gettext("Corrected: %(headline)s") % {
        "headline": headline
    }


def corrected_label(correction: Correction) -> str:
    """“Corrected Dec. 3, 2026:”, « Corrigé le 3 déc. 2026 : »: what a correction's public note
    follows on the page, in the feeds and in the plain-text version; dated in the newsroom's
    zone, in the active language."""
    day = date_format(timezone.localtime(correction.corrected_at), "DATE_FORMAT")
    return gettext("Corrected %(day)s:") % {"day": day}


def event_text(event, calendar_url: str = "") -> list[str]:
    """An advisory's event as plain text, a paragraph per part, worded as its page
    (``formats/advisory_event.html``) gives it, for the release's plain-text version and the
    alert emails' text part alike (their HTML part says the same): whether it is cancelled or
    changed, when (``event_times()``) and what it was moved from, where, the online link, the
    accreditation and the calendar file's address (none for a cancelled event). In the active
    language; without what only a browser works out (the reader's own time)."""
    parts = []
    if event.is_cancelled:
        parts.append(gettext("This event is cancelled."))
    elif event.status == event.Status.CHANGED:
        parts.append(gettext("The time or place of this event has changed."))
    when = [gettext("When:"), *(f"  {span['text']}" for span in event_times(event))]
    if moved := moved_from(event):
        when.append(moved)
    parts.append("\n".join(when))
    if event.venue or event.address:
        place = ", ".join(part for part in (event.venue, event.address) if part)
        parts.append(gettext("Where:") + " " + place)
    if event.online_url:
        parts.append(gettext("Online:") + " " + event.online_url)
    contact = event.accreditation_contact
    if event.accreditation_note or contact:
        lines = [gettext("Accreditation"), event.accreditation_note]
        if contact:
            lines += [contact.name, contact.role, contact.phone, contact.email]
        parts.append("\n".join(line for line in lines if line))
    if calendar_url and not event.is_cancelled:
        parts.append(gettext("Add to calendar:") + " " + calendar_url)
    return parts


def body_html(release: Release, request=None) -> str:
    """The body as the page prints it (dateline, paragraphs, quotes in place), with absolute
    links."""
    with translation.override(release.language):
        html = render_to_string("formats/release_body.html", {"release": release})
    return absolute_links(html.strip(), origin(request))


def body_text(release: Release) -> str:
    """The body as plain text, as the page prints it: the dateline opening the first paragraph,
    quotes in place, with the quotation marks and apostrophes of the release's language."""
    with translation.override(release.language):
        paragraphs = []
        for block in release.body_with_quotes():
            if "quote" in block:
                printed = block["quote"].printed()
                paragraphs.append(
                    f"{printed['words']} {printed['verb']} {block['quote'].attribution}."
                )
            else:
                paragraphs.append(plain_text(block["html"]))
        lead = f"{release.dateline} –"
        if paragraphs and not paragraphs[0].startswith(("“", "«")):
            paragraphs[0] = f"{lead} {paragraphs[0]}"
        else:
            paragraphs.insert(0, lead)
    return "\n\n".join(smart_quotes(p, release.language) for p in paragraphs if p)


def headline(release: Release) -> str:
    return headline_text(release)


def subheadline(release: Release) -> str:
    return subheadline_text(release)


def summary(release: Release) -> str:
    return summary_text(release)


def published(release: Release) -> str:
    return iso_datetime(release.publish_at)


def updated(release: Release) -> str:
    return iso_datetime(release.last_public_change)


def localized_url(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def dated_url(release: Release, name: str) -> str:
    """The address named ``name`` beside the release's page (same date and slug)."""
    day = release.publication_date
    return localized_url(
        name,
        release.language,
        year=day.year,
        month=f"{day.month:02d}",
        day=f"{day.day:02d}",
        slug=release.slug,
    )


def ninjs_path(release: Release) -> str:
    return dated_url(release, "formats:ninjs")


def ics_path(release: Release) -> str:
    return dated_url(release, "formats:event-ics")


def oembed_url(page_url: str, request=None) -> str:
    query = urlencode({"url": page_url, "format": "json"})
    return f"{origin(request)}{reverse('oembed')}?{query}"


def event_times(event) -> list[dict]:
    """An advisory's event, read in the place's zone, the newsroom's and UTC, each only when
    its clocks read other times than those before it (a newsroom in London in winter reads
    UTC's): [{"text": "Sunday, May 9, 2021, 11 a.m. – noon EDT", "zone": …}], in the active
    language."""
    return [
        _span(event.starts_at, event.ends_at, zone)
        for zone in _zones_read(event, event.starts_at, event.ends_at)
    ]


def _zones_read(event, *moments) -> list:
    """The place's zone, the newsroom's and UTC, each only when its clocks read ``moments``
    otherwise than those before it."""
    zones, read = [], set()
    for zone in (event.zone, timezone.get_default_timezone(), UTC):
        offsets = tuple(moment.astimezone(zone).utcoffset() for moment in moments)
        if offsets not in read:
            read.add(offsets)
            zones.append(zone)
    return zones


def moved_from(event) -> str | None:
    """“Moved from Tuesday, May 11, 2021, 9 a.m. EDT / 1 p.m. UTC”: the start a rescheduled or
    cancelled event was moved from, read in the zones its times are (the date again only where
    it differs), in the active language; None when there is none to give."""
    moment = event.moved_from
    if moment is None:
        return None
    readings, last_day = [], None
    for zone in _zones_read(event, moment):
        local = moment.astimezone(zone)
        time = f"{date_format(local, 'TIME_FORMAT')} {'UTC' if zone is UTC else _zone_name(local)}"
        readings.append(time if local.date() == last_day else f"{_day(local)}, {time}")
        last_day = local.date()
    # Translators: e.g. “Moved from Tuesday, May 11, 2021, 9 a.m. EDT / 1 p.m. UTC”.
    return gettext("Moved from %(moment)s") % {"moment": " / ".join(readings)}


def _zone_name(moment) -> str:
    name = moment.tzname() or ""
    return str(ZONE_ABBREVIATIONS.get(name, name))


def _day(moment) -> str:
    """“Sunday, May 9, 2021”, “Sunday 9 May 2021” (British), « dimanche 9 mai 2021 »."""
    return long_date(moment.date(), "WEEKDAY_DATE_FORMAT")


def _span(start, end, zone) -> dict:
    """“Sunday, May 9, 2021, 11 a.m. – noon EDT”, the times read in ``zone``."""
    start, end = start.astimezone(zone), end.astimezone(zone)
    utc = zone is UTC
    time_format = "TIME_FORMAT"

    first = f"{_day(start)}, {date_format(start, time_format)}"
    if end.date() == start.date():
        last = date_format(end, time_format)
    else:
        last = f"{_day(end)}, {date_format(end, time_format)}"
    return {
        "text": f"{first} – {last} {'UTC' if utc else _zone_name(start)}",
        "zone": "UTC" if utc else str(zone),
    }
