"""A public advisory's event moved in time through a correction keeps the start it moved from:
the page, the feeds, the alerts and the calendar file say what it was moved from, and its
schema.org ``Event`` gives it as ``previousStartDate``, so that whoever noted the old time
recognises the event."""

import json
import re
from datetime import datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import feedparser
import icalendar
import pytest
from django.core import mail
from django.db import transaction

from alerts.dispatch import dispatch
from formats.models import AdvisoryEvent
from releases.workflow import publishing
from tests.alerts.support import make_subscriber, run_tasks
from tests.factories import make_advisory
from tests.test_event_change_notice import change_url, event_form

pytestmark = pytest.mark.django_db
TORONTO = ZoneInfo("America/Toronto")
VANCOUVER = ZoneInfo("America/Vancouver")
FIRST = datetime(2030, 6, 4, 9, 0, tzinfo=TORONTO)
MOVED_FROM = "Moved from Tuesday, June 4, 2030, 9 a.m. EDT / 1 p.m. UTC"
DEPLACE_DU = "Déplacé du mardi 4 juin 2030, 9 h 00 HAE / 13 h 00 UTC"


def briefing(**overrides):
    """A public advisory of a briefing on Tuesday, June 4, 2030, 9 to 10 a.m. in Ottawa."""
    return make_advisory(
        event={"starts_at": FIRST, "ends_at": FIRST + timedelta(hours=1)}, **overrides
    )


def corrected(advisory, note="The briefing moved.", **changes) -> AdvisoryEvent:
    """``advisory``'s event with ``changes`` saved by a script's correction."""
    event = AdvisoryEvent.objects.get(release=advisory)
    with transaction.atomic():
        publishing.correct(release=advisory, by=None, note=note)
        for name, value in changes.items():
            setattr(event, name, value)
        event.save()
    event.refresh_from_db()
    return event


def later(event: AdvisoryEvent, hours: int) -> dict:
    return {
        "starts_at": event.starts_at + timedelta(hours=hours),
        "ends_at": event.ends_at + timedelta(hours=hours),
    }


def page(client, advisory) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", unescape(client.get(advisory.get_absolute_url()).text))


def event_json_ld(client, advisory) -> dict:
    html = client.get(advisory.get_absolute_url()).text
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    (event,) = [data for data in map(json.loads, blocks) if data.get("@type") == "Event"]
    return event


def test_a_public_event_moved_through_a_correction_keeps_the_start_it_moved_from():
    advisory = briefing()
    event = corrected(advisory, **later(advisory.advisory_event, 2))
    assert event.previous_starts_at == FIRST
    assert event.starts_at == FIRST + timedelta(hours=2)
    assert event.status == AdvisoryEvent.Status.CHANGED


def test_moved_again_it_keeps_the_start_of_the_last_move():
    advisory = briefing()
    event = corrected(advisory, **later(advisory.advisory_event, 2))
    event = corrected(advisory, **later(event, 24))
    assert event.previous_starts_at == FIRST + timedelta(hours=2)


def test_moved_twice_within_one_correction_it_keeps_the_start_that_was_public():
    advisory = briefing()
    event = AdvisoryEvent.objects.get(release=advisory)
    with transaction.atomic():
        publishing.correct(release=advisory, by=None, note="The briefing moved.")
        for hours in (2, 3):
            event.starts_at = FIRST + timedelta(hours=hours)
            event.ends_at = event.starts_at + timedelta(hours=1)
            event.save()
    event.refresh_from_db()
    assert event.previous_starts_at == FIRST


def test_moved_and_back_within_one_correction_it_was_never_moved():
    advisory = briefing()
    event = AdvisoryEvent.objects.get(release=advisory)
    with transaction.atomic():
        publishing.correct(release=advisory, by=None, note="The briefing moved, then not.")
        event.starts_at, event.ends_at = FIRST + timedelta(hours=2), FIRST + timedelta(hours=3)
        event.save()
        event.starts_at, event.ends_at = FIRST, FIRST + timedelta(hours=1)
        event.save()
    event.refresh_from_db()
    assert event.previous_starts_at is None


def test_an_event_moved_before_its_advisory_is_public_has_moved_from_nothing(client):
    advisory = briefing(published=False)
    event = advisory.advisory_event
    event.starts_at, event.ends_at = FIRST + timedelta(hours=2), FIRST + timedelta(hours=3)
    event.save()
    publishing.publish(release=advisory, by=None)
    event.refresh_from_db()
    assert event.previous_starts_at is None
    assert "Moved from" not in page(client, advisory)


def test_an_event_moved_in_place_only_keeps_no_previous_start(client):
    advisory = briefing()
    event = corrected(advisory, venue="Château Laurier")
    assert event.status == AdvisoryEvent.Status.CHANGED and event.previous_starts_at is None
    assert "Moved from" not in page(client, advisory)
    assert "previousStartDate" not in event_json_ld(client, advisory)


def test_the_json_ld_gives_the_start_it_moved_from_in_the_places_zone(client):
    starts = datetime(2030, 6, 4, 11, 0, tzinfo=VANCOUVER)
    advisory = make_advisory(
        event={
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=1),
            "time_zone": "America/Vancouver",
        }
    )
    corrected(advisory, **later(advisory.advisory_event, 3))
    data = event_json_ld(client, advisory)
    assert data["eventStatus"] == "https://schema.org/EventRescheduled"
    assert data["startDate"] == "2030-06-04T14:00:00-07:00"
    assert data["previousStartDate"] == "2030-06-04T11:00:00-07:00"


