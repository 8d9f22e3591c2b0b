"""In Chromium: an advisory's page adds the reader's own time with its small script, under the
Content-Security-Policy; it and the API's page have no accessibility violation."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.browser.test_accessibility import check_page
from tests.factories import make_advisory, make_contact, make_organisation

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def tokyo_page(browser):
    context = browser.new_context(
        locale="en-CA", timezone_id="Asia/Tokyo", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def advisory(live_server):
    make_organisation()
    starts = datetime(2030, 6, 4, 14, 0, tzinfo=ZoneInfo("America/Toronto"))
    return make_advisory(
        headline="Media Availability With the President",
        event={
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=1),
            "online_url": "https://live.example.org/briefing",
            "accreditation_contact": make_contact(name="Jo Press", phone="613-555-0100"),
            "accreditation_note": "Register by June 3.",
        },
    )


def test_the_reader_sees_the_event_in_their_own_time_zone(tokyo_page, live_server, advisory):
    check_page(tokyo_page, live_server.url + advisory.get_absolute_url())
    own = tokyo_page.locator(".advisory-event__reader-time")
    assert own.is_visible()
    text = own.inner_text()
    assert text.startswith("Your time:")
    assert "Asia/Tokyo" in text
    assert "June 5, 2030" in text  # 14:00 in Toronto is 03:00 the next day in Tokyo
    tokyo_page.set_viewport_size({"width": 390, "height": 844})
    assert tokyo_page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_uk_newsrooms_reader_gets_their_own_time_in_british_english(
    tokyo_page, live_server, advisory, settings
):
    settings.ENGLISH_FORMATS = "en-GB"
    tokyo_page.goto(live_server.url + advisory.get_absolute_url())
    own = tokyo_page.locator(".advisory-event__reader-time")
    own.wait_for(state="visible")
    text = own.inner_text()
    assert "5 June 2030" in text and "June 5" not in text, text


@pytest.mark.parametrize(
    "language, named",
    [("en", ", Pacific time (Vancouver)"), ("fr", ", heure du Pacifique (Vancouver)")],
)
def test_a_reader_in_canada_sees_their_zone_named_as_canadians_say_it(
    browser, live_server, advisory, language, named
):
    if language == "fr":
        advisory = make_advisory(
            language="fr", headline="Disponibilité médiatique avec la présidente"
        )
    context = browser.new_context(locale=f"{language}-CA", timezone_id="America/Vancouver")
    page = context.new_page()
    page.goto(live_server.url + advisory.get_absolute_url())
    own = page.locator(".advisory-event__reader-time")
    own.wait_for(state="visible")
    text = own.inner_text()
    assert text.endswith(named), text
    assert "America/Vancouver" not in text
    context.close()


def test_the_api_page_has_no_accessibility_or_csp_violations(page, live_server):
    check_page(page, live_server.url + "/api/v1/docs")
    assert page.locator("h1").inner_text() == "Content API"


@pytest.mark.parametrize("reader_zone", ["UTC", "Etc/UTC", "America/New_York"])
def test_a_reader_whose_clock_the_page_already_gives_gets_no_extra_line(
    browser, live_server, advisory, reader_zone
):
    """A reader in UTC, or in a zone that reads Toronto's time (“UTC (UTC)”, “EDT
    (America/New_York)” repeated what the line above says)."""
    context = browser.new_context(locale="en-CA", timezone_id=reader_zone)
    page = context.new_page()
    page.goto(live_server.url + advisory.get_absolute_url())
    page.wait_for_load_state("load")
    assert page.locator(".advisory-event__times li").count() == 3
    assert not page.locator(".advisory-event__reader-time").is_visible()
    assert page.locator(".advisory-event__times li:visible").count() == 2
    context.close()


def test_a_printed_advisory_keeps_its_event_but_not_the_add_to_calendar_button(
    page, live_server, advisory
):
    page.goto(live_server.url + advisory.get_absolute_url())
    button = page.get_by_role("link", name="Add to calendar")
    assert button.is_visible()
    page.emulate_media(media="print")
    assert not button.is_visible()
    event = page.locator(".advisory-event")
    assert page.locator(".advisory-event__times").is_visible()
    assert "June 4, 2030" in event.inner_text()
    assert page.locator(".advisory-event__place").is_visible()
    assert "150 Wellington St, Ottawa, ON" in event.inner_text()
