"""One truth across formats: a release read through its page, each feed, the API, ninjs and
oEmbed has the same headline, dates, language and address everywhere."""

import json
import re
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from html import unescape

import feedparser
import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from releases.workflow import publishing
from tests.factories import make_organisation, make_quote, make_release

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["en", "fr"])
def release(request, now):
    """A release published two days ago and corrected since (so its dates differ)."""
    make_organisation()
    french = request.param == "fr"
    release = make_release(
        headline="Séance d’information" if french else "Working Together",
        language=request.param,
        dateline_region="Ontario" if french else "ON",
        publish_at=now - timedelta(days=2, minutes=7),
    )
    make_quote(release)
    publishing.correct(release=release, by=None, note="A name was misspelt.")
    release.refresh_from_db()
    return release


def moment(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return parsedate_to_datetime(text)


def read_page(client, release) -> dict:
    html = client.get(release.get_absolute_url()).text
    article = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    return {
        "headline": unescape(re.search(r'class="release__headline">([^<]+)<', html).group(1)),
        "published": moment(article["datePublished"]),
        "updated": moment(article["dateModified"]),
        "language": re.search(r'<html lang="([^"]+)"', html).group(1),
        "url": re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1),
    }


def read_xml_feed(client, release, extension) -> dict:
    parsed = feedparser.parse(client.get(feed_address(release.language, extension)).content)
    assert not parsed.bozo
    entry = parsed.entries[0]
    return {
        "headline": entry.title,
        "published": moment(entry.published),
        # RSS 2.0 has no “updated” for an item: its pubDate is all it says.
        "updated": moment(entry.updated) if extension == "atom" else None,
        "language": parsed.feed.language,
        "url": entry.link,
    }


def read_json_feed(client, release) -> dict:
    item = json.loads(client.get(feed_address(release.language, "json")).content)["items"][0]
    return {
        "headline": item["title"],
        "published": moment(item["date_published"]),
        "updated": moment(item["date_modified"]),
        "language": item["language"],
        "url": item["url"],
    }


def read_api(client, release) -> dict:
    listed = json.loads(client.get("/api/v1/releases/", {"language": release.language}).content)
    item = json.loads(client.get(f"/api/v1/releases/{release.pk}").content)
    assert listed["items"][0] == item
    return {
        "headline": item["headline"],
        "published": moment(item["published"]),
        "updated": moment(item["updated"]),
        "language": item["language"],
        "url": item["url"],
    }


def read_ninjs(client, release) -> dict:
    path = release.get_absolute_url().rstrip("/") + ".ninjs.json"
    document = json.loads(client.get(path).content)
    return {
        "headline": next(h["value"] for h in document["headlines"] if h["role"] == "main"),
        "published": moment(document["firstCreated"]),
        "updated": moment(document["versionCreated"]),
        "language": document["language"],
        "url": next(a["value"] for a in document["altIds"] if a["role"] == "url"),
    }


def read_oembed(client, release) -> dict:
    page = f"http://testserver{release.get_absolute_url()}"
    data = json.loads(client.get("/oembed", {"url": page}).content)
    return {
        "headline": data["title"],
        "published": moment(data["published"]),
        "updated": moment(data["updated"]),
        "language": data["language"],
        "url": data["url"],
    }


def test_every_format_tells_the_same_headline_dates_language_and_address(client, release):
    page = read_page(client, release)
    assert page["headline"] == release.headline
    assert page["published"] == release.publish_at
    assert page["updated"] == release.updated_at > release.publish_at
    assert page["language"] == release.language
    assert page["url"] == f"http://testserver{release.get_absolute_url()}"
    readings = {
        "rss": read_xml_feed(client, release, "rss"),
        "atom": read_xml_feed(client, release, "atom"),
        "json feed": read_json_feed(client, release),
        "api": read_api(client, release),
        "ninjs": read_ninjs(client, release),
        "oembed": read_oembed(client, release),
    }
    for name, reading in readings.items():
        expected = page | {"updated": None} if name == "rss" else page
        assert reading == expected, name


def feed_address(language: str, extension: str) -> str:
    with translation.override(language):
        return reverse("releases:feed", kwargs={"feed_format": extension})


def test_every_format_dates_a_withdrawn_releases_last_change_by_its_withdrawal(client, release):
    """A withdrawn release leaves lists and feeds, but its page, its API and ninjs addresses
    and its oEmbed card still answer: each says it last changed when it was withdrawn (the
    banner appeared then), after its correction."""
    withdrawn_at = (release.updated_at + timedelta(hours=1)).replace(microsecond=0)
    with time_machine.travel(withdrawn_at, tick=False):
        publishing.withdraw(release=release, by=None, reason="Sent in error.")
    with time_machine.travel(withdrawn_at + timedelta(minutes=5), tick=False):
        item = json.loads(client.get(f"/api/v1/releases/{release.pk}").content)
        readings = {
            "page": read_page(client, release)["updated"],
            "api": moment(item["updated"]),
            "ninjs": read_ninjs(client, release)["updated"],
            "oembed": read_oembed(client, release)["updated"],
        }
    assert item["status"] == "withdrawn"
    assert readings == dict.fromkeys(readings, withdrawn_at)
