"""What pages tell machines and readers: metadata, structured data, feed links, plain text."""

import io
import json
import re
from datetime import date, datetime, timedelta
from html.parser import HTMLParser

import pytest
from PIL import Image

from releases.models import Release, ReleaseImage, Status
from tests.factories import (
    make_campaign,
    make_contact,
    make_organisation,
    make_quote,
    make_release,
    make_spokesperson,
    make_topic,
)
from tests.imagefiles import jpeg_bytes, photo, store_image

pytestmark = pytest.mark.django_db


class HeadReader(HTMLParser):
    """Collects the <link>, <meta> and JSON-LD of a page."""

    def __init__(self):
        super().__init__()
        self.links, self.meta, self.json_ld = [], {}, []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link":
            self.links.append(attrs)
        elif tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta.setdefault(attrs.get("property") or attrs["name"], []).append(
                attrs["content"]
            )
        self._in_json_ld = tag == "script" and attrs.get("type") == "application/ld+json"

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld.append(json.loads(data))

    def handle_endtag(self, tag):
        self._in_json_ld = False


def read_head(response) -> HeadReader:
    assert response.status_code == 200
    reader = HeadReader()
    reader.feed(response.text)
    return reader


@pytest.fixture
def organisation():
    return make_organisation(website="https://www.cacp.ca/")


def test_release_page_has_canonical_description_opengraph_and_twitter_card(client, organisation):
    release = make_release(headline="Working Together", summary="Police week starts today.")
    release.topics.add(make_topic(name_en="Community safety"))
    head = read_head(client.get(release.get_absolute_url()))
    canonical = f"http://testserver{release.get_absolute_url()}"
    assert [link["href"] for link in head.links if link["rel"] == "canonical"] == [canonical]
    assert head.meta["description"] == ["Police week starts today."]
    assert head.meta["og:type"] == ["article"]
    assert head.meta["og:title"] == ["Working Together"]
    assert head.meta["og:url"] == [canonical]
    assert head.meta["og:description"] == ["Police week starts today."]
    assert datetime.fromisoformat(head.meta["article:published_time"][0]) == release.publish_at
    assert head.meta["article:modified_time"][0].endswith(("-04:00", "-05:00"))
    assert head.meta["article:tag"] == ["Community safety"]
    assert head.meta["twitter:card"] == ["summary"]
    assert head.meta["twitter:title"] == ["Working Together"]


def test_release_without_summary_is_described_by_the_start_of_its_body(client, organisation):
    release = make_release(body="<p>The <strong>lead</strong> says it all.</p><p>More.</p>")
    head = read_head(client.get(release.get_absolute_url()))
    assert head.meta["description"] == ["The lead says it all. More."]


def test_release_json_ld_is_a_news_article(client, organisation, now):
    release = make_release(headline="Working Together", publish_at=now - timedelta(hours=2))
    corrected = now - timedelta(minutes=10)
    Release.objects.filter(pk=release.pk).update(updated_at=corrected)
    release.refresh_from_db()
    (article,) = read_head(client.get(release.get_absolute_url())).json_ld
    canonical = f"http://testserver{release.get_absolute_url()}"
    assert article["@context"] == "https://schema.org"
    assert article["@type"] == "NewsArticle"
    assert article["headline"] == "Working Together"
    assert article["dateline"] == release.dateline
    assert datetime.fromisoformat(article["datePublished"]) == release.publish_at
    assert datetime.fromisoformat(article["dateModified"]) == corrected
    assert re.search(r"[+-]\d\d:\d\d$", article["datePublished"])
    assert article["inLanguage"] == "en"
    organisation_data = {
        "@type": "Organization",
        "name": "Canadian Association of Chiefs of Police",
        "url": "https://www.cacp.ca/",
        "logo": {
            "@type": "ImageObject",
            "url": "http://testserver/icons/icon-512.png",
            "width": 512,
            "height": 512,
        },
    }
    assert article["author"] == article["publisher"] == organisation_data
    assert client.get("/icons/icon-512.png")["Content-Type"] == "image/png"
    assert "correction" not in article
    assert article["mainEntityOfPage"] == {"@type": "WebPage", "@id": canonical}


