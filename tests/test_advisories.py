"""Media advisories are events: edited with the advisory, shown in several time zones, added to
calendars (RFC 5545 through icalendar) and listed in each language's calendar, never before the
advisory's embargo lifts."""

import json
import re
from datetime import UTC, datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from formats.models import AdvisoryEvent
from releases.models import ReleaseType
from releases.workflow import publishing
from tests.factories import (
    advisory_event_form,
    make_advisory,
    make_contact,
    make_organisation,
    make_release,
    release_admin_form,
)

pytestmark = pytest.mark.django_db
TORONTO = ZoneInfo("America/Toronto")
CALENDAR = "/en/feeds/advisories.ics"
FRENCH_CALENDAR = "/fr/fils/avis.ics"


def ics_url(release) -> str:
    return release.get_absolute_url().rstrip("/") + ".ics"


def parsed(response) -> icalendar.Calendar:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def only_event(calendar: icalendar.Calendar) -> icalendar.Event:
    events = calendar.walk("VEVENT")
    assert len(events) == 1, events
    return events[0]


def test_an_advisorys_ics_is_what_a_calendar_program_needs(client):
    advisory = make_advisory(
        event={"accreditation_contact": make_contact(name="Jo Press", email="jo@example.org")}
    )
    event = advisory.advisory_event
    calendar = parsed(client.get(ics_url(advisory)))
    vevent = only_event(calendar)
    assert str(vevent["UID"]) == f"{event.uid}@news.example.org"
    assert vevent["SEQUENCE"] == 0
    assert vevent["STATUS"] == "CONFIRMED"
    assert vevent.decoded("DTSTART") == event.starts_at
    assert vevent["DTSTART"].params["TZID"] == "America/Toronto"
    assert vevent.decoded("DTEND") == event.ends_at
    assert "DTSTAMP" in vevent
    assert str(vevent["LOCATION"]) == "National Press Theatre, 150 Wellington St, Ottawa, ON"
    assert str(vevent["URL"]) == f"http://testserver{advisory.get_absolute_url()}"
    assert str(vevent["SUMMARY"]) == advisory.headline
    assert str(vevent["ORGANIZER"]) == "mailto:jo@example.org"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/Toronto"]


@pytest.mark.parametrize(
    "venue, address, online, location",
    [
        ("Council Chamber", "", "https://live.example.org/", "Council Chamber"),
        ("", "150 Wellington St", "https://live.example.org/", "150 Wellington St"),
        ("", "", "https://live.example.org/", "https://live.example.org/"),
    ],
)
def test_the_calendars_location_is_the_place_else_the_online_link(
    client, venue, address, online, location
):
    """A venue with no street address is still where the event is: the online link, which
    the description carries anyway, is the location only of an event with no place."""
    advisory = make_advisory(event={"venue": venue, "address": address, "online_url": online})
    vevent = only_event(parsed(client.get(ics_url(advisory))))
    assert str(vevent["LOCATION"]) == location
    assert online in str(vevent["DESCRIPTION"])


def test_each_change_raises_the_sequence_and_a_cancellation_keeps_the_uid(client):
    advisory = make_advisory()
    event = advisory.advisory_event
    first = only_event(parsed(client.get(ics_url(advisory))))
    publishing.correct(release=advisory, by=None, note="The briefing starts two hours later.")
    event.starts_at += timedelta(hours=2)
    event.ends_at += timedelta(hours=2)
    event.save()
    event.refresh_from_db()
    assert (event.sequence, event.status) == (1, AdvisoryEvent.Status.CHANGED)
    moved = only_event(parsed(client.get(ics_url(advisory))))
    assert moved["UID"] == first["UID"]
    assert moved["SEQUENCE"] == 1
    event.accreditation_note = "Bring credentials."  # not shown by calendars: no new sequence
    event.save()
    publishing.correct(release=advisory, by=None, note="The briefing is cancelled.")
    event.status = AdvisoryEvent.Status.CANCELLED
    event.save()
    cancelled = only_event(parsed(client.get(ics_url(advisory))))
    assert (cancelled["UID"], cancelled["SEQUENCE"], cancelled["STATUS"]) == (
        first["UID"],
        2,
        "CANCELLED",
    )
    assert "This event is cancelled." in client.get(advisory.get_absolute_url()).text


