"""WebSub: feeds name the hub, and the dispatcher tells a real (local) hub when a release goes
public or is corrected."""

import json

import feedparser
import pytest

from alerts.dispatch import dispatch
from releases.workflow import publishing
from tests.alerts.support import run_tasks
from tests.factories import make_campaign, make_release, make_topic

pytestmark = pytest.mark.django_db


def test_every_feed_format_names_the_hub(client, hub, settings):
    make_release()
    rss = feedparser.parse(client.get("/en/feeds/releases.rss").content)
    atom = feedparser.parse(client.get("/en/feeds/releases.atom").content)
    for parsed in (rss, atom):
        hubs = [link.href for link in parsed.feed.links if link.rel == "hub"]
        assert hubs == [settings.WEBSUB_HUB_URL]
    data = json.loads(client.get("/en/feeds/releases.json").content)
    assert data["hubs"] == [{"type": "WebSub", "url": settings.WEBSUB_HUB_URL}]


def test_without_a_hub_feeds_name_none(client, settings):
    settings.WEBSUB_HUB_URL = ""
    make_release()
    assert b'rel="hub"' not in client.get("/en/feeds/releases.atom").content
    assert "hubs" not in json.loads(client.get("/en/feeds/releases.json").content)


def test_the_hub_hears_when_a_release_goes_public_or_is_corrected_and_not_for_a_minor_edit(hub):
    campaign, topic = make_campaign(slug="week"), make_topic(slug="safety")
    release = make_release(published=False, campaign=campaign, release_type="statement")
    release.topics.add(topic)
    publishing.publish(release=release, by=None)
    dispatch()
    run_tasks()
    assert {ping["hub.mode"][0] for ping in hub} == {"publish"}
    urls = {ping["hub.url"][0] for ping in hub}
    base = "https://news.example.org/en/feeds"
    for fmt in ("rss", "atom", "json"):
        assert f"{base}/releases.{fmt}" in urls
        assert f"{base}/campaigns/week.{fmt}" in urls
        assert f"{base}/topics/safety.{fmt}" in urls
        assert f"{base}/types/statement.{fmt}" in urls
    hub.clear()
    release.refresh_from_db()
    publishing.minor_edit(release=release, by=None)
    dispatch()
    run_tasks()
    assert hub == []
    release.refresh_from_db()
    publishing.correct(release=release, by=None, note="A date was wrong.")
    dispatch()
    run_tasks()
    assert f"{base}/releases.atom" in {ping["hub.url"][0] for ping in hub}