def test_a_backgrounder_is_marked_up_as_background_news(client, organisation):
    """schema.org's BackgroundNewsArticle, as CONVENTIONS asks; other types stay NewsArticle."""
    backgrounder = make_release(release_type="backgrounder", headline="The history of the week")
    (article,) = read_head(client.get(backgrounder.get_absolute_url())).json_ld
    assert article["@type"] == "BackgroundNewsArticle"
    statement = make_release(release_type="statement", headline="A statement")
    (article,) = read_head(client.get(statement.get_absolute_url())).json_ld
    assert article["@type"] == "NewsArticle"


def test_french_release_json_ld_speaks_french(client, organisation):
    release = make_release(language="fr", headline="Travailler ensemble")
    (article,) = read_head(client.get(release.get_absolute_url())).json_ld
    assert article["inLanguage"] == "fr"
    assert article["author"]["name"] == "Association canadienne des chefs de police"
    assert article["dateline"].startswith("Ottawa (ON), le ")


def test_json_ld_cannot_be_broken_out_of_by_a_headline(client, organisation):
    headline = "</script><script>alert(1)</script> & <!-- x"
    release = make_release(headline=headline, summary="S")
    response = client.get(release.get_absolute_url())
    assert "<script>alert(1)" not in response.text
    (article,) = read_head(response).json_ld
    assert article["headline"] == headline


def test_campaign_page_carries_event_data_with_its_dates(client, organisation):
    campaign = make_campaign(
        name_en="National Police Week",
        edition=2021,
        theme_en="Working together",
        start_date=date(2021, 5, 9),
        end_date=date(2021, 5, 15),
        announce_now=True,  # public before any release (tests/test_announcing.py)
    )
    head = read_head(client.get(campaign.get_absolute_url()))
    (event,) = head.json_ld
    assert event["@type"] == "Event"
    assert event["name"] == "National Police Week 2021"
    assert (event["startDate"], event["endDate"]) == ("2021-05-09", "2021-05-15")
    assert event["organizer"]["name"] == organisation.name
    assert event["url"] == f"http://testserver{campaign.get_absolute_url()}"
    assert head.meta["description"] == ["Working together"]


def test_other_pages_have_sensible_defaults(client, organisation):
    for _ in range(21):
        make_release()
    head = read_head(client.get("/en/releases/?page=2&utm_source=x"))
    canonical = [link["href"] for link in head.links if link["rel"] == "canonical"]
    assert canonical == ["http://testserver/en/releases/?page=2"]
    assert head.meta["og:type"] == ["website"]
    assert head.meta["description"] == [organisation.tagline]
    assert head.json_ld == []


FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/feed+json"}


def feed_links(response):
    return {
        link["type"]: link["href"]
        for link in read_head(response).links
        if link["rel"] == "alternate" and link.get("type") in FEED_TYPES
    }


@pytest.mark.parametrize(
    "path", ["/en/", "/en/releases/", "/en/releases/2021/", "/fr/", "/fr/communiques/"]
)
def test_pages_that_list_releases_advertise_the_site_feeds_and_a_subscribe_link(
    client, organisation, path, now
):
    make_release(language=path[1:3], publish_at=datetime(2021, 5, 9, 12, tzinfo=now.tzinfo))
    response = client.get(path)
    lang = path[1:3]
    feeds = {"en": "/en/feeds/releases", "fr": "/fr/fils/communiques"}[lang]
    assert feed_links(response) == {
        "application/rss+xml": f"http://testserver{feeds}.rss",
        "application/atom+xml": f"http://testserver{feeds}.atom",
        "application/feed+json": f"http://testserver{feeds}.json",
    }
    assert 'id="subscribe-heading"' in response.text
    assert f'href="{feeds}.atom"' in response.text


def test_campaign_and_topic_pages_advertise_their_own_feeds_first(client, organisation):
    make_campaign(slug="police-week", announce_now=True)
    make_topic(slug="safety", announce_now=True)
    for page, feed in (
        ("/en/campaigns/police-week/", "/en/feeds/campaigns/police-week"),
        ("/en/topics/safety/", "/en/feeds/topics/safety"),
    ):
        response = client.get(page)
        hrefs = [
            link["href"]
            for link in read_head(response).links
            if link.get("type") == "application/atom+xml"
        ]
        assert hrefs == [
            f"http://testserver{feed}.atom",
            "http://testserver/en/feeds/releases.atom",
        ]
        assert f'href="{feed}.rss"' in response.text
        for fmt in ("rss", "atom", "json"):
            assert client.get(f"{feed}.{fmt}").status_code == 200


