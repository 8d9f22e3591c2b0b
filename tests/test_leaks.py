"""Nothing leaks: a release scheduled at T is absent from every public channel at T−1 s and
present in all of them at T+1 s. The clock is frozen with time-machine (the views read it).

Each channel is a function ``(client, release) -> str`` returning what the channel shows; to
test one more channel (feeds, sitemaps, search…), add one line to ``CHANNELS``."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tests.factories import make_campaign, make_quote, make_release, make_spokesperson, make_topic

TORONTO = ZoneInfo("America/Toronto")
GO_LIVE = datetime(2021, 5, 9, 6, 0, tzinfo=TORONTO)
HEADLINE = "Embargoed Headline Xyzzy"
QUOTE = "Words under embargo"
pytestmark = pytest.mark.django_db


def text(client, path) -> str:
    response = client.get(path)
    return response.text if response.status_code == 200 else ""


def detail(client, release) -> str:
    """The detail URL: before its time the answer must be exactly the unknown-slug 404."""
    response = client.get(release.get_absolute_url())
    unknown = client.get(release.get_absolute_url().replace(release.slug, "no-such-slug"))
    if response.status_code == 404:
        # The language switcher repeats the requested address; everything else is identical.
        assert response.text.replace(release.slug, "no-such-slug") == unknown.text
        return ""
    return response.text


def year_archive_month_list(client, release) -> str:
    """The archive's list of dates: May may only be listed once something in it is public."""
    html = text(client, "/en/releases/2021/")
    return HEADLINE if "/en/releases/2021/05/" in html else ""


CHANNELS = [
    pytest.param(lambda client, release: text(client, reverse("releases:home")), id="home"),
    pytest.param(lambda client, release: text(client, reverse("releases:list")), id="list"),
    pytest.param(lambda client, release: text(client, "/en/releases/2021/"), id="year-archive"),
    pytest.param(year_archive_month_list, id="year-archive-date-list"),
    pytest.param(lambda client, release: text(client, "/en/releases/2021/05/"), id="month"),
    pytest.param(detail, id="detail"),
    pytest.param(
        lambda client, release: text(client, release.campaign.get_absolute_url()), id="campaign"
    ),
    pytest.param(
        lambda client, release: text(client, release.quotes.get().spokesperson.get_absolute_url()),
        id="spokesperson",
    ),
    pytest.param(
        lambda client, release: text(client, release.topics.get().get_absolute_url()), id="topic"
    ),
]


@pytest.fixture
def scheduled():
    """A release scheduled for GO_LIVE, alone in its month, with a campaign, topic and quote."""
    with time_machine.travel(GO_LIVE - timedelta(days=1), tick=False):
        release = make_release(
            headline=HEADLINE, publish_at=GO_LIVE, campaign=make_campaign(name_en="Week")
        )
        release.topics.add(make_topic())
        make_quote(release, text=QUOTE, spokesperson=make_spokesperson())
    return release


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_scheduled_release_is_absent_one_second_before_its_time(client, scheduled, channel):
    with time_machine.travel(GO_LIVE - timedelta(seconds=1), tick=False):
        shown = channel(client, scheduled)
    assert HEADLINE not in shown and QUOTE not in shown


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_scheduled_release_is_present_one_second_after_its_time(client, scheduled, channel):
    with time_machine.travel(GO_LIVE + timedelta(seconds=1), tick=False):
        shown = channel(client, scheduled)
    assert HEADLINE in shown or QUOTE in shown
