"""Nothing leaks: a release scheduled at T is absent from every public channel at T−1 s and
present in all of them at T+1 s. The clock is frozen with time-machine (``tick=False``); the
views, the caches and the visibility rule all read it.

Each channel is a function ``(client, release) -> str`` returning what the channel shows; to
test one more channel, add one line to ``CHANNELS``. Every channel is tested with the page
cache off and on, and with the cache warmed one second before the embargo lifts: a page cached
then must not hide the release one second after.
"""

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import feedparser
import icalendar
import pytest
import time_machine
from django.urls import reverse

from releases.models import CampaignVisual, ReleaseImage
from tests.factories import (
    make_advisory,
    make_campaign,
    make_quote,
    make_release,
    make_spokesperson,
    make_topic,
)
from tests.imagefiles import jpeg_bytes, photo, png_bytes, store_document, store_image

TORONTO = ZoneInfo("America/Toronto")
GO_LIVE = datetime(2021, 5, 9, 6, 0, tzinfo=TORONTO)
HEADLINE = "Embargoed Headline Xyzzy"
QUOTE = "Words under embargo"
CAMPAIGN = "Week of Quetzal"
NEIGHBOUR = "Neighbour Already Public"
# A media advisory under the same embargo: its headline carries the quote's words.
ADVISORY = f"Briefing: {QUOTE}"
SMALL = photo(160, 100)
pytestmark = pytest.mark.django_db


def text(client, path) -> str:
    response = client.get(path)
    return response.content.decode() if response.status_code == 200 else ""


def page(path):
    return lambda client, release: text(client, path)


def detail(client, release) -> str:
    """The detail URL: before its time the answer must be exactly the unknown-slug 404."""
    response = client.get(release.get_absolute_url())
    unknown = client.get(release.get_absolute_url().replace(release.slug, "no-such-slug"))
    if response.status_code == 404:
        # The language switcher repeats the requested address; everything else is identical.
        assert response.text.replace(release.slug, "no-such-slug") == unknown.text
        return ""
    return response.text


def plain_text(client, release) -> str:
    """The .txt wire version: 404 before, the same visibility as the page."""
    response = client.get(release.get_text_url())
    if response.status_code == 404:
        return ""
    assert response.status_code == 200
    return response.content.decode()


def year_archive_month_list(client, release) -> str:
    """The archive's list of dates: May may only be listed once something in it is public."""
    html = text(client, "/en/releases/2021/")
    return HEADLINE if "/en/releases/2021/05/" in html else ""


def feed(path):
    """A feed, parsed (it must stay valid before and after), as its entries' text."""

    def channel(client, release) -> str:
        response = client.get(path)
        assert response.status_code == 200, response.status_code
        if path.endswith(".json"):
            data = json.loads(response.content)
            return json.dumps(data["items"], ensure_ascii=False)
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, parsed.get("bozo_exception")
        return " ".join(
            f"{entry.title} {entry.get('summary', '')} {entry.content[0].value}"
            for entry in parsed.entries
        )

    return channel


FEEDS = [
    ("site", "/en/feeds/releases"),
    ("campaign", "/en/feeds/campaigns/week-of-quetzal"),
    ("topic", "/en/feeds/topics/leak-topic"),
    ("type", "/en/feeds/types/news-release"),
]


def go_live_dates(response_text: str) -> bool:
    """Whether a sitemap gives the embargoed release's time as a last modification."""
    return (
        any(
            moment in response_text
            for moment in (GO_LIVE.isoformat(), GO_LIVE.astimezone(ZoneInfo("UTC")).isoformat())
        )
        or re.search(r"2021-05-09T10:00:00(?:\+00:00|Z)", response_text) is not None
    )


def sitemap_index(client, release) -> str:
    """The index and every sitemap it lists: the release's address, or its time as lastmod."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    shown = index.content.decode()
    for location in re.findall(r"<loc>([^<]+)</loc>", shown):
        section = client.get(location.replace("http://testserver", ""))
        assert section.status_code == 200, location
        shown += section.content.decode()
    found = release.get_absolute_url() in shown or go_live_dates(shown)
    return HEADLINE if found else ""


def releases_sitemap(client, release) -> str:
    shown = text(client, "/sitemap-releases.xml")
    return HEADLINE if release.get_absolute_url() in shown else ""


def news_sitemap(client, release) -> str:
    return text(client, "/sitemap-news.xml")


def search_results(client, release) -> str:
    """The results' text; PostgreSQL's search marks the matched word (``<mark>``)."""
    return re.sub(r"</?mark>", "", text(client, "/en/search/?q=Xyzzy"))


def result_count(path):
    """The sentence that counts the results (“1 release …”), not the list itself."""

    def channel(client, release) -> str:
        found = re.search(r'class="finder__sentence"[^>]*>([^<]*)<', text(client, path))
        assert found, "no result sentence"
        return HEADLINE if re.match(r"\s*1 release", found.group(1)) else ""

    return channel


def facet_counts(path):
    """The facets beside a list: the embargoed release's campaign may not be counted early."""

    def channel(client, release) -> str:
        html = text(client, path)
        facets = re.search(r'<aside class="facets".*?</aside>', html, re.S)
        shown = facets.group(0) if facets else ""
        return (
            HEADLINE if re.search(rf"{CAMPAIGN}( \d{{4}})?</a>\s*<span[^>]*>\(1\)", shown) else ""
        )

    return channel