@pytest.fixture
def wire_release(organisation):
    organisation.end_mark = "-30-"
    organisation.save()
    release = make_release(
        headline="Working Together",
        subheadline="A week of events",
        body="<p>Lead paragraph.</p><ul><li>One</li><li>Two &amp; three</li></ul><p>Last.</p>",
    )
    release.media_contacts.add(
        make_contact(name="Alex Media", phone="613-555-0100", email="alex@example.org")
    )
    person = make_spokesperson(name="Bryan Larkin")
    make_quote(release, spokesperson=person, text="We are listening.", position=1)
    return release


def text_url(release):
    return release.get_absolute_url().rstrip("/") + ".txt"


def test_plain_text_version_is_in_wire_format(client, wire_release, organisation):
    response = client.get(text_url(wire_release))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.text
    order = [
        "FOR IMMEDIATE RELEASE",
        "Working Together\nA week of events",
        f"{wire_release.dateline} – Lead paragraph.",
        "“We are listening,” said Chief Bryan Larkin, President of the Test Association.",
        "- One\n- Two & three",
        "Last.",
        "-30-",
        "For more information, or to arrange an interview, please contact:",
        "Alex Media\nMedia relations\n613-555-0100\nalex@example.org",
        f"About {organisation.name}\n{organisation.boilerplate}",
        f"http://testserver{wire_release.get_absolute_url()}",
    ]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    assert "<" not in text
    assert (
        response["Link"] == f'<http://testserver{wire_release.get_absolute_url()}>; rel="canonical"'
    )


def test_release_page_links_to_its_plain_text_version(client, wire_release):
    assert f'href="{text_url(wire_release)}"' in client.get(wire_release.get_absolute_url()).text


def test_plain_text_version_of_a_french_release_uses_french_conventions(client, organisation):
    release = make_release(language="fr", headline="Travailler ensemble", body="<p>Début.</p>")
    make_quote(release, text="Nous écoutons.", attribution="Chef Untel")
    text = client.get(text_url(release)).text
    assert f"{release.dateline} – Début." in text
    assert "«\xa0Nous écoutons\xa0», a déclaré Chef Untel." in text
    assert "À propos de l’Association canadienne des chefs de police" in text.replace("'", "’")


def test_plain_text_version_has_the_same_visibility_as_the_page(client, organisation, now):
    draft = make_release(published=False, slug="draft")
    scheduled = make_release(slug="scheduled", publish_at=now + timedelta(hours=1))
    for release in (draft, scheduled):
        release.publication_date = release.publication_date or now.date()
        assert client.get(text_url(release)).status_code == 404
    withdrawn = make_release()
    Release.objects.filter(pk=withdrawn.pk).update(
        status=Status.WITHDRAWN, withdrawn_reason="Sent in error."
    )
    text = client.get(text_url(withdrawn)).text
    assert text.startswith("This release has been withdrawn.\n\nSent in error.")


# The lead image in page metadata


def _fetched_image(client, url):
    """An absolute image address of the test server, fetched and decoded by Pillow."""
    assert url.startswith("http://testserver/")
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200
    return response["Content-Type"], Image.open(io.BytesIO(b"".join(response.streaming_content)))


def test_a_release_with_a_lead_image_shares_its_social_card_in_opengraph_twitter_and_json_ld(
    client, organisation
):
    release = make_release(headline="Working Together")
    store_image(
        ReleaseImage, release=release, data=jpeg_bytes(photo(900, 600)), alt_text="Officers talk"
    )
    store_image(ReleaseImage, release=release, position=1, alt_text="A second photo")
    head = read_head(client.get(release.get_absolute_url()))
    (url,) = head.meta["og:image"]
    assert head.meta["og:image:alt"] == ["Officers talk"]
    assert head.meta["og:image:width"] == ["1200"] and head.meta["og:image:height"] == ["630"]
    assert head.meta["og:image:type"] == ["image/jpeg"]
    assert head.meta["twitter:card"] == ["summary_large_image"]
    assert head.meta["twitter:image"] == [url]
    assert head.meta["twitter:image:alt"] == ["Officers talk"]
    (article,) = head.json_ld
    assert article["image"] == [
        {
            "@type": "ImageObject",
            "url": url,
            "width": 1200,
            "height": 630,
            "caption": "Officers talk",
        }
    ]
    content_type, card = _fetched_image(client, url)
    assert content_type == "image/jpeg" and card.format == "JPEG" and card.size == (1200, 630)


