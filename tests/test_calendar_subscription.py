"""Journalists find the calendar of media advisories where they look for the feeds: the
“Subscribe” box of the home page, the lists and archives, and the list of media advisories;
as ``webcal:`` (a calendar program subscribes) and at its https address (for those that
mishandle ``webcal:``), in the page's language."""

import re
from html import unescape

import pytest

from releases.models import ReleaseType
from tests.factories import make_campaign, make_organisation, make_release

pytestmark = pytest.mark.django_db

CALENDAR = {"en": "/en/feeds/advisories.ics", "fr": "/fr/fils/avis.ics"}


def subscribe_box(html: str) -> str:
    box = re.search(r'<aside class="subscribe".*?</aside>', html, re.S)
    assert box, "no subscribe box"
    return unescape(box.group(0))


def calendar_links(box: str) -> dict[str, str]:
    """The calendar's links in the box: {address: words}."""
    return {
        href: re.sub(r"\s+", " ", words).strip()
        for href, words in re.findall(r'<a href="([^"]*\.ics)"[^>]*>(.*?)</a>', box)
    }


@pytest.mark.parametrize(
    "path",
    ["/en/", "/en/releases/", f"/en/releases/?type={ReleaseType.MEDIA_ADVISORY.value}"],
)
def test_the_subscribe_box_offers_the_calendar_of_media_events(client, path):
    make_organisation()
    release = make_release(release_type=ReleaseType.MEDIA_ADVISORY)
    pages = [path, f"/en/releases/{release.publication_date.year}/"]
    for page in pages:
        box = subscribe_box(client.get(page).text)
        assert "Calendar of media events (iCal):" in box, page
        assert calendar_links(box) == {
            f"webcal://testserver{CALENDAR['en']}": "Subscribe in your calendar",
            f"http://testserver{CALENDAR['en']}": "https address",
        }
        assert f'<a href="http://testserver{CALENDAR["en"]}" type="text/calendar">' in box
    response = client.get(CALENDAR["en"])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")


def test_french_pages_offer_the_french_calendar_in_french(client):
    make_organisation()
    box = subscribe_box(client.get("/fr/").text)
    assert "Agenda des événements pour les médias (iCal)\u00a0:" in box
    assert calendar_links(box) == {
        f"webcal://testserver{CALENDAR['fr']}": "S’abonner dans votre agenda",
        f"http://testserver{CALENDAR['fr']}": "adresse https",
    }


def test_a_campaigns_box_keeps_to_its_own_feeds(client):
    make_organisation()
    campaign = make_campaign()
    make_release(campaign=campaign)
    box = subscribe_box(client.get(campaign.get_absolute_url()).text)
    assert calendar_links(box) == {}
