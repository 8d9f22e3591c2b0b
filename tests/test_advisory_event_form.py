"""The event of a media advisory, as the admin edits it: its start and end are typed, and shown
again, as the clocks of the place read them (its own time zone, not the newsroom's); a time
those clocks skip or repeat is asked about as the schedule form asks about a go-live time."""

import re
from datetime import UTC, datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from formats.models import AdvisoryEvent
from releases.models import ReleaseType
from releases.workflow import publishing
from tests.factories import advisory_event_form, make_advisory, make_release, release_admin_form

pytestmark = pytest.mark.django_db
VANCOUVER = ZoneInfo("America/Vancouver")


def change_url(release) -> str:
    return reverse("admin:releases_release_change", args=[release.pk])


def vancouver_event(day: str, starts: str, ends: str, **fields) -> dict:
    times = {"starts_at_0": day, "starts_at_1": starts, "ends_at_0": day, "ends_at_1": ends}
    return advisory_event_form(**({"time_zone": "America/Vancouver"} | times | fields))


def posted_again(page: str, advisory) -> dict:
    """The event form as the change page holds it, sent back unchanged."""
    advisory.refresh_from_db()
    values = dict(re.findall(r'name="(advisory_event-[^"]+)"[^>]*value="([^"]*)"', page))
    for name, options in re.findall(
        r'<select name="(advisory_event-0-[^"]+)"(.*?)</select>', page, re.S
    ):
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        values[name] = chosen.group(1) if chosen else ""
    return release_admin_form(advisory) | advisory_event_form() | values


@pytest.fixture
def advisory():
    return make_release(published=False, release_type=ReleaseType.MEDIA_ADVISORY)


def test_times_typed_for_a_vancouver_event_are_vancouver_times(client, author, advisory):
    client.force_login(author)
    event = vancouver_event("2027-01-15", "11:00", "12:00")

    response = client.post(change_url(advisory), release_admin_form(advisory) | event)

    assert response.status_code == 302, response.context["errors"]
    saved = AdvisoryEvent.objects.get(release=advisory)
    assert saved.starts_at == datetime(2027, 1, 15, 11, tzinfo=VANCOUVER)
    assert saved.ends_at == datetime(2027, 1, 15, 12, tzinfo=VANCOUVER)
    advisory.refresh_from_db()
    publishing.publish(release=advisory, at=timezone.now() - timedelta(hours=1))
    html = client.get(advisory.get_absolute_url()).text
    times = re.search(r'<ul class="advisory-event__times">(.*?)</ul>', html, re.S).group(1)
    assert "Friday, Jan. 15, 2027, 11 a.m. – noon PST" in times
    assert "2 p.m. – 3 p.m. EST" in times
    assert "7 p.m. – 8 p.m. UTC" in times


def test_a_saved_event_opens_in_its_zone_and_saved_unchanged_stays_put(client, author):
    starts = datetime(2027, 1, 15, 11, tzinfo=VANCOUVER)
    advisory = make_advisory(
        published=False,
        event={
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=1),
            "time_zone": str(VANCOUVER),
        },
    )
    client.force_login(author)

    page = client.get(change_url(advisory)).text

    assert 'name="advisory_event-0-starts_at_1" value="11:00"' in page
    assert 'name="advisory_event-0-ends_at_1" value="12:00"' in page
    response = client.post(change_url(advisory), posted_again(page, advisory))
    assert response.status_code == 302, response.context["errors"]
    event = AdvisoryEvent.objects.get(release=advisory)
    assert (event.starts_at, event.sequence, event.status) == (starts, 0, "scheduled")


def test_the_form_says_the_times_are_the_places(client, author, advisory):
    client.force_login(author)
    page = client.get(change_url(advisory)).text
    assert "Type the start and end as the clocks there read them" in unescape(page)
    assert "entered in the newsroom" not in unescape(page)


@pytest.mark.parametrize(
    "zone, day, named",
    [
        ("America/Vancouver", "2027-03-14", "Pacific time (Vancouver)"),
        ("Europe/Paris", "2027-03-28", "Europe/Paris"),
    ],
)
def test_a_time_the_places_clocks_skip_is_refused_in_words(
    client, author, advisory, zone, day, named
):
    """Paris skips 02:30 on a night Toronto does not: the place's clocks are the ones asked."""
    client.force_login(author)
    event = vancouver_event(day, "02:30", "03:30", time_zone=zone)

    response = client.post(change_url(advisory), release_admin_form(advisory) | event)

    assert response.status_code == 200
    text = unescape(response.text)
    assert f"02:30 does not exist in {named}: the clocks jump forward an hour that night" in text
    assert "may be ambiguous" not in text and "interpreted" not in text
    assert not AdvisoryEvent.objects.exists()


def test_a_skipped_time_is_refused_in_the_desks_language(client, author, advisory):
    client.force_login(author)
    client.cookies["django_language"] = "fr"
    event = vancouver_event("2027-03-14", "02:30", "03:30")

    response = client.post(change_url(advisory), release_admin_form(advisory) | event)

    text = re.sub(r"[\u00a0\u202f]", " ", unescape(response.text))
    assert (
        "Le dimanche 14 mars 2027 à 2 h 30 n’existe pas à l’heure du Pacifique (Vancouver)" in text
    )