def structured_data(client, release) -> str:
    """JSON-LD on the release's page (a 404 before) and on its campaign's page (never about it)."""
    shown = ""
    for path in (release.get_absolute_url(), release.campaign.get_absolute_url()):
        html = text(client, path)
        shown += " ".join(
            re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        )
    return shown


def related_box(client, release) -> str:
    """The “Related releases” box on the page of another, public release of the same topic."""
    html = text(client, release.neighbour.get_absolute_url())
    assert NEIGHBOUR in html
    box = re.search(r'<section class="related".*?</section>', html, re.S)
    return box.group(0) if box else ""


def served(client, urls) -> str:
    """Every address answers 200, or none does; anything in between is a bug of its own."""
    codes = {url: client.get(url).status_code for url in urls}
    assert urls and set(codes.values()) <= {200, 404}, codes
    assert len(set(codes.values())) == 1, codes
    return HEADLINE if set(codes.values()) == {200} else ""


def image_files(client, release) -> str:
    """Every stored file of the lead image: original, renditions, the social card."""
    image = ReleaseImage.objects.get(release=release)
    return served(client, [image.url_for(record) for record in image.files])


def campaign_visual_files(client, release) -> str:
    """A campaign's visual shows once one of its releases is public, not before."""
    visual = CampaignVisual.objects.get(campaign=release.campaign)
    return served(client, [visual.url_for(record) for record in visual.files])


def document_file(client, release) -> str:
    return served(client, [document.get_absolute_url() for document in release.documents.all()])


def press_kit(client, release) -> str:
    return served(client, [release.get_press_kit_url()])


def api(path):
    """An answer of the content API, as text (it must answer 200 before and after)."""

    def channel(client, release) -> str:
        response = client.get(path)
        assert response.status_code == 200, response.status_code
        return json.dumps(json.loads(response.content), ensure_ascii=False)

    return channel


def api_release(client, release) -> str:
    """The release's own API address: before its time, exactly the unknown id's 404."""
    response = client.get(f"/api/v1/releases/{release.pk}")
    if response.status_code == 404:
        assert response.content == client.get("/api/v1/releases/999999999").content
        return ""
    assert response.status_code == 200
    return response.content.decode()


def ninjs(client, release) -> str:
    return served_text(client, release.get_absolute_url().rstrip("/") + ".ninjs.json")


def oembed(client, release) -> str:
    response = client.get("/oembed", {"url": f"http://testserver{release.get_absolute_url()}"})
    return json.loads(response.content)["title"] if response.status_code == 200 else ""


def served_text(client, path) -> str:
    response = client.get(path)
    assert response.status_code in (200, 404), response.status_code
    return response.content.decode() if response.status_code == 200 else ""


def advisory_ics(client, release) -> str:
    """The advisory's “Add to calendar” file: 404 before its time."""
    return served_text(client, release.advisory.get_absolute_url().rstrip("/") + ".ics")


def advisories_calendar(client, release) -> str:
    """The language's calendar of advisories, parsed (it must stay valid before and after)."""
    response = client.get("/en/feeds/advisories.ics")
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    return " ".join(str(event["SUMMARY"]) for event in calendar.walk("VEVENT"))