def test_a_release_without_an_image_describes_none_in_its_structured_data(client, organisation):
    """Its link preview shows the organisation's sharing image or the site's icon
    (tests/test_sharing_image.py); the article's structured data claims no image of it."""
    release = make_release()
    head = read_head(client.get(release.get_absolute_url()))
    assert head.meta["og:image"] == ["http://testserver/icons/icon-512.png"]
    (article,) = head.json_ld
    assert "image" not in article


def alternates_of(head) -> dict:
    return {link["hreflang"]: link["href"] for link in head.links if link.get("hreflang")}


def test_a_filtered_list_names_the_whole_list_as_canonical_and_in_every_language(client):
    """Its canonical and its hreflang agree (hreflang must name canonical pages), and page 2
    of a filtered list is not page 2 of the whole list."""
    for _ in range(21):
        make_release(release_type="statement")
    head = read_head(client.get("/en/releases/?type=statement&page=2&utm_source=x"))
    canonical = [link["href"] for link in head.links if link["rel"] == "canonical"]
    assert canonical == ["http://testserver/en/releases/"] == head.meta["og:url"]
    assert alternates_of(head) == {
        "en": "http://testserver/en/releases/",
        "fr": "http://testserver/fr/communiques/",
        "x-default": "http://testserver/en/releases/",
    }
    # The reader's switch to French keeps the reader's filter.
    response = client.get("/en/releases/?type=statement&page=2")
    assert '<a href="/fr/communiques/?type=statement" hreflang="fr"' in response.text


def test_an_unfiltered_lists_page_keeps_its_number_and_names_no_alternates_beyond_the_first(
    client,
):
    """hreflang must name the page itself among its versions; the French list's page 2 is not
    the English list's page 2, so a page beyond the first names none."""
    for _ in range(21):
        make_release()
    head = read_head(client.get("/en/releases/?page=2&utm_source=x"))
    canonical = [link["href"] for link in head.links if link["rel"] == "canonical"]
    assert canonical == ["http://testserver/en/releases/?page=2"]
    assert alternates_of(head) == {}
    first = alternates_of(read_head(client.get("/en/releases/?utm_source=x")))
    assert first["en"] == "http://testserver/en/releases/"  # the canonical page, no tracking


def test_a_corrected_releases_json_ld_carries_each_correction_and_the_page_dates_it(
    client, organisation, editor
):
    """CONVENTIONS: NewsArticle "with dateline, correction" (schema.org CorrectionComment)."""
    from releases.workflow import publishing

    release = make_release(headline="Working Together")
    release.body += "<p>The figure is 12, not 21.</p>"
    publishing.correct(release=release, by=editor, note="The number of officers was wrong.")
    (correction,) = release.corrections.all()
    response = client.get(release.get_absolute_url())
    (article,) = read_head(response).json_ld
    (said,) = article["correction"]
    assert said["@type"] == "CorrectionComment"
    assert said["text"] == "The number of officers was wrong."
    assert datetime.fromisoformat(said["datePublished"]) == correction.corrected_at
    stamp = re.search(r'<p class="correction">.*?<time datetime="([^"]+)"', response.text, re.S)
    assert stamp, "the page's note is not dated for machines"
    assert datetime.fromisoformat(stamp.group(1)) == correction.corrected_at.replace(microsecond=0)