def test_a_time_the_places_clocks_repeat_asks_which_one_then_keeps_it(client, author, advisory):
    client.force_login(author)
    ordinary = client.get(change_url(advisory)).text
    assert '<select name="advisory_event-0-starts_if_twice"' not in ordinary
    event = vancouver_event("2027-11-07", "01:30", "02:30")

    asked = client.post(change_url(advisory), release_admin_form(advisory) | event)

    assert asked.status_code == 200
    text = unescape(asked.text)
    assert "01:30 happens twice in Pacific time (Vancouver): the clocks fall back" in text
    assert '<select name="advisory_event-0-starts_if_twice"' in text
    assert "the second one (standard time, PST)" in text
    assert '<select name="advisory_event-0-ends_if_twice"' not in text  # 02:30 happens once
    assert not AdvisoryEvent.objects.exists()
    form = release_admin_form(advisory) | event | {"advisory_event-0-starts_if_twice": "1"}
    assert client.post(change_url(advisory), form).status_code == 302
    saved = AdvisoryEvent.objects.get(release=advisory)
    assert saved.starts_at == datetime(2027, 11, 7, 9, 30, tzinfo=UTC)  # 01:30 PST

    page = client.get(change_url(advisory)).text
    assert '<select name="advisory_event-0-starts_if_twice"' in page  # the answer is shown
    response = client.post(change_url(advisory), posted_again(page, advisory))
    assert response.status_code == 302, response.context["errors"]
    saved.refresh_from_db()
    assert (saved.starts_at, saved.sequence) == (datetime(2027, 11, 7, 9, 30, tzinfo=UTC), 0)


def test_the_events_heading_gives_its_start_as_the_places_clocks_read_it(client, author):
    starts = datetime(2027, 1, 15, 11, tzinfo=VANCOUVER)
    advisory = make_advisory(
        published=False,
        headline="Briefing",
        event={"starts_at": starts, "ends_at": starts, "time_zone": "America/Vancouver"},
    )
    client.force_login(author)

    def heading() -> str:
        page = client.get(change_url(advisory)).text
        event = page[page.index('id="advisory_event-0"') :]
        label = re.search(r'<span class="inline_label">(.*?)</span>', event, re.S).group(1)
        return re.sub(r"[\u00a0\u202f]", " ", unescape(label)).strip()

    assert heading() == "Briefing · Fri Jan 15, 2027 11:00 PST"
    client.cookies["django_language"] = "fr"
    assert heading() == "Briefing · vendredi 15 janvier 2027, 11 h 00 HNP"


def test_a_new_media_advisory_gets_its_event_in_the_same_save(client, author):
    client.force_login(author)
    add = reverse("admin:releases_release_add")
    page = client.get(add).text
    assert "advisory_event-TOTAL_FORMS" in page
    assert f'data-type="{ReleaseType.MEDIA_ADVISORY}"' in page  # what shows the section
    form = release_admin_form(release_type=ReleaseType.MEDIA_ADVISORY)

    response = client.post(add, form | vancouver_event("2027-01-15", "11:00", "12:00"))

    assert response.status_code == 302, response.context["errors"]
    event = AdvisoryEvent.objects.get()
    assert event.release.release_type == ReleaseType.MEDIA_ADVISORY
    assert event.starts_at == datetime(2027, 1, 15, 11, tzinfo=VANCOUVER)


def test_a_release_turned_into_an_advisory_gets_its_event_in_the_same_save(client, author):
    release = make_release(published=False)
    client.force_login(author)
    assert "advisory_event-TOTAL_FORMS" in client.get(change_url(release)).text
    form = release_admin_form(release, release_type=ReleaseType.MEDIA_ADVISORY)

    response = client.post(change_url(release), form | advisory_event_form())

    assert response.status_code == 302, response.context["errors"]
    assert AdvisoryEvent.objects.get().release == release


def test_an_event_on_a_new_release_of_another_type_is_refused_with_the_reason(client, author):
    client.force_login(author)
    add = reverse("admin:releases_release_add")

    response = client.post(add, release_admin_form() | advisory_event_form())

    assert response.status_code == 200
    assert "Only a media advisory announces an event" in unescape(response.text)
    assert not AdvisoryEvent.objects.exists()


def test_a_release_the_page_only_shows_has_no_empty_event_section(client, author):
    published = make_release()  # an author changes drafts only
    client.force_login(author)
    page = client.get(change_url(published))
    assert page.status_code == 200
    assert "advisory_event-group" not in page.text


def test_a_page_that_only_shows_the_event_gives_its_times_as_the_place_reads_them(client, author):
    starts = datetime(2027, 1, 15, 11, tzinfo=VANCOUVER)
    advisory = make_advisory(  # published: an author only sees it
        event={
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=1),
            "time_zone": "America/Vancouver",
        }
    )
    client.force_login(author)

    page = client.get(change_url(advisory)).text

    event = page[page.index('id="advisory_event-group"') :]
    shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", unescape(event)))
    assert "Starts: Fri Jan 15, 2027 11:00 PST" in shown
    assert "Ends: Fri Jan 15, 2027 12:00 PST" in shown
    assert "twice" not in shown and "None" not in shown


def test_the_event_times_are_typed_in_the_browsers_own_inputs_not_the_newsroom_clock(
    client, author
):
    """The admin's calendar and clock offer “Now” and “you are N hours ahead of server time”
    by the newsroom's clock, hours off for an event in Vancouver."""
    import re

    client.force_login(author)
    advisory = make_advisory(published=False)
    html = client.get(change_url(advisory)).text
    start_day = re.search(r'<input[^>]*name="advisory_event-0-starts_at_0"[^>]*>', html).group(0)
    start_time = re.search(r'<input[^>]*name="advisory_event-0-starts_at_1"[^>]*>', html).group(0)
    assert 'type="date"' in start_day and "vDateField" not in start_day
    assert 'type="time"' in start_time and "vTimeField" not in start_time
