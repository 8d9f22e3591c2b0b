"""English as the organisation's readers write it: ``ENGLISH_FORMATS`` chooses the variant of
every date and time the newsroom writes in English. Canadian by default (Canadian Press:
“Ottawa, ON, May 9, 2021”, “2:24 p.m.”); a UK newsroom's readers get “London, 9 May 2021”,
“14:24”, and type 01/12/2026 for the first of December. French is not affected."""

import re
from datetime import UTC, date, datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import feedparser
import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import reverse
from django.utils import formats, timezone, translation

from alerts.dispatch import dispatch
from releases.models import Campaign
from releases.text.languages import period_html
from releases.workflow import publishing
from releases.workflow.states import desk_moment, desk_when
from tests.alerts.support import make_subscriber, run_tasks
from tests.factories import (
    future_year,
    make_advisory,
    make_campaign,
    make_organisation,
    make_release,
)

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
TORONTO = ZoneInfo("America/Toronto")
VANCOUVER = ZoneInfo("America/Vancouver")


@pytest.fixture
def uk(settings):
    """A newsroom in London writing British English."""
    settings.ENGLISH_FORMATS = "en-GB"
    settings.TIME_ZONE = "Europe/London"
    make_organisation(name_en="Shelter")
    return settings


def london_release(**fields):
    return make_release(
        dateline_city="London",
        dateline_region="",
        publish_at=datetime(2021, 5, 9, 14, 24, tzinfo=LONDON),
        **fields,
    )


def text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def page_times(client, release) -> list[str]:
    html = client.get(release.get_absolute_url()).text
    times = re.search(r'<ul class="advisory-event__times">(.*?)</ul>', html, re.S).group(1)
    return [unescape(text) for text in re.findall(r"<time [^>]*>([^<]+)</time>", times)]


def vancouver_advisory():
    starts = datetime(2030, 6, 4, 11, 0, tzinfo=VANCOUVER)
    return make_advisory(
        dateline_city="London",
        dateline_region="",
        event={
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=1),
            "time_zone": str(VANCOUVER),
        },
    )


# Public pages -------------------------------------------------------------------------------


def test_a_uk_release_page_dates_its_dateline_and_publication_day_first_with_a_24_hour_time(
    client, uk
):
    release = london_release()
    html = client.get(release.get_absolute_url()).text
    assert release.dateline == "London, 9 May 2021"
    assert '<strong class="dateline">London, 9 May 2021</strong> –' in html
    assert ">9 May 2021, 14:24 BST</time>" in html
    assert "May 9" not in html and "p.m." not in html


def test_a_canadian_release_page_is_dated_as_it_always_was(client):
    make_organisation()
    release = make_release(publish_at=datetime(2021, 5, 9, 14, 24, tzinfo=TORONTO))
    html = client.get(release.get_absolute_url()).text
    assert '<strong class="dateline">Ottawa, ON, May 9, 2021</strong> –' in html
    assert ">May 9, 2021, 2:24 p.m. EDT</time>" in html


def test_a_french_release_is_dated_in_french_whatever_the_english(client, uk):
    release = london_release(language="fr")
    html = client.get(release.get_absolute_url()).text
    assert release.dateline == "London, le 9 mai 2021"
    assert ">9 mai 2021, 14\u00a0h\u00a024 BST</time>" in html


def test_a_uk_embargo_line_gives_the_time_its_zone_and_the_date_day_first(uk):
    year = future_year(5, 9)
    release = make_release(publish_at=datetime(year, 5, 9, 6, tzinfo=LONDON))
    weekday = f"{date(year, 5, 9):%A}"
    assert release.distribution_line == f"EMBARGOED UNTIL 06:00 BST, {weekday} 9 May {year}"


def test_a_uk_advisorys_event_reads_day_first_in_every_zone(client, uk):
    advisory = vancouver_advisory()
    assert page_times(client, advisory) == [
        "Tuesday 4 June 2030, 11:00 – 12:00 PDT",
        "Tuesday 4 June 2030, 19:00 – 20:00 BST",
        "Tuesday 4 June 2030, 18:00 – 19:00 UTC",
    ]


def test_a_canadian_advisorys_event_reads_as_it_always_did(client):
    make_organisation()
    advisory = vancouver_advisory()
    assert page_times(client, advisory) == [
        "Tuesday, June 4, 2030, 11 a.m. – noon PDT",
        "Tuesday, June 4, 2030, 2 p.m. – 3 p.m. EDT",
        "Tuesday, June 4, 2030, 6 p.m. – 7 p.m. UTC",
    ]


