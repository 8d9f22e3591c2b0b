"""A subscriber in Chromium: the Subscribe links and the plain-text version work."""

import feedparser
import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_site(live_server):
    call_command("load_demo", verbosity=0)
    return live_server.url


def test_subscriber_finds_the_feeds_and_the_plain_text_version(page, demo_site, screenshot):
    page.goto(demo_site + "/en/campaigns/national-police-week-2021/")
    subscribe = page.locator("aside.subscribe")
    assert "Subscribe" in subscribe.inner_text()
    screenshot("campaign-subscribe")
    atom_url = subscribe.get_by_role("link", name="Atom").first.get_attribute("href")
    assert atom_url == "/en/feeds/campaigns/national-police-week-2021.atom"
    feed = feedparser.parse(page.request.get(demo_site + atom_url).body())
    assert not feed.bozo and len(feed.entries) == 1

    page.goto(demo_site + "/en/")
    page.get_by_role(
        "link", name="National Police Week: Working Together to Keep Our Communities Safe"
    ).click()
    page.wait_for_url("**/en/releases/2021/05/09/*/")
    text_link = page.get_by_role("link", name="Plain-text version (copy as text)")
    text = page.request.get(demo_site + text_link.get_attribute("href")).text()
    assert text.startswith("Canadian Association of Chiefs of Police\n\nFOR IMMEDIATE RELEASE")
    assert "-30-" in text
