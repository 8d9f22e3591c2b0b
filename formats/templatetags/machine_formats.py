"""What pages say about the formats: ``<link rel="alternate">`` to a release's ninjs and oEmbed
and to the language's calendar of advisories, and an advisory's event (times in several zones,
“Add to calendar”, schema.org ``Event``)."""

import json

from django import template
from django.urls import reverse
from django.utils.formats import get_format

from formats import calendar, ninjs, oembed, reading
from releases.syndication.metadata import json_ld, organization_data
from releases.text.zones import CANADIAN_ZONES, zone_in_sentence

register = template.Library()

EVENT_STATUS = {
    "scheduled": "https://schema.org/EventScheduled",
    "changed": "https://schema.org/EventRescheduled",
    "cancelled": "https://schema.org/EventCancelled",
}


@register.inclusion_tag("formats/release_alternates.html", takes_context=True)
def release_alternates(context, release):
    """A release page's links to its ninjs and oEmbed versions."""
    request = context.get("request")
    page = reading.absolute(release.get_absolute_url(), request)
    return {
        "headline": reading.headline(release),
        "ninjs_type": ninjs.MEDIA_TYPE,
        "ninjs_url": reading.absolute(reading.ninjs_path(release), request),
        "oembed_type": oembed.MEDIA_TYPE,
        "oembed_url": reading.oembed_url(page, request),
    }


@register.inclusion_tag("formats/calendar_alternate.html", takes_context=True)
def calendar_alternate(context):
    """The home page's link to the language's calendar of media advisories."""
    return {
        "media_type": calendar.MEDIA_TYPE,
        "url": reading.absolute(reverse("formats:advisories-calendar"), context.get("request")),
        "title": calendar.calendar_name(context.get("organisation")),
    }


@register.inclusion_tag("formats/advisory_event.html", takes_context=True)
def advisory_event(context, release):
    """A media advisory's event: nothing for other releases (and no query)."""
    event = reading.advisory_event(release)
    if event is None:
        return {"event": None}
    return {
        "event": event,
        "release": release,
        "spans": reading.event_times(event),
        "moved_from": reading.moved_from(event),
        "starts": event.starts_at.isoformat(),
        "ends": event.ends_at.isoformat(),
        # The reader's own zone, named by the script as the desk names it when it is Canada's.
        "zone_names": json.dumps(
            {key: zone_in_sentence(key) for key in CANADIAN_ZONES}, ensure_ascii=False
        ),
        # A draft has no date, so no address yet (previews offer no calendar anyway).
        "ics_url": reading.ics_path(release) if release.publication_date else "",
        # The reader's time as the newsroom's English writes it (“en-GB”), if not the page's.
        "language_tag": get_format("LANGUAGE_TAG"),
        "preview": context.get("preview", False),
    }


@register.simple_tag(takes_context=True)
def advisory_json_ld(context, release):
    """schema.org ``Event`` for a media advisory's event ("" for other releases)."""
    event = reading.advisory_event(release)
    if event is None:
        return ""
    request = context.get("request")
    page = reading.absolute(release.get_absolute_url(), request)
    status = "cancelled" if event.is_cancelled else event.status
    places = []
    if event.address:
        places.append(
            {
                "@type": "Place",
                "name": event.venue or event.address,
                "address": {"@type": "PostalAddress", "streetAddress": event.address},
            }
        )
    if event.online_url:
        places.append({"@type": "VirtualLocation", "url": event.online_url})
    if len(places) == 2:
        mode = "https://schema.org/MixedEventAttendanceMode"
    elif event.online_url:
        mode = "https://schema.org/OnlineEventAttendanceMode"
    else:
        mode = "https://schema.org/OfflineEventAttendanceMode"
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": reading.headline(release),
        "description": reading.summary(release),
        "startDate": event.starts_at.astimezone(event.zone).isoformat(),
        "endDate": event.ends_at.astimezone(event.zone).isoformat(),
        "eventStatus": EVENT_STATUS[status],
        "eventAttendanceMode": mode,
        "location": places[0] if len(places) == 1 else places,
        "organizer": organization_data(context.get("organisation"), request),
        "url": page,
        "inLanguage": release.language,
    }
    if event.moved_from is not None:
        data["previousStartDate"] = event.moved_from.astimezone(event.zone).isoformat()
    return json_ld(data)