def test_a_withdrawn_advisory_is_cancelled_in_calendars(client):
    advisory = make_advisory()
    publishing.withdraw(release=advisory, by=None, reason="Postponed indefinitely.")
    vevent = only_event(parsed(client.get(ics_url(advisory))))
    assert (vevent["STATUS"], vevent["SEQUENCE"]) == ("CANCELLED", 1)
    listed = only_event(parsed(client.get(CALENDAR)))
    assert listed["STATUS"] == "CANCELLED"


def test_an_unpublished_advisorys_event_is_cancelled_with_nothing_else_told(client, now):
    """Published in error: calendars that imported its event remove it (RFC 5545: the same
    UID, a higher SEQUENCE, STATUS:CANCELLED), rather than keeping it for ever once it is no
    longer in the feed; and the calendar tells of it only what they need for that."""
    advisory = make_advisory(
        headline="Merger briefing",
        event={
            "starts_at": datetime(2031, 1, 14, 10, 0, tzinfo=ZoneInfo("America/Vancouver")),
            "accreditation_contact": make_contact(name="Jo Press", email="jo@example.org"),
            "accreditation_note": "Bring credentials.",
            "online_url": "https://live.example.org/merger",
        },
    )
    imported = only_event(parsed(client.get(CALENDAR)))
    unpublished_at = (now + timedelta(minutes=3)).replace(microsecond=0)
    with time_machine.travel(unpublished_at, tick=False):
        publishing.unpublish(release=advisory, by=None, note="Sent in error.")
    with time_machine.travel(unpublished_at + timedelta(minutes=5), tick=False):
        response = client.get(CALENDAR)
        assert client.get(ics_url(advisory)).status_code == 410
    calendar = parsed(response)
    cancelled = only_event(calendar)
    assert cancelled["UID"] == imported["UID"]
    assert cancelled["SEQUENCE"] > imported["SEQUENCE"]
    assert cancelled["STATUS"] == "CANCELLED"
    assert cancelled.decoded("DTSTAMP") == unpublished_at
    assert cancelled.decoded("DTSTART") == imported.decoded("DTSTART")
    assert cancelled.decoded("DTEND") == imported.decoded("DTEND")
    assert str(cancelled["SUMMARY"]) == "Event cancelled"
    assert sorted(cancelled) == [
        "DTEND",
        "DTSTAMP",
        "DTSTART",
        "LAST-MODIFIED",
        "SEQUENCE",
        "STATUS",
        "SUMMARY",
        "UID",
    ]
    # Not even the place's zone, in a VTIMEZONE: its times are given in UTC.
    assert not calendar.walk("VTIMEZONE")
    text = response.content.decode()
    secrets = ("Merger", "merger", "Press", "jo@", "credentials", "Vancouver", "Wellington")
    for told in secrets:
        assert told not in text


def test_an_advisory_withdrawn_then_unpublished_is_cancelled_once_more(client):
    """Its withdrawal's cancellation (with its headline and place) gives way to the bare one:
    a higher SEQUENCE, so that calendars take the later copy."""
    advisory = make_advisory()
    publishing.withdraw(release=advisory, by=None, reason="Postponed.")
    withdrawn = only_event(parsed(client.get(CALENDAR)))
    publishing.unpublish(release=advisory, by=None, note="Sent in error.")
    unpublished = only_event(parsed(client.get(CALENDAR)))
    assert (unpublished["UID"], unpublished["STATUS"]) == (withdrawn["UID"], "CANCELLED")
    assert unpublished["SEQUENCE"] > withdrawn["SEQUENCE"]
    assert "LOCATION" not in unpublished


