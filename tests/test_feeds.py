"""Feeds subscribers can trust: valid, full text, stable ids, honest dates and cheap polling."""

import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from html import unescape
from urllib.parse import urlsplit

import feedparser
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import set_script_prefix
from django.utils import translation
from PIL import Image

from pagecache import caching
from releases.models import Release, ReleaseImage, ReleaseType, Status, Topic
from releases.text.html import absolute_links
from releases.workflow import publishing
from tests.factories import (
    make_campaign,
    make_contact,
    make_organisation,
    make_quote,
    make_release,
    make_staff,
    make_topic,
)
from tests.imagefiles import jpeg_bytes, photo, png_bytes, store_image

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_FEEDS = ["/en/feeds/releases.rss", "/en/feeds/releases.atom", "/en/feeds/releases.json"]
OFFSET = re.compile(r"[+-]\d\d:\d\d$")


@pytest.fixture
def organisation():
    return make_organisation(website="https://www.cacp.ca/")


@pytest.fixture
def full_release(organisation):
    campaign = make_campaign(name_en="National Police Week", edition=2021)
    topic = make_topic(name_en="Community safety")
    release = make_release(
        headline="Working Together",
        summary="Police week starts today.",
        campaign=campaign,
        body="<p>Lead paragraph.</p><p>Second paragraph.</p>",
    )
    release.topics.add(topic)
    release.media_contacts.add(make_contact(name="Alex Media"))
    make_quote(release, text="We are listening.", position=1)
    return release