def test_a_uk_campaign_period_reads_day_first(uk):
    with translation.override("en"):
        assert text(period_html(date(2021, 5, 9), date(2021, 5, 15))) == "9–15 May 2021"
        assert text(period_html(date(2021, 5, 30), date(2021, 6, 5))) == "30 May – 5 June 2021"
        assert (
            text(period_html(date(2021, 12, 28), date(2022, 1, 3)))
            == "28 December 2021 – 3 January 2022"
        )


def test_a_uk_campaign_page_gives_its_days_day_first(client, uk):
    campaign = make_campaign(start_date=date(2021, 5, 9), end_date=date(2021, 5, 15))
    make_release(campaign=campaign)
    assert "9–15 May 2021" in text(client.get(campaign.get_absolute_url()).text)


# Feeds and emails ---------------------------------------------------------------------------


def test_a_uk_feed_entry_gives_the_event_and_the_dateline_day_first(client, uk):
    advisory = vancouver_advisory()
    today = timezone.localdate()
    assert advisory.dateline == f"London, {today.day} {today:%B %Y}"
    parsed = feedparser.parse(client.get("/en/feeds/releases.atom").content)
    content = parsed.entries[0].content[0].value
    assert "<li>Tuesday 4 June 2030, 19:00 – 20:00 BST</li>" in content
    assert f'<strong class="dateline">{advisory.dateline}</strong>' in content
    assert "a.m." not in content and "p.m." not in content


def test_a_uk_alert_email_gives_the_dateline_and_the_event_day_first(uk):
    starts = datetime(2027, 1, 15, 11, tzinfo=LONDON)
    with time_machine.travel(datetime(2026, 12, 3, 15, 24, tzinfo=LONDON), tick=False):
        make_subscriber()
        advisory = make_advisory(
            published=False,
            dateline_city="London",
            dateline_region="",
            event={"starts_at": starts, "time_zone": str(LONDON)},
        )
        publishing.publish(release=advisory, by=None)
        dispatch()
        run_tasks()
    (message,) = mail.outbox
    for part in (message.body, message.alternatives[0][0]):
        assert "London, 3 December 2026" in part
        assert "Friday 15 January 2027, 11:00 – 12:00 GMT" in part
        assert "Jan." not in part and "a.m." not in part


# The desk -----------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client


def campaign_form(**fields) -> dict:
    return {
        "name_en": "Safety Week",
        "slug_en": "safety-week",
        "visual-TOTAL_FORMS": "0",
        "visual-INITIAL_FORMS": "0",
    } | fields