CHANNELS = [
    pytest.param(page(reverse("releases:home")), id="home"),
    pytest.param(page(reverse("releases:list")), id="list"),
    pytest.param(page("/en/releases/2021/"), id="year-archive"),
    pytest.param(year_archive_month_list, id="year-archive-date-list"),
    pytest.param(page("/en/releases/2021/05/"), id="month"),
    pytest.param(detail, id="detail"),
    pytest.param(plain_text, id="plain-text"),
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
    *[
        pytest.param(feed(f"{base}.{extension}"), id=f"feed-{subject}-{extension}")
        for subject, base in FEEDS
        for extension in ("rss", "atom", "json")
    ],
    pytest.param(sitemap_index, id="sitemap-index"),
    pytest.param(releases_sitemap, id="sitemap-releases"),
    pytest.param(news_sitemap, id="sitemap-news"),
    pytest.param(search_results, id="search-results"),
    pytest.param(result_count("/en/search/?q=Xyzzy"), id="search-count"),
    pytest.param(facet_counts("/en/search/?q=Xyzzy"), id="search-facet-counts"),
    pytest.param(facet_counts(reverse("releases:list")), id="list-facet-counts"),
    pytest.param(result_count("/en/releases/?campaign=week-of-quetzal"), id="list-count"),
    pytest.param(structured_data, id="structured-data"),
    pytest.param(related_box, id="related-releases"),
    pytest.param(image_files, id="image-renditions"),
    pytest.param(campaign_visual_files, id="campaign-visual"),
    pytest.param(document_file, id="document"),
    pytest.param(press_kit, id="press-kit"),
    pytest.param(api("/api/v1/releases/"), id="api-list"),
    pytest.param(api("/api/v1/releases/?q=Xyzzy&language=en"), id="api-search"),
    pytest.param(api("/api/v1/releases/?campaign=week-of-quetzal"), id="api-campaign-filter"),
    pytest.param(api("/api/v1/releases/?year=2021&month=5"), id="api-month"),
    pytest.param(api_release, id="api-release"),
    pytest.param(ninjs, id="ninjs"),
    pytest.param(oembed, id="oembed"),
    pytest.param(advisory_ics, id="advisory-ics"),
    pytest.param(advisories_calendar, id="advisories-calendar"),
]


@pytest.fixture
def scheduled():
    """A release scheduled for GO_LIVE, alone in its month but for a media advisory under the
    same embargo, with a campaign, topic, quote, lead image, campaign visual and document; and
    an older public release on the same topic."""
    with time_machine.travel(GO_LIVE - timedelta(days=30), tick=False):
        # Announced by an editor (announce_now), so that their pages and feeds answer before
        # the release is public: what they show must still leave it out.
        campaign = make_campaign(name_en=CAMPAIGN, slug="week-of-quetzal", announce_now=True)
        topic = make_topic(name_en="Leak topic", slug="leak-topic")
        neighbour = make_release(headline=NEIGHBOUR, publish_at=GO_LIVE - timedelta(days=30))
        neighbour.topics.add(topic)
        release = make_release(headline=HEADLINE, publish_at=GO_LIVE, campaign=campaign)
        release.topics.add(topic)
        make_quote(release, text=QUOTE, spokesperson=make_spokesperson(announce_now=True))
        store_image(ReleaseImage, release=release, data=jpeg_bytes(SMALL), alt_text="Embargoed")
        store_image(CampaignVisual, campaign=campaign, data=png_bytes(SMALL), name="visual.png")
        store_document(release)
        advisory = make_advisory(
            headline=ADVISORY, publish_at=GO_LIVE, event={"starts_at": GO_LIVE + timedelta(days=2)}
        )
    release.neighbour = neighbour
    release.advisory = advisory
    return release


@pytest.fixture(params=["page-cache-off", "page-cache-on"])
def page_cache(request, settings):
    settings.PAGE_CACHE_SECONDS = 0 if request.param == "page-cache-off" else 600


def leaked(shown: str) -> bool:
    return HEADLINE in shown or QUOTE in shown


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_scheduled_release_is_absent_one_second_before_its_time(
    client, scheduled, page_cache, channel
):
    with time_machine.travel(GO_LIVE - timedelta(seconds=1), tick=False):
        shown = channel(client, scheduled)
    assert not leaked(shown)


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_scheduled_release_is_present_one_second_after_its_time(
    client, scheduled, page_cache, channel
):
    with time_machine.travel(GO_LIVE + timedelta(seconds=1), tick=False):
        shown = channel(client, scheduled)
    assert leaked(shown)


@pytest.mark.parametrize("channel", CHANNELS)
def test_caches_warmed_just_before_the_embargo_lifts_show_the_release_just_after(
    client, scheduled, settings, channel
):
    settings.PAGE_CACHE_SECONDS = 600
    with time_machine.travel(GO_LIVE - timedelta(seconds=1), tick=False):
        assert not leaked(channel(client, scheduled))
    with time_machine.travel(GO_LIVE + timedelta(seconds=1), tick=False):
        assert leaked(channel(client, scheduled))


@pytest.mark.parametrize(
    "path", ["/en/", "/en/releases/", "/en/feeds/releases.rss", "/en/feeds/topics/leak-topic.json"]
)
def test_caches_in_front_are_never_told_to_keep_a_response_past_the_embargo(
    client, scheduled, path
):
    with time_machine.travel(GO_LIVE - timedelta(seconds=10), tick=False):
        response = client.get(path)
    assert response.status_code == 200
    lifetimes = re.findall(r"(?:s-maxage|max-age)=(\d+)", response["Cache-Control"])
    assert lifetimes and max(map(int, lifetimes)) <= 10