def parse(response):
    assert response.status_code == 200, response.status_code
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def json_feed(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/feed+json")
    return json.loads(response.content)


@pytest.mark.parametrize("url", SITE_FEEDS[:2])
def test_rss_and_atom_feeds_parse_and_carry_full_text_summary_author_and_categories(
    client, full_release, url
):
    parsed = parse(client.get(url))
    (entry,) = parsed.entries
    assert entry.id == full_release.feed_id
    assert entry.title == "Working Together"
    assert entry.link == f"http://testserver{full_release.get_absolute_url()}"
    content = entry.content[0].value
    assert "Lead paragraph." in content and "Second paragraph." in content
    assert "We are listening" in content and "Alex Media" in content
    assert content.index("Lead paragraph.") < content.index("We are listening")
    assert full_release.dateline in content
    assert entry.summary == "Police week starts today."
    assert entry.author == "Canadian Association of Chiefs of Police"
    terms = {tag.term for tag in entry.tags}
    assert terms == {"News release", "Community safety", "National Police Week 2021"}


@pytest.mark.parametrize(
    ("feed", "language", "opening", "closing"),
    [
        ("/en/feeds/releases.atom", "en", "“", "”"),
        ("/fr/fils/communiques.atom", "fr", "«\u00a0", "\u00a0»"),
    ],
)
def test_a_long_summary_is_cut_after_a_whole_word_with_the_pages_quotation_marks(
    client, organisation, feed, language, opening, closing
):
    words = 'Chiefs call the plan "a start" and ask for more. ' + "Policing rural areas " * 20
    make_release(language=language, summary=words)
    (entry,) = parse(client.get(feed)).entries
    assert entry.summary.startswith(f"Chiefs call the plan {opening}a start{closing} and ask")
    assert entry.summary.endswith(" areas…") or entry.summary.endswith(" rural…")
    assert len(entry.summary) <= 300 and '"' not in entry.summary


def test_feed_content_links_are_absolute(client, full_release):
    content = parse(client.get("/en/feeds/releases.atom")).entries[0].content[0].value
    assert 'href="http://testserver/en/spokespeople/' in content
    assert 'href="/' not in content and 'cite="/' not in content


def test_absolute_links_rewrites_only_the_attributes_that_hold_a_site_path():
    origin = "https://news.example"
    html = (
        '<p><a href="/en/x/">x</a> <img src="/media/a.jpg" alt="=&quot;/"></p>'
        '<blockquote cite="/en/y/">y</blockquote><a\nhref="/z/">z</a>'
        '<a href="https://elsewhere.example/">e</a><a xhref="/keep/">k</a> title="/text"'
    )
    assert absolute_links(html, origin) == (
        '<p><a href="https://news.example/en/x/">x</a> '
        '<img src="https://news.example/media/a.jpg" alt="=&quot;/"></p>'
        '<blockquote cite="https://news.example/en/y/">y</blockquote>'
        '<a\nhref="https://news.example/z/">z</a>'
        '<a href="https://elsewhere.example/">e</a><a xhref="/keep/">k</a> title="/text"'
    )
    assert absolute_links('src="/a"', origin) == 'src="https://news.example/a"'
    assert absolute_links("no links", origin) == "no links"


def test_json_feed_follows_version_1_1(client, full_release):
    feed = json_feed(client.get("/en/feeds/releases.json"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"].startswith("Canadian Association of Chiefs of Police")
    assert feed["feed_url"] == "http://testserver/en/feeds/releases.json"
    assert feed["home_page_url"] == "http://testserver/en/releases/"
    (item,) = feed["items"]
    assert item["id"] == full_release.feed_id and isinstance(item["id"], str)
    assert item["url"] == f"http://testserver{full_release.get_absolute_url()}"
    assert "Lead paragraph." in item["content_html"] and "We are listening" in item["content_html"]
    assert item["summary"] == "Police week starts today."
    assert item["authors"] == [
        {"name": "Canadian Association of Chiefs of Police", "url": "https://www.cacp.ca/"}
    ]
    assert set(item["tags"]) == {"News release", "Community safety", "National Police Week 2021"}
    published = datetime.fromisoformat(item["date_published"])
    assert published == full_release.publish_at and published.utcoffset() is not None
    assert OFFSET.search(item["date_modified"])


@pytest.mark.parametrize("url", SITE_FEEDS)
def test_every_format_describes_the_feed_by_the_organisations_tagline(client, organisation, url):
    """RSS's description, Atom's subtitle, JSON Feed's description."""
    response = client.get(url)
    if url.endswith(".json"):
        described = json_feed(response)["description"]
    else:
        described = parse(response).feed.get("subtitle")
    assert described == organisation.tagline


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_entrys_subheadline_has_the_pages_quotation_marks(client, organisation, language):
    release = make_release(language=language, subheadline="The 'first' \"response\"")
    page = client.get(release.get_absolute_url()).text
    shown = re.search(r'class="release__subheadline">([^<]+)<', page).group(1)
    feed = "/en/feeds/releases.json" if language == "en" else "/fr/fils/communiques.json"
    (item,) = json_feed(client.get(feed))["items"]
    assert f"<p><em>{shown}</em></p>" in item["content_html"]
    assert "'" not in shown and '"' not in shown


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_entrys_title_has_the_pages_apostrophes_and_quotation_marks(
    client, organisation, language
):
    """A feed reader shows “Chiefs’ week”, as the page and its <title> do."""
    release = make_release(language=language, headline='The chiefs\' "first" week')
    page = client.get(release.get_absolute_url()).text
    shown = unescape(re.search(r"<h1[^>]*>([^<]+)<", page).group(1))
    assert "'" not in shown and '"' not in shown
    base = "/en/feeds/releases" if language == "en" else "/fr/fils/communiques"
    (item,) = json_feed(client.get(base + ".json"))["items"]
    assert item["title"] == shown
    assert parse(client.get(base + ".atom")).entries[0].title == shown
    assert parse(client.get(base + ".rss")).entries[0].title == shown


def test_atom_feed_follows_rfc_4287(client, full_release):
    make_release(headline="Another")
    root = ET.fromstring(client.get("/en/feeds/releases.atom").content)
    for name in ("id", "title", "updated"):
        assert len(root.findall(f"{ATOM}{name}")) == 1, name
    assert urlsplit(root.findtext(f"{ATOM}id")).scheme == "http"
    assert OFFSET.search(root.findtext(f"{ATOM}updated"))
    self_links = [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert [link.get("href") for link in self_links] == ["http://testserver/en/feeds/releases.atom"]
    assert root.find(f"{ATOM}author/{ATOM}name") is not None
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        assert entry.findtext(f"{ATOM}id").startswith("tag:news.example.org,")
        assert OFFSET.search(entry.findtext(f"{ATOM}updated"))
        assert OFFSET.search(entry.findtext(f"{ATOM}published"))
        for link in entry.findall(f"{ATOM}link"):
            assert urlsplit(link.get("href")).scheme in ("http", "https")


def test_rss_has_a_typed_self_link_and_dates_with_offsets(client, full_release):
    root = ET.fromstring(client.get("/en/feeds/releases.rss").content)
    channel = root.find("channel")
    (self_link,) = channel.findall(f"{ATOM}link")
    assert self_link.attrib == {
        "rel": "self",
        "type": "application/rss+xml",
        "href": "http://testserver/en/feeds/releases.rss",
    }
    pub_date = channel.find("item/pubDate").text
    assert re.search(r" [+-]\d{4}$", pub_date)
    assert channel.find("item/guid").get("isPermaLink") == "false"


def test_entry_id_survives_slug_and_headline_changes(client, full_release):
    before = parse(client.get("/en/feeds/releases.atom")).entries[0].id
    full_release.slug = "a-new-slug"
    full_release.headline = "A new headline"
    full_release.save()
    after = parse(client.get("/en/feeds/releases.atom")).entries[0]
    assert after.title == "A new headline"
    assert after.id == before == full_release.feed_id


def test_updated_changes_on_a_correction_but_not_on_a_minor_edit(client, full_release, now):
    def updated():
        return parse(client.get("/en/feeds/releases.atom")).entries[0].updated

    first = updated()
    full_release.headline = "Working Together (typo fixed)"
    full_release.save()
    assert updated() == first
    corrected_at = now - timedelta(minutes=5)
    Release.objects.filter(pk=full_release.pk).update(updated_at=corrected_at)
    caching.invalidate()  # update() sends no signal
    assert datetime.fromisoformat(updated()) == corrected_at


def test_only_public_releases_of_the_language_are_in_the_feeds(client, organisation, now):
    public = make_release(headline="Public")
    make_release(headline="Draft", published=False)
    scheduled = make_release(headline="Scheduled", publish_at=now + timedelta(hours=1))
    withdrawn = make_release(headline="Withdrawn")
    Release.objects.filter(pk=withdrawn.pk).update(status=Status.WITHDRAWN)
    make_release(headline="En français", language="fr")
    for url in SITE_FEEDS[:2]:
        assert [e.title for e in parse(client.get(url)).entries] == ["Public"]
    assert [i["title"] for i in json_feed(client.get(SITE_FEEDS[2]))["items"]] == ["Public"]
    with time_machine.travel(scheduled.publish_at + timedelta(seconds=1), tick=False):
        titles = [e.title for e in parse(client.get(SITE_FEEDS[1])).entries]
    assert titles == ["Scheduled", "Public"]
    assert public.feed_id in client.get(SITE_FEEDS[0]).text


def test_french_feeds_carry_french_releases(client, organisation):
    make_release(headline="In English")
    french = make_release(headline="En français", language="fr")
    parsed = parse(client.get("/fr/fils/communiques.atom"))
    assert [e.title for e in parsed.entries] == ["En français"]
    assert parsed.feed.language == "fr"
    assert parsed.entries[0].link == f"http://testserver{french.get_absolute_url()}"
    assert parsed.feed.title.startswith("Association canadienne des chefs de police")


def test_a_french_entry_names_its_campaign_topics_and_contacts_in_french(client, organisation):
    """Each in French where it has a French name, else in English; topics and contacts in
    the order the release's page lists them."""
    release = make_release(
        language="fr",
        headline="Semaine de la police",
        campaign=make_campaign(name_en="Police Week", name_fr="Semaine de la police", edition=2021),
    )
    release.topics.add(
        make_topic(name_en="Road safety", name_fr="Sécurité routière"),
        make_topic(name_en="Youth"),
        make_topic(name_en="Education", name_fr="Éducation"),
    )
    release.media_contacts.add(
        make_contact(name="Zoé Tremblay", role_en="Media relations", role_fr="Relations médias"),
        make_contact(name="Alex Roy", role_en="Spokesperson", organisation_name_en="CACP"),
    )
    other = make_release(language="fr", headline="Sans contact")
    organisation.default_media_contacts.add(make_contact(name="Pat Default", role_fr="Bureau"))
    with translation.override("fr"):
        on_the_page = [topic.name for topic in release.topics.all()]
    assert set(on_the_page) == {"Sécurité routière", "Youth", "Éducation"}
    entries = {e.title: e for e in parse(client.get("/fr/fils/communiques.atom")).entries}
    entry = entries["Semaine de la police"]
    terms = [tag.term for tag in entry.tags]
    assert terms == ["Communiqué", *on_the_page, "Semaine de la police 2021"]
    content = entry.content[0].value
    assert "<h2>Personnes-ressources pour les médias</h2>" in content
    # (feedparser writes each <br> as <br />)
    assert "<p>Alex Roy<br />Spokesperson<br />CACP<br />" in content
    assert "<p>Zoé Tremblay<br />Relations médias<br />" in content
    assert content.index("Alex Roy") < content.index("Zoé Tremblay")
    assert "Pat Default" not in content
    assert "<p>Pat Default<br />Bureau<br />" in entries[other.headline].content[0].value


def test_an_english_entry_falls_back_to_french_where_english_is_empty(client, organisation):
    """As modeltranslation reads a field (English, then French): a role entered in French only
    still shows."""
    release = make_release(headline="Police Week")
    release.media_contacts.add(make_contact(name="Zoé Tremblay", role_en="", role_fr="Agente"))
    content = parse(client.get("/en/feeds/releases.atom")).entries[0].content[0].value
    assert "<p>Zoé Tremblay<br />Agente<br />" in content


def test_feeds_hold_the_latest_fifty_newest_first(client, organisation, now):
    for n in range(52):
        make_release(headline=f"Item {n:02d}", publish_at=now - timedelta(hours=n + 1))
    titles = [e.title for e in parse(client.get("/en/feeds/releases.rss")).entries]
    assert len(titles) == 50 and titles[0] == "Item 00" and titles[-1] == "Item 49"


def test_filtered_feeds_per_campaign_topic_and_type(client, organisation):
    campaign = make_campaign()
    topic = make_topic()
    in_campaign = make_release(headline="In campaign", campaign=campaign)
    on_topic = make_release(headline="On topic")
    on_topic.topics.add(topic)
    make_release(headline="Statement", release_type=ReleaseType.STATEMENT)
    cases = {
        f"/en/feeds/campaigns/{campaign.slug}": ["In campaign"],
        f"/en/feeds/topics/{topic.slug}": ["On topic"],
        "/en/feeds/types/statement": ["Statement"],
        "/en/feeds/types/news-release": ["On topic", "In campaign"],
    }
    for base, expected in cases.items():
        for fmt in ("rss", "atom"):
            parsed = parse(client.get(f"{base}.{fmt}"))
            assert [e.title for e in parsed.entries] == expected, base
        feed = json_feed(client.get(f"{base}.json"))
        assert [item["title"] for item in feed["items"]] == expected
        assert feed["feed_url"] == f"http://testserver{base}.json"
    assert (
        campaign.name in parse(client.get(f"/en/feeds/campaigns/{campaign.slug}.atom")).feed.title
    )
    # Each feed's site link is the page listing what it carries.
    assert parse(client.get("/en/feeds/types/statement.rss")).feed.link == (
        "http://testserver/en/releases/?type=statement"
    )
    assert parse(client.get(f"/en/feeds/topics/{topic.slug}.atom")).feed.link == (
        f"http://testserver{topic.get_absolute_url()}"
    )
    assert in_campaign.feed_id in client.get(f"/en/feeds/campaigns/{campaign.slug}.json").text


@pytest.mark.parametrize(
    "url",
    [
        "/en/feeds/campaigns/no-such-campaign.rss",
        "/en/feeds/topics/no-such-topic.atom",
        "/en/feeds/types/no-such-type.json",
        "/en/feeds/releases.xml",
        "/en/feeds/releases.rss2",
        "/en/feeds/releases",
        "/en/feeds/campaigns/café.rss",
    ],
)
def test_unknown_feeds_are_404(client, organisation, url):
    assert client.get(url).status_code == 404


def test_feeds_answer_conditional_get(client, full_release):
    for url in SITE_FEEDS:
        first = client.get(url)
        etag, last_modified = first["ETag"], first["Last-Modified"]
        assert "max-age=60" in first["Cache-Control"] and "public" in first["Cache-Control"]
        again = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304 and again.content == b""
        assert again["ETag"] == etag and "max-age" in again["Cache-Control"]
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
        assert client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


@pytest.mark.parametrize("header", ["yesterday", "Sun, 99 Foo 2021 99:99:99 GMT", "", "\x00"])
def test_malformed_if_modified_since_gets_the_feed(client, full_release, header):
    response = client.get("/en/feeds/releases.atom", HTTP_IF_MODIFIED_SINCE=header)
    assert response.status_code == 200
    parse(response)


def test_a_new_release_changes_the_etag(client, full_release):
    etag = client.get("/en/feeds/releases.rss")["ETag"]
    make_release(headline="Breaking")
    response = client.get("/en/feeds/releases.rss", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag


def test_feed_is_assembled_once_not_streamed_in_chunks(client, full_release):
    response = client.get("/en/feeds/releases.atom")
    assert len(list(response)) == 1


def test_control_characters_never_break_a_feed(client, organisation):
    release = make_release(body="<p>Body.</p>")
    # Bypass save(), which already strips them, as an import or a raw SQL edit would.
    Release.objects.filter(pk=release.pk).update(
        headline="Bad\x0bheadline\x1f", summary="Sum\x01mary", body="<p>Bo\x08dy.</p>"
    )
    topic = make_topic()
    Topic.objects.filter(pk=topic.pk).update(name_en="To\x0cpic")
    release.topics.add(topic)
    make_quote(release, text="Fine.", attribution="Chief\x07 Someone")
    for url in SITE_FEEDS[:2]:
        (entry,) = parse(client.get(url)).entries
        assert entry.title == "Badheadline"
        assert {tag.term for tag in entry.tags} >= {"Topic"}
        assert "Chief Someone" in entry.content[0].value
    assert json_feed(client.get(SITE_FEEDS[2]))["items"][0]["title"] == "Badheadline"


def test_an_empty_feed_is_valid_and_stable(client, organisation):
    first = client.get("/en/feeds/releases.atom")
    parsed = parse(first)
    assert parsed.entries == [] and parsed.feed.updated
    assert (
        client.get("/en/feeds/releases.atom", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    )


def _feed_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _queries_with_one_then_many(client, url, add_release, more, assert_max_queries) -> int:
    """The feed's queries with one release; asserts that ``more`` releases cost no more."""
    add_release()
    with_one = _feed_queries(client, url)
    for _ in range(more):
        add_release()
    with assert_max_queries(with_one):
        client.get(url)
    return with_one


@pytest.mark.parametrize("url", SITE_FEEDS)
def test_feed_queries_do_not_grow_with_the_number_of_releases(
    client, organisation, url, django_assert_max_num_queries
):
    campaign = make_campaign()
    topics = [make_topic(), make_topic()]

    def add_release():
        release = make_release(campaign=campaign)
        release.topics.add(*topics)
        release.media_contacts.add(make_contact())
        make_quote(release)
        make_quote(release, position=2)

    with_one = _queries_with_one_then_many(
        client, url, add_release, 29, django_assert_max_num_queries
    )
    # The cache's scope versions and the go-lives to come (pagecache), the organisation, the
    # releases, and what they carry (topics, quotes, their own and the default contacts: one
    # statement).
    assert with_one <= 5


@pytest.fixture
def release_on_may_9(organisation):
    with time_machine.travel(datetime(2021, 5, 9, 10, 0, tzinfo=UTC), tick=False):
        release = make_release(headline="Police Week Opens", body="<p>Ten officers.</p>")
    return release


def _entry(client, url):
    response = client.get(url)
    if url.endswith(".json"):
        item = json_feed(response)["items"][0]
        return item["content_html"], datetime.fromisoformat(item["date_modified"])
    entry = parse(response).entries[0]
    content = entry.content[0].value if "content" in entry else entry.description
    if url.endswith(".rss"):
        # RSS 2.0 has no "updated": the entry's date is its publication; the note is the news.
        return content, None
    return content, datetime.fromisoformat(entry.updated)


@pytest.mark.parametrize("url", SITE_FEEDS)
def test_a_correction_shows_its_dated_note_in_the_feed_entry_and_moves_its_updated_time(
    client, release_on_may_9, url
):
    editor = make_staff("Editors")
    with time_machine.travel(datetime(2021, 5, 10, 14, 30, tzinfo=UTC), tick=False):
        before_content, before_updated = _entry(client, url)
        release_on_may_9.body = "<p>Twelve officers.</p>"
        publishing.correct(
            release=release_on_may_9, by=editor, note="The release said ten officers; twelve."
        )
        content, updated = _entry(client, url)
    assert "Corrected" not in before_content
    assert "Corrected May 10, 2021:" in content
    assert "The release said ten officers; twelve." in content
    assert "Twelve officers." in content
    if before_updated is not None:
        assert updated == datetime(2021, 5, 10, 14, 30, tzinfo=UTC) > before_updated


@pytest.mark.parametrize("url", SITE_FEEDS)
def test_a_minor_edit_neither_adds_a_note_nor_moves_the_updated_time(client, release_on_may_9, url):
    editor = make_staff("Editors")
    with time_machine.travel(datetime(2021, 5, 10, 14, 30, tzinfo=UTC), tick=False):
        _before_content, before_updated = _entry(client, url)
        release_on_may_9.headline = "Police Week Opens Today"
        publishing.minor_edit(release=release_on_may_9, by=editor)
        content, updated = _entry(client, url)
    assert "Corrected" not in content
    assert updated == before_updated


def test_corrections_in_the_feed_speak_the_feed_language(client, organisation):
    editor = make_staff("Editors")
    with time_machine.travel(datetime(2021, 5, 9, 10, 0, tzinfo=UTC), tick=False):
        release = make_release(headline="Semaine de la police", language="fr")
    with time_machine.travel(datetime(2021, 5, 10, 14, 30, tzinfo=UTC), tick=False):
        publishing.correct(release=release, by=editor, note="Douze agents, et non dix.")
        content, _updated = _entry(client, "/fr/fils/communiques.atom")
    assert "10 mai 2021" in content
    assert "Douze agents, et non dix." in content


# The lead image as enclosure / attachment


@pytest.fixture
def illustrated_release(organisation):
    release = make_release(headline="With A Photo")
    lead = store_image(
        ReleaseImage, release=release, data=jpeg_bytes(photo(1000, 700)), alt_text="Officers"
    )
    store_image(ReleaseImage, release=release, position=1, data=png_bytes(), name="second.png")
    return release, lead


def _fetch(client, url):
    assert url.startswith("http://testserver/")
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def test_rss_carries_the_lead_image_as_its_enclosure(client, illustrated_release):
    _release, lead = illustrated_release
    (entry,) = parse(client.get("/en/feeds/releases.rss")).entries
    (enclosure,) = entry.enclosures
    response, data = _fetch(client, enclosure.href)
    assert enclosure.type == response["Content-Type"] == "image/jpeg"
    assert int(enclosure.length) == len(data)
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and image.size == (lead.width, lead.height) == (1000, 700)


def test_atom_links_the_lead_image_as_an_enclosure(client, illustrated_release):
    (entry,) = parse(client.get("/en/feeds/releases.atom")).entries
    (enclosure,) = [link for link in entry.links if link.rel == "enclosure"]
    response, data = _fetch(client, enclosure.href)
    assert enclosure.type == "image/jpeg" and int(enclosure.length) == len(data)
    assert Image.open(io.BytesIO(data)).format == "JPEG"


def test_json_feed_gives_the_lead_image_and_its_attachment(client, illustrated_release):
    (item,) = json_feed(client.get("/en/feeds/releases.json"))["items"]
    response, data = _fetch(client, item["image"])
    assert Image.open(io.BytesIO(data)).size == (1200, 630)
    (attachment,) = item["attachments"]
    response, data = _fetch(client, attachment["url"])
    assert attachment["mime_type"] == response["Content-Type"] == "image/jpeg"
    assert attachment["size_in_bytes"] == len(data)


@pytest.mark.parametrize("url", SITE_FEEDS)
def test_releases_without_images_have_no_enclosure(client, full_release, url):
    response = client.get(url)
    if url.endswith(".json"):
        (item,) = json_feed(response)["items"]
        assert "image" not in item and "attachments" not in item
    else:
        (entry,) = parse(response).entries
        assert not entry.get("enclosures")
        assert "enclosure" not in {link.rel for link in entry.get("links", [])}


@pytest.mark.parametrize("url", SITE_FEEDS)
def test_feed_queries_do_not_grow_with_the_number_of_illustrated_releases(
    client, organisation, url, django_assert_max_num_queries
):
    def add_release():
        release = make_release()
        store_image(ReleaseImage, release=release, data=jpeg_bytes(photo(120, 80)))

    _queries_with_one_then_many(client, url, add_release, 4, django_assert_max_num_queries)


def test_a_withdrawal_is_not_answered_304_to_a_reader_asking_by_date(client, organisation, now):
    """Withdrawing a release takes it out of the feed without moving the newest entry's date;
    a reader that revalidates with If-Modified-Since alone must still get the new feed."""
    older = make_release(headline="Sent in error", publish_at=now - timedelta(days=2))
    make_release(headline="Still standing", publish_at=now - timedelta(hours=1))
    url = "/en/feeds/releases.atom"
    with time_machine.travel(now, tick=False):
        first = client.get(url)
    assert b"Sent in error" in first.content
    with time_machine.travel(now + timedelta(minutes=2), tick=False):
        publishing.withdraw(release=older, by=None, reason="Sent in error.")
        again = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 200
    assert b"Sent in error" not in again.content


@pytest.mark.parametrize(
    ("language", "url"), [("en", "/en/feeds/releases.atom"), ("fr", "/fr/fils/communiques.atom")]
)
def test_each_entry_links_to_its_releases_own_address(client, organisation, language, url):
    """Whatever digits its date has (the feed writes fifty addresses from one reversed once)."""
    releases = [
        make_release(language=language, publish_at=moment)
        for moment in (
            datetime(1992, 9, 30, 15, tzinfo=UTC),
            datetime(2001, 9, 29, 15, tzinfo=UTC),
            datetime(2019, 12, 31, 15, tzinfo=UTC),
        )
    ]
    links = {entry.id: entry.link for entry in parse(client.get(url)).entries}
    assert links == {
        release.feed_id: f"http://testserver{release.get_absolute_url()}" for release in releases
    }


def test_entry_links_keep_the_sites_own_prefix_whatever_its_digits(client, organisation):
    """A site served under a prefix (SCRIPT_NAME) with digits that look like a date's."""
    release = make_release(publish_at=datetime(2021, 5, 9, 15, tzinfo=UTC))
    path = release.get_absolute_url()
    set_script_prefix("/news-93/")  # as the WSGI handler sets it from SCRIPT_NAME
    try:
        (entry,) = parse(client.get("/en/feeds/releases.atom")).entries
    finally:
        set_script_prefix("/")
    assert entry.link == f"http://testserver/news-93{path}"


FRENCH_FEEDS = ["/fr/fils/communiques.rss", "/fr/fils/communiques.atom"]


def feed_date(response) -> datetime:
    """The feed's own date as a reader reads it: Atom's updated, RSS's lastBuildDate."""
    feed = parse(response).feed
    return datetime(*(feed.get("updated_parsed") or feed.published_parsed)[:6], tzinfo=UTC)


@pytest.mark.parametrize("url", FRENCH_FEEDS)
def test_an_empty_feed_keeps_its_date_and_etag_from_one_poll_to_the_next(client, organisation, url):
    """No French release was ever public: nothing dates the feed, so a fixed date whatever the
    day, and the same ETag: a reader sees no change, as there is none."""
    make_release(language="en")
    with time_machine.travel(datetime(2026, 3, 1, 9, tzinfo=UTC), tick=False):
        first = client.get(url)
    caching.invalidate(hard=True)
    with time_machine.travel(datetime(2026, 3, 9, 17, tzinfo=UTC), tick=False):
        again = client.get(url)
        revalidated = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert feed_date(first) == feed_date(again) == datetime(1970, 1, 1, tzinfo=UTC)
    assert first["ETag"] == again["ETag"] and first.content == again.content
    assert revalidated.status_code == 304


@pytest.mark.parametrize("page_cache_seconds", [600, 0])
@pytest.mark.parametrize("url", FRENCH_FEEDS)
def test_a_reader_asking_by_date_gets_the_feed_emptied_by_a_withdrawal(
    client, settings, organisation, now, url, page_cache_seconds
):
    """Its last entry gone, the feed answers a reader asking by the date of the copy it last
    saw with the empty feed, with the page cache or without."""
    settings.PAGE_CACHE_SECONDS = page_cache_seconds
    release = make_release(language="fr", headline="Envoyé par erreur")
    with time_machine.travel(now, tick=False):
        first = client.get(url)
    assert "Envoyé par erreur" in first.text
    withdrawn_at = (now + timedelta(minutes=2)).replace(microsecond=0)
    with time_machine.travel(withdrawn_at, tick=False):
        publishing.withdraw(release=release, by=None, reason="Envoyé par erreur.")
    with time_machine.travel(withdrawn_at + timedelta(days=1), tick=False):
        again = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        later = client.get(url, HTTP_IF_MODIFIED_SINCE=again["Last-Modified"])
    assert again.status_code == 200 and "Envoyé par erreur" not in again.text
    assert feed_date(again) == datetime(1970, 1, 1, tzinfo=UTC)
    assert later.status_code == 304