def test_a_uk_desk_reads_a_typed_date_day_first_and_shows_it_so(staff_client, uk):
    response = staff_client.post(
        reverse("admin:releases_campaign_add"),
        campaign_form(start_date="01/12/2026", end_date="07/12/2026"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    campaign = Campaign.objects.get()
    assert (campaign.start_date, campaign.end_date) == (date(2026, 12, 1), date(2026, 12, 7))
    page = staff_client.get(reverse("admin:releases_campaign_change", args=[campaign.pk])).text
    assert 'value="01/12/2026"' in page


def test_a_uk_desk_still_reads_an_iso_date(staff_client, uk):
    response = staff_client.post(
        reverse("admin:releases_campaign_add"),
        campaign_form(start_date="2026-12-01", end_date="2026-12-07"),
    )
    assert response.status_code == 302
    assert Campaign.objects.get().start_date == date(2026, 12, 1)


def test_a_canadian_desk_reads_a_typed_date_as_it_always_did(staff_client):
    response = staff_client.post(
        reverse("admin:releases_campaign_add"),
        campaign_form(start_date="01/12/2026", end_date="01/18/2026"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    campaign = Campaign.objects.get()
    assert campaign.start_date == date(2026, 1, 12)
    page = staff_client.get(reverse("admin:releases_campaign_change", args=[campaign.pk])).text
    assert 'value="2026-01-12"' in page


def test_a_uk_desk_writes_its_moments_day_first(uk):
    moment = datetime(2021, 5, 9, 6, tzinfo=LONDON)
    assert desk_moment(moment) == "Sun 9 May 2021 06:00 BST"
    now = datetime(2021, 6, 1, tzinfo=UTC)
    assert desk_when(moment, now=now) == "9 May, 06:00 BST"
    assert desk_when(moment, now=now.replace(year=2022)) == "9 May 2021, 06:00 BST"


def test_a_canadian_desk_writes_its_moments_as_it_always_did():
    moment = datetime(2021, 5, 9, 6, tzinfo=TORONTO)
    assert desk_moment(moment) == "Sun May 9, 2021 06:00 EDT"
    assert desk_when(moment, now=datetime(2021, 6, 1, tzinfo=UTC)) == "May 9, 06:00 EDT"


def test_a_uk_release_is_shared_as_british_english(client, uk):
    html = client.get(london_release().get_absolute_url()).text
    assert '<meta property="og:locale" content="en_GB">' in html


# The browser's own formatting (the reader's time of an event, the desk's scheduling hint)


def test_a_uk_advisory_tells_the_readers_browser_to_write_its_time_in_british_english(client, uk):
    html = client.get(vancouver_advisory().get_absolute_url()).text
    (item,) = re.findall(r'<li class="advisory-event__reader-time"[^>]*>', html)
    assert 'data-locale="en-GB"' in item


def test_a_canadian_advisory_leaves_the_browser_to_the_pages_language(client):
    make_organisation()
    html = client.get(vancouver_advisory().get_absolute_url()).text
    assert "data-locale" not in html


def test_a_uk_schedule_page_tells_its_hint_to_write_british_english(client, uk, author, editor):
    release = publishing.submit_for_review(release=make_release(published=False), by=author)
    publishing.approve(release=release, by=editor)
    client.force_login(editor)
    page = client.get(reverse("admin:releases_release_schedule", args=[release.pk])).text
    (script,) = re.findall(r'<script src="[^"]*schedule-time\.js"[^>]*>', page)
    assert 'data-locale="en-GB"' in script
    with override_settings(ENGLISH_FORMATS="en-CA"):
        page = client.get(reverse("admin:releases_release_schedule", args=[release.pk])).text
    assert "data-locale" not in page


# The setting --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variant", "day", "time"),
    [
        ("en-CA", "Dec. 3, 2026", "3:24 p.m."),
        ("en-US", "Dec. 3, 2026", "3:24 p.m."),
        ("en-GB", "3 December 2026", "15:24"),
        ("en-IE", "3 December 2026", "15:24"),
        ("en-AU", "3 December 2026", "3:24 p.m."),
    ],
)
def test_each_variant_writes_its_dates_and_times(settings, variant, day, time):
    settings.ENGLISH_FORMATS = variant
    moment = datetime(2026, 12, 3, 15, 24, tzinfo=timezone.get_current_timezone())
    with translation.override("en"):
        assert formats.date_format(moment, "DATE_FORMAT") == day
        assert formats.time_format(moment, "TIME_FORMAT") == time


def test_a_change_of_variant_is_read_at_once_though_django_keeps_formats(settings):
    day = date(2026, 12, 3)
    with translation.override("en"):
        assert formats.date_format(day) == "Dec. 3, 2026"
        settings.ENGLISH_FORMATS = "en-GB"
        assert formats.date_format(day) == "3 December 2026"
        settings.ENGLISH_FORMATS = "en-CA"
        assert formats.date_format(day) == "Dec. 3, 2026"


def test_every_language_defines_every_format_of_the_newsroom_own(settings):
    """A format name no module defines would be printed as itself (“DATELINE_DATE_FORMAT”)."""
    from newsroom.formats.en.formats import HOUSE_FORMATS, VARIANTS

    for variant in VARIANTS:
        settings.ENGLISH_FORMATS = variant
        for code, _name in settings.LANGUAGES:
            for name in HOUSE_FORMATS:
                assert formats.get_format(name, lang=code) != name, (variant, code, name)


def test_an_unknown_variant_is_refused_by_name(settings):
    settings.ENGLISH_FORMATS = "en-XX"
    with translation.override("en"), pytest.raises(ImproperlyConfigured, match="en-XX"):
        formats.date_format(date(2026, 12, 3))


def test_a_stored_body_is_not_used_once_the_variant_changes(client, settings):
    from releases.public.bodies import renderer_fingerprint

    canadian = renderer_fingerprint()
    settings.ENGLISH_FORMATS = "en-GB"
    assert renderer_fingerprint() != canadian