def test_an_unpublished_french_advisorys_event_is_cancelled_in_french(client):
    advisory = make_advisory(headline="Séance", language="fr", dateline_region="Ontario")
    publishing.unpublish(release=advisory, by=None, note="Publié par erreur.")
    cancelled = only_event(parsed(client.get(FRENCH_CALENDAR)))
    assert str(cancelled["SUMMARY"]) == "Événement annulé"


def test_the_calendar_lists_the_languages_upcoming_advisories_soonest_first(client, now):
    later = make_advisory(headline="Later briefing", event={"starts_at": now + timedelta(days=9)})
    sooner = make_advisory(headline="Sooner briefing", event={"starts_at": now + timedelta(days=2)})
    make_advisory(headline="Long past", event={"starts_at": now - timedelta(days=60)})
    make_advisory(headline="Séance", language="fr", dateline_region="Ontario")
    make_release(headline="A news release")
    calendar = parsed(client.get(CALENDAR))
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == [
        sooner.headline,
        later.headline,
    ]
    assert str(calendar["X-WR-CALNAME"]) == "Media advisories"
    assert "REFRESH-INTERVAL" in calendar
    french = parsed(client.get(FRENCH_CALENDAR))
    assert [str(e["SUMMARY"]) for e in french.walk("VEVENT")] == ["Séance"]


def test_an_embargoed_advisory_is_in_no_calendar_before_its_minute(client):
    go_live = datetime(2021, 5, 9, 6, 0, tzinfo=TORONTO)
    with time_machine.travel(go_live - timedelta(days=3), tick=False):
        advisory = make_advisory(
            headline="Embargoed briefing",
            publish_at=go_live,
            event={"starts_at": go_live + timedelta(days=2)},
        )
    with time_machine.travel(go_live - timedelta(seconds=1), tick=False):
        assert b"Embargoed briefing" not in client.get(CALENDAR).content
        assert client.get(ics_url(advisory)).status_code == 404
    with time_machine.travel(go_live + timedelta(seconds=1), tick=False):
        assert b"Embargoed briefing" in client.get(CALENDAR).content
        assert client.get(ics_url(advisory)).status_code == 200