def test_the_page_says_what_the_event_was_moved_from(client):
    advisory = briefing()
    corrected(advisory, **later(advisory.advisory_event, 2))
    html = page(client, advisory)
    moved = re.search(r'<p class="advisory-event__moved">(.*?)</p>', html, re.S).group(1)
    assert moved.strip() == MOVED_FROM
    assert "Tuesday, June 4, 2030, 11 a.m. – noon EDT" in html


def test_the_french_page_says_what_the_event_was_moved_from_in_french(client):
    advisory = briefing(language="fr", dateline_region="Ontario")
    corrected(advisory, note="Le point de presse est déplacé.", **later(advisory.advisory_event, 2))
    html = page(client, advisory)
    moved = re.search(r'<p class="advisory-event__moved">(.*?)</p>', html, re.S).group(1)
    assert moved.strip() == DEPLACE_DU


def test_a_moved_event_then_cancelled_still_says_what_it_was_moved_from(client):
    """schema.org gives ``previousStartDate`` with a rescheduled or a cancelled event: whoever
    noted the first time learns that this is the event that is off."""
    advisory = briefing()
    corrected(advisory, **later(advisory.advisory_event, 2))
    corrected(advisory, note="The briefing is cancelled.", status=AdvisoryEvent.Status.CANCELLED)
    data = event_json_ld(client, advisory)
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert data["previousStartDate"] == "2030-06-04T09:00:00-04:00"
    html = page(client, advisory)
    assert "This event is cancelled." in html and MOVED_FROM in html


def test_back_on_at_its_time_it_no_longer_says_it_was_moved_even_when_its_place_changes(client):
    """Put back on at the time last announced, the public's last news was that it was off: the
    start it had before then is forgotten, and a later change of place alone says nothing of
    a move in time."""
    advisory = briefing()
    corrected(advisory, **later(advisory.advisory_event, 2))
    corrected(advisory, note="The briefing is cancelled.", status=AdvisoryEvent.Status.CANCELLED)
    event = corrected(advisory, note="It is on.", status=AdvisoryEvent.Status.SCHEDULED)
    assert event.previous_starts_at is None
    data = event_json_ld(client, advisory)
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert "previousStartDate" not in data
    assert "Moved from" not in page(client, advisory)
    event = corrected(advisory, note="The briefing is at City Hall.", venue="City Hall")
    assert event.status == AdvisoryEvent.Status.CHANGED
    assert "previousStartDate" not in event_json_ld(client, advisory)
    assert "Moved from" not in page(client, advisory)


def test_back_on_at_another_time_it_is_rescheduled_from_the_time_last_announced(client):
    advisory = briefing()
    corrected(advisory, note="The briefing is cancelled.", status=AdvisoryEvent.Status.CANCELLED)
    event = corrected(
        advisory,
        note="It is on, two hours later.",
        status=AdvisoryEvent.Status.SCHEDULED,
        **later(advisory.advisory_event, 2),
    )
    assert event.status == AdvisoryEvent.Status.CHANGED
    assert event.previous_starts_at == FIRST
    data = event_json_ld(client, advisory)
    assert data["eventStatus"] == "https://schema.org/EventRescheduled"
    assert data["previousStartDate"] == "2030-06-04T09:00:00-04:00"
    assert MOVED_FROM in page(client, advisory)


def test_an_event_moved_before_this_was_kept_shows_nothing_of_it(client):
    advisory = briefing()
    AdvisoryEvent.objects.filter(release=advisory).update(
        status=AdvisoryEvent.Status.CHANGED,
        starts_at=FIRST + timedelta(hours=2),
        ends_at=FIRST + timedelta(hours=3),
    )
    html = page(client, advisory)
    assert "The time or place of this event has changed." in html and "Moved from" not in html
    assert "previousStartDate" not in event_json_ld(client, advisory)


def test_the_feed_entry_says_what_the_event_was_moved_from(client):
    advisory = briefing()
    corrected(advisory, **later(advisory.advisory_event, 2))
    (entry,) = feedparser.parse(client.get("/en/feeds/releases.atom").content).entries
    assert f"<p>{MOVED_FROM}</p>" in entry.content[0].value


def test_the_calendar_file_says_what_the_event_was_moved_from(client):
    advisory = briefing()
    corrected(advisory, **later(advisory.advisory_event, 2))
    ics = client.get(advisory.get_absolute_url().rstrip("/") + ".ics")
    (vevent,) = icalendar.Calendar.from_ical(ics.content).walk("VEVENT")
    assert str(vevent["DESCRIPTION"]).startswith(f"{MOVED_FROM}\n\n")


@pytest.mark.parametrize("language, expected", [("en", MOVED_FROM), ("fr", DEPLACE_DU)])
def test_the_correction_alert_says_what_the_event_was_moved_from(
    client, editor, language, expected
):
    """Moved on the release form, as the desk does it."""
    make_subscriber(language=language)
    advisory = briefing(published=False, language=language, dateline_region="Ontario")
    publishing.publish(release=advisory, by=None)
    dispatch()
    run_tasks()
    mail.outbox.clear()
    client.force_login(editor)
    form = event_form(client, advisory, starts_at_1="11:00", ends_at_1="12:00") | {
        "edit_kind": "correction",
        "correction_note": "The briefing starts two hours later.",
    }

    response = client.post(change_url(advisory), form)

    assert response.status_code == 302, response.context["errors"]
    dispatch()
    run_tasks()
    (notice,) = mail.outbox
    text = re.sub(r"[\u00a0\u202f]", " ", notice.body)
    html = re.sub(r"[\u00a0\u202f]", " ", unescape(notice.alternatives[0][0]))
    assert expected in text and expected in html