def test_a_list_filtered_by_type_or_topic_advertises_its_feeds_before_the_sites(
    client, organisation
):
    """/en/feeds/types/media-advisory.rss existed, but nothing pointed to it."""
    topic = make_topic(slug="safety")
    make_release(release_type="media-advisory").topics.add(topic)
    response = client.get("/en/releases/?type=media-advisory&topic=safety")
    atom = [
        link["href"]
        for link in read_head(response).links
        if link["rel"] == "alternate" and link.get("type") == "application/atom+xml"
    ]
    assert atom == [
        "http://testserver/en/feeds/types/media-advisory.atom",
        "http://testserver/en/feeds/topics/safety.atom",
        "http://testserver/en/feeds/releases.atom",
    ]
    subscribe = re.search(r'<aside class="subscribe".*?</aside>', response.text, re.S).group(0)
    assert 'href="/en/feeds/types/media-advisory.atom"' in subscribe
    unfiltered = read_head(client.get("/en/releases/")).links
    assert [link["href"] for link in unfiltered if link.get("type") == "application/atom+xml"] == [
        "http://testserver/en/feeds/releases.atom"
    ]


def test_pages_without_a_subject_of_their_own_still_name_themselves_in_link_previews(
    client, organisation
):
    """og:title was the organisation's name on every one of them, with its tagline."""
    person = make_spokesperson(honorific="Chief", name="Bryan Larkin", title="President")
    release = make_release(publish_at=datetime(2021, 5, 9, 9).astimezone())
    make_quote(release=release, spokesperson=person)
    topic = make_topic(name_en="Road Safety", slug="road-safety")
    release.topics.add(topic)
    expected = {
        person.get_absolute_url(): ("Chief Bryan Larkin", person.current_attribution("en")),
        topic.get_absolute_url(): ("Road Safety", "Releases on Road Safety"),
        "/en/releases/": ("Releases", organisation.tagline),
        "/en/releases/2021/": ("Releases of 2021", organisation.tagline),
        "/en/releases/2021/05/": ("Releases of May 2021", organisation.tagline),
    }
    for path, (title, description) in expected.items():
        head = read_head(client.get(path))
        assert head.meta["og:title"] == head.meta["twitter:title"] == [title], path
        assert head.meta["og:description"] == head.meta["description"] == [description], path


def test_the_home_page_describes_the_organisation_for_search_engines(client, organisation):
    (about,) = read_head(client.get("/en/")).json_ld
    assert about["@type"] == "Organization"
    assert about["name"] == organisation.name and about["url"] == "https://www.cacp.ca/"
    assert about["logo"]["url"] == "http://testserver/icons/icon-512.png"


def test_a_release_names_its_locale_and_its_public_twins_only(client, organisation):
    """og:locale is the page's language as written in Canada (the newsroom's zone is
    Canada's); og:locale:alternate names the other language only once a twin is public."""
    english = make_release(headline="Working Together")
    head = read_head(client.get(english.get_absolute_url()))
    assert head.meta["og:locale"] == ["en_CA"]
    assert "og:locale:alternate" not in head.meta
    french = make_release(
        language="fr",
        headline="Travailler ensemble",
        translation_group=english.translation_group,
        published=False,
    )
    head = read_head(client.get(english.get_absolute_url()))
    assert "og:locale:alternate" not in head.meta  # a draft twin is no version of the page
    french.delete()
    french = make_release(
        language="fr", headline="Travailler ensemble", translation_group=english.translation_group
    )
    head = read_head(client.get(english.get_absolute_url()))
    assert head.meta["og:locale"] == ["en_CA"]
    assert head.meta["og:locale:alternate"] == ["fr_CA"]
    head = read_head(client.get(french.get_absolute_url()))
    assert head.meta["og:locale"] == ["fr_CA"]
    assert head.meta["og:locale:alternate"] == ["en_CA"]


def test_list_pages_name_both_locales(client, organisation):
    for path, locale, other in (
        ("/en/", "en_CA", "fr_CA"),
        ("/en/releases/", "en_CA", "fr_CA"),
        ("/fr/communiques/", "fr_CA", "en_CA"),
    ):
        head = read_head(client.get(path))
        assert head.meta["og:locale"] == [locale], path
        assert head.meta["og:locale:alternate"] == [other], path


def test_a_newsroom_outside_canada_does_not_claim_a_canadian_locale(client, organisation, settings):
    settings.TIME_ZONE = "Europe/Paris"
    head = read_head(client.get("/fr/communiques/"))
    assert head.meta["og:locale"] == ["fr_FR"]
    assert head.meta["og:locale:alternate"] == ["en_US"]