def test_the_page_gives_the_time_in_the_newsrooms_zone_utc_and_the_places(client):
    starts = datetime(2030, 6, 4, 11, 0, tzinfo=ZoneInfo("America/Vancouver"))
    advisory = make_advisory(
        event={
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=1),
            "time_zone": "America/Vancouver",
            "online_url": "https://live.example.org/briefing",
        }
    )
    html = client.get(advisory.get_absolute_url()).text
    times = re.search(r'<ul class="advisory-event__times">(.*?)</ul>', html, re.S).group(1)
    assert "Tuesday, June 4, 2030, 11 a.m. – noon PDT" in times
    assert "2 p.m. – 3 p.m. EDT" in times
    assert "6 p.m. – 7 p.m. UTC" in times
    assert f'data-starts="{starts.astimezone(UTC).isoformat()}"' in times
    assert f'href="{ics_url(advisory)}"' in html
    assert "https://live.example.org/briefing" in html
    # The reader's own time comes from a script file, never an inline script.
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert any('src="/static/js/local-times.js"' in attributes for attributes, _ in scripts)
    assert all(
        body.strip() == "" or 'type="application/ld+json"' in attributes
        for attributes, body in scripts
    )
    events = [
        json.loads(body)
        for attributes, body in scripts
        if 'type="application/ld+json"' in attributes and '"Event"' in body
    ]
    assert events and events[0]["startDate"] == "2030-06-04T11:00:00-07:00"
    assert events[0]["eventStatus"] == "https://schema.org/EventScheduled"
    assert events[0]["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert {place["@type"] for place in events[0]["location"]} == {"Place", "VirtualLocation"}


def test_the_french_page_gives_times_in_french(client):
    starts = datetime(2030, 6, 4, 14, 0, tzinfo=TORONTO)
    advisory = make_advisory(language="fr", dateline_region="Ontario", event={"starts_at": starts})
    html = re.sub(r"[\u00a0\u202f]", " ", client.get(advisory.get_absolute_url()).text)
    assert "mardi 4 juin 2030, 14 h 00 – 15 h 00 HAE" in html
    assert "18 h 00 – 19 h 00 UTC" in html
    assert "Ajouter à l’agenda" in html


def test_the_home_page_advertises_its_languages_calendar(client):
    html = client.get("/fr/").text
    link = re.search(r'<link rel="alternate" type="text/calendar"[^>]*href="([^"]+)"', html)
    assert link and link.group(1) == f"http://testserver{FRENCH_CALENDAR}"


@pytest.mark.parametrize(
    "former", ["/fr/fils/advisories.ics", "/fr/feeds/advisories.ics", "/fr/fils/advisories.ics?x=1"]
)
def test_the_french_calendars_former_addresses_answer_301_to_its_french_words(client, former):
    make_advisory(headline="Séance", language="fr", dateline_region="Ontario")
    response = client.get(former)
    query = former.partition("?")[2]
    assert response.status_code == 301
    assert response["Location"] == FRENCH_CALENDAR + (f"?{query}" if query else "")
    calendar = parsed(client.get(response["Location"]))
    assert [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")] == ["Séance"]
    assert client.get(CALENDAR).status_code == 200  # the English one stays where it is


def test_the_calendar_is_named_by_the_organisation_with_each_languages_punctuation(client):
    make_organisation(short_name_fr="ACCP")
    make_advisory()
    names = {
        language: str(parsed(client.get(address))["X-WR-CALNAME"])
        for language, address in [("en", CALENDAR), ("fr", FRENCH_CALENDAR)]
    }
    assert names == {"en": "CACP: Media advisories", "fr": "ACCP\u00a0: Avis aux médias"}
    assert 'title="ACCP\u00a0: Avis aux médias"' in client.get("/fr/").text


def test_only_an_advisory_has_an_ics(client):
    release = make_release()
    assert client.get(ics_url(release)).status_code == 404
    assert client.get("/en/releases/2021/05/09/nothing.ics").status_code == 404


def test_an_event_belongs_to_a_media_advisory_and_ends_after_it_starts(now):
    news = make_release(release_type=ReleaseType.NEWS_RELEASE)
    event = AdvisoryEvent(release=news, starts_at=now, ends_at=now, address="Ottawa")
    with pytest.raises(ValidationError, match="Only a media advisory"):
        event.full_clean()
    advisory = make_release(release_type=ReleaseType.MEDIA_ADVISORY)
    backwards = AdvisoryEvent(
        release=advisory, starts_at=now, ends_at=now - timedelta(hours=1), address="Ottawa"
    )
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        backwards.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        backwards.save()
    nowhere = AdvisoryEvent(release=advisory, starts_at=now, ends_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        nowhere.save()


def test_an_author_adds_the_event_inline_on_the_advisory(client, author):
    advisory = make_release(published=False, release_type=ReleaseType.MEDIA_ADVISORY)
    client.force_login(author)
    change = reverse("admin:releases_release_change", args=[advisory.pk])
    assert "advisory_event-TOTAL_FORMS" in client.get(change).text
    response = client.post(change, release_admin_form(advisory) | advisory_event_form())
    assert response.status_code == 302, response.context["errors"]
    event = AdvisoryEvent.objects.get(release=advisory)
    assert event.starts_at == datetime(2030, 6, 4, 10, 0, tzinfo=TORONTO)


def test_a_saved_event_is_shown_and_can_be_changed_or_cancelled(client, author):
    advisory = make_advisory(published=False)
    event = AdvisoryEvent.objects.get(release=advisory)
    client.force_login(author)
    change = reverse("admin:releases_release_change", args=[advisory.pk])

    page = client.get(change).text

    assert 'name="advisory_event-INITIAL_FORMS" value="1"' in page
    assert 'value="National Press Theatre"' in page
    cancelled = advisory_event_form(
        id=str(event.pk), release=str(advisory.pk), status="cancelled"
    ) | {"advisory_event-INITIAL_FORMS": "1"}
    response = client.post(change, release_admin_form(advisory) | cancelled)
    assert response.status_code == 302, response.context["errors"]
    event.refresh_from_db()
    assert event.status == "cancelled" and AdvisoryEvent.objects.count() == 1


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_an_event_time_at_the_calendars_ends_is_a_form_error(client, author, day):
    """A year mistyped to 9999 has no UTC time to store (it was a 500), and 0001 none in a
    zone west of the newsroom's for the page to give."""
    advisory = make_release(published=False, release_type=ReleaseType.MEDIA_ADVISORY)
    client.force_login(author)
    change = reverse("admin:releases_release_change", args=[advisory.pk])
    times = {"starts_at_0": day, "starts_at_1": "23:59", "ends_at_0": day, "ends_at_1": "23:59"}
    response = client.post(change, release_admin_form(advisory) | advisory_event_form(**times))
    assert response.status_code == 200 and "Enter a valid date." in response.text
    assert not AdvisoryEvent.objects.exists()


def test_an_advisory_turned_into_a_news_release_must_drop_its_event(client, author):
    advisory = make_release(published=False, release_type=ReleaseType.MEDIA_ADVISORY)
    client.force_login(author)
    change = reverse("admin:releases_release_change", args=[advisory.pk])
    form = release_admin_form(advisory, release_type="news-release") | advisory_event_form()
    response = client.post(change, form)
    assert response.status_code == 200
    assert "Only a media advisory announces an event" in response.text
    assert not AdvisoryEvent.objects.exists()


def test_the_calendars_queries_do_not_grow_with_the_advisories(client, settings, now):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_SECONDS = 0

    def queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(CALENDAR).status_code == 200
        return len(captured)

    contact = make_contact()
    make_advisory(event={"accreditation_contact": contact})
    one = queries()
    for n in range(6):
        make_advisory(
            event={"starts_at": now + timedelta(days=n + 1), "accreditation_contact": contact}
        )
    many = queries()
    assert many == one <= 4


@pytest.mark.parametrize(
    "starts, times",
    [
        (
            datetime(2031, 1, 14, 10, 0, tzinfo=ZoneInfo("Europe/Paris")),
            ["Tuesday, Jan. 14, 2031, 10 a.m. – 11 a.m. CET", "9 a.m. – 10 a.m. GMT"],
        ),
        (
            datetime(2031, 7, 15, 10, 0, tzinfo=ZoneInfo("Europe/Paris")),
            [
                "Tuesday, July 15, 2031, 10 a.m. – 11 a.m. CEST",
                "9 a.m. – 10 a.m. BST",
                "8 a.m. – 9 a.m. UTC",
            ],
        ),
        (
            datetime(2031, 1, 14, 10, 0, tzinfo=ZoneInfo("Europe/London")),
            ["Tuesday, Jan. 14, 2031, 10 a.m. – 11 a.m. GMT"],
        ),
    ],
    ids=["winter", "summer", "in the newsroom's zone in winter"],
)
def test_a_time_is_given_once_for_clocks_that_read_it_alike(client, settings, starts, times):
    """A newsroom in London reads UTC's time in winter: “GMT” and “UTC” lines alike are one."""
    settings.TIME_ZONE = "Europe/London"
    advisory = make_advisory(
        event={
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=1),
            "time_zone": str(starts.tzinfo),
        }
    )
    html = client.get(advisory.get_absolute_url()).text
    listed = re.search(r'<ul class="advisory-event__times">(.*?)</ul>', html, re.S).group(1)
    shown = [
        re.sub(r"\s+", " ", unescape(text)).strip()
        for text in re.findall(r"<li><time[^>]*>(.*?)</time></li>", listed, re.S)
    ]
    assert len(shown) == len(times)
    for line, expected in zip(shown, times, strict=True):
        assert expected in line
