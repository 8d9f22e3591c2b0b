"""An advisory's calendar event is dated by its last change, a withdrawal included: calendar
programs compare DTSTAMP and LAST-MODIFIED (RFC 5545 §3.8.7) to know which copy is newer."""

from datetime import timedelta

import icalendar
import pytest
import time_machine
from django.utils import timezone

from releases.workflow import publishing
from tests.factories import make_advisory

pytestmark = pytest.mark.django_db
CALENDAR = "/en/feeds/advisories.ics"


def events_of(client, path: str) -> list[icalendar.Event]:
    response = client.get(path)
    assert response.status_code == 200
    return icalendar.Calendar.from_ical(response.content).walk("VEVENT")


def test_a_withdrawn_advisorys_event_is_dated_by_its_withdrawal(client):
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        advisory = make_advisory()
    withdrawn_at = start + timedelta(minutes=3)
    with time_machine.travel(withdrawn_at, tick=False):
        publishing.withdraw(release=advisory, by=None, reason="Postponed.")
    single = advisory.get_absolute_url().rstrip("/") + ".ics"
    for (event,) in (events_of(client, single), events_of(client, CALENDAR)):
        assert event["STATUS"] == "CANCELLED"
        assert event.decoded("DTSTAMP") == withdrawn_at
        assert event.decoded("LAST-MODIFIED") == withdrawn_at


def test_dating_withdrawals_costs_one_query_however_many(client, django_assert_max_num_queries):
    publishing.withdraw(release=make_advisory(), by=None, reason="Off.")
    with django_assert_max_num_queries(50) as one:
        events_of(client, CALENDAR)
    for _ in range(5):
        publishing.withdraw(release=make_advisory(), by=None, reason="Off.")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(events_of(client, CALENDAR)) == 6


def test_cancelling_unpublished_advisories_costs_no_query_however_many(
    client, django_assert_max_num_queries
):
    """Each unpublished advisory's event goes out cancelled, dated by its unpublication, read
    in the rows the calendar reads anyway."""
    make_advisory()
    with django_assert_max_num_queries(50) as one:
        events_of(client, CALENDAR)
    for _ in range(5):
        publishing.unpublish(release=make_advisory(), by=None, note="In error.")
    with django_assert_max_num_queries(len(one.captured_queries)):
        events = events_of(client, CALENDAR)
    assert [str(event["STATUS"]) for event in events].count("CANCELLED") == 5
