"""A feed entry carries what the release's page carries beyond its body: a media advisory's
event (when, in the feed's language and the page's time zones; where; the livestream; whether it
is cancelled or moved) and the release's documents, read as a feed reader reads them."""

import json
import re
from datetime import UTC, datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import feedparser
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from formats.models import AdvisoryEvent
from releases.models import ReleaseDocument, ReleaseImage
from releases.workflow import publishing
from tests.factories import make_advisory, make_contact, make_organisation, make_release
from tests.imagefiles import docx_bytes, jpeg_bytes, pdf_bytes, photo, store_document, store_image

pytestmark = pytest.mark.django_db

SITE_FEEDS = ["/en/feeds/releases.rss", "/en/feeds/releases.atom", "/en/feeds/releases.json"]
FRENCH_FEEDS = [
    "/fr/fils/communiques.rss",
    "/fr/fils/communiques.atom",
    "/fr/fils/communiques.json",
]
VANCOUVER = ZoneInfo("America/Vancouver")
TORONTO = ZoneInfo("America/Toronto")
PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def organisation():
    return make_organisation()


def read(client, url) -> list[dict]:
    """Each entry as a reader gets it: its full text, and its enclosures (JSON Feed: its
    attachments)."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    if url.endswith(".json"):
        return [
            {"content": item["content_html"], "attachments": item.get("attachments", [])}
            for item in json.loads(response.content)["items"]
        ]
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return [
        {
            "content": entry.content[0].value,
            "enclosures": [link for link in entry.get("links", []) if link.rel == "enclosure"],
        }
        for entry in parsed.entries
    ]


def content_of(client, url) -> str:
    """The one entry's full text (feed readers' sanitisers write ``<br />``)."""
    (entry,) = read(client, url)
    return entry["content"].replace("<br />", "<br>")


def spaced(text: str) -> str:
    """No-break and narrow no-break spaces read as spaces (French typography)."""
    return re.sub(r"[\u00a0\u202f]", " ", text)


def page_times(client, release) -> list[str]:
    """The event's times as the release's page prints them."""
    html = client.get(release.get_absolute_url()).text
    times = re.search(r'<ul class="advisory-event__times">(.*?)</ul>', html, re.S).group(1)
    return [unescape(text) for text in re.findall(r"<time [^>]*>([^<]+)</time>", times)]


def fetch(client, url):
    assert url.startswith("http://testserver/"), url
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200, url
    return response, b"".join(response.streaming_content)


# The event of a media advisory


@pytest.fixture
def advisory():
    starts = datetime(2030, 6, 4, 11, 0, tzinfo=VANCOUVER)
    return make_advisory(
        headline="Chiefs brief the press",
        event={
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=1),
            "time_zone": "America/Vancouver",
            "online_url": "https://live.example.org/briefing?a=1&b=2",
            "accreditation_note": "Bring press credentials.",
            "accreditation_contact": make_contact(name="Robin Desk", email="desk@example.org"),
        },
    )


@pytest.mark.parametrize("url", SITE_FEEDS)
def test_an_advisorys_entry_says_when_and_where_its_event_is_as_the_page_does(
    client, advisory, url
):
    content = content_of(client, url)
    assert "<h2>Event</h2>" in content
    # In the place's zone, the newsroom's and UTC, worded as the page words them.
    expected = [
        "Tuesday, June 4, 2030, 11 a.m. – noon PDT",
        "Tuesday, June 4, 2030, 2 p.m. – 3 p.m. EDT",
        "Tuesday, June 4, 2030, 6 p.m. – 7 p.m. UTC",
    ]
    assert page_times(client, advisory) == expected
    assert all(f"<li>{span}</li>" in content for span in expected), content
    assert "National Press Theatre<br>150 Wellington St, Ottawa, ON" in content
    assert (
        'Online: <a href="https://live.example.org/briefing?a=1&amp;b=2">'
        "https://live.example.org/briefing?a=1&amp;b=2</a>"
    ) in content
    assert "Bring press credentials." in content and "Robin Desk" in content
    assert "mailto:desk@example.org" in content
    # The event comes before the body, as on the page; its calendar file is a link away.
    assert content.index("<h2>Event</h2>") < content.index(advisory.dateline)
    ics = re.search(r'<a href="([^"]+)"[^>]*>Add to calendar</a>', content).group(1)
    response = client.get(ics.removeprefix("http://testserver"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")


@pytest.mark.parametrize("url", FRENCH_FEEDS)
def test_a_french_entry_gives_its_events_times_in_french(client, url):
    starts = datetime(2030, 6, 4, 14, 0, tzinfo=TORONTO)
    advisory = make_advisory(language="fr", dateline_region="Ontario", event={"starts_at": starts})
    content = spaced(content_of(client, url))
    assert "<h2>Événement</h2>" in content and "<h3>Quand</h3>" in content
    assert "mardi 4 juin 2030, 14 h 00 – 15 h 00 HAE" in content
    assert "mardi 4 juin 2030, 18 h 00 – 19 h 00 UTC" in content
    assert [spaced(span) for span in page_times(client, advisory)] == [
        "mardi 4 juin 2030, 14 h 00 – 15 h 00 HAE",
        "mardi 4 juin 2030, 18 h 00 – 19 h 00 UTC",
    ]
    assert "Ajouter à l’agenda" in content


@pytest.mark.parametrize("url", SITE_FEEDS)
def test_a_cancelled_event_says_so_and_offers_no_calendar(client, url):
    make_advisory(event={"status": AdvisoryEvent.Status.CANCELLED})
    content = content_of(client, url)
    assert "<strong>This event is cancelled.</strong>" in content
    assert "Add to calendar" not in content


def test_a_cancelled_event_says_so_in_french(client):
    make_advisory(language="fr", event={"status": AdvisoryEvent.Status.CANCELLED})
    assert "Cet événement est annulé." in content_of(client, "/fr/fils/communiques.atom")


def test_a_moved_event_says_its_time_or_place_has_changed(client, advisory):
    publishing.correct(release=advisory, by=None, note="The briefing starts an hour later.")
    event = advisory.advisory_event
    event.starts_at += timedelta(hours=1)
    event.ends_at += timedelta(hours=1)
    event.save()
    content = content_of(client, "/en/feeds/releases.atom")
    assert "The time or place of this event has changed." in content
    assert "noon – 1 p.m. PDT" in content


def test_an_event_online_only_has_no_where(client):
    make_advisory(event={"venue": "", "address": "", "online_url": "https://live.example.org/only"})
    content = content_of(client, "/en/feeds/releases.atom")
    assert "<h3>Where</h3>" not in content
    assert 'Online: <a href="https://live.example.org/only">' in content


@pytest.mark.parametrize("url", SITE_FEEDS)
def test_other_releases_have_no_event(client, url):
    make_release(headline="Just news")
    content = content_of(client, url)
    assert "<h2>Event</h2>" not in content and "Add to calendar" not in content


# The documents of a release


@pytest.fixture
def documented_release():
    release = make_release(headline="With documents")
    fact_sheet = store_document(release, title="Fact sheet & figures", data=pdf_bytes())
    backgrounder = store_document(
        release, title="Backgrounder", position=1, name="background.docx", data=docx_bytes()
    )
    return release, [fact_sheet, backgrounder]


def page_documents(client, release) -> str:
    html = client.get(release.get_absolute_url()).text
    return re.search(r'<ul class="document-list">(.*?)</ul>', html, re.S).group(1)


@pytest.mark.parametrize("url", SITE_FEEDS)
def test_an_entry_lists_its_documents_with_their_kind_and_size_as_the_page_does(
    client, documented_release, url
):
    release, documents = documented_release
    content = content_of(client, url)
    assert "<h2>Documents</h2>" in content
    listed = re.findall(r'<li><a href="([^"]+)">([^<]+)</a> \((.+?)\)</li>', content)
    on_page = re.findall(
        r'<a href="([^"]+)">([^<]+)</a> <span[^>]*>\((.+?)\)</span>',
        page_documents(client, release),
    )
    assert listed == [(f"http://testserver{href}", title, meta) for href, title, meta in on_page]
    assert [title for _href, title, _meta in listed] == ["Fact sheet &amp; figures", "Backgrounder"]
    assert listed[0][2].startswith("PDF, ") and listed[1][2].startswith("Word (DOCX), ")
    response, data = fetch(client, listed[0][0])
    assert response["Content-Type"] == PDF_TYPE and data.startswith(b"%PDF-")
    assert len(data) == documents[0].size
    # After the end mark, before the media contacts, as on the page.
    assert content.index("-30-") < content.index("<h2>Documents</h2>")


def test_a_french_entry_gives_its_documents_sizes_in_french(client):
    release = make_release(language="fr", headline="Avec un document")
    store_document(release, title="Fiche")  # 1.8 KiB
    content = content_of(client, "/fr/fils/communiques.atom")
    assert "<h2>Documents</h2>" in content
    # The French page's own wording: a decimal comma and a French unit.
    assert "(PDF, 1,8\u00a0Kio)" in page_documents(client, release)
    assert "Fiche</a> (PDF, 1,8\u00a0Kio)</li>" in content


def test_json_feed_attaches_the_documents_after_the_lead_image(client, documented_release):
    release, documents = documented_release
    store_image(ReleaseImage, release=release, data=jpeg_bytes(photo(300, 200)))
    (entry,) = read(client, "/en/feeds/releases.json")
    image, *attached = entry["attachments"]
    assert image["mime_type"] == "image/jpeg"
    assert [(a["title"], a["mime_type"], a["size_in_bytes"]) for a in attached] == [
        ("Fact sheet & figures", PDF_TYPE, len(pdf_bytes())),
        ("Backgrounder", DOCX_TYPE, len(docx_bytes())),
    ]
    for attachment in attached:
        response, data = fetch(client, attachment["url"])
        assert response["Content-Type"] == attachment["mime_type"]
        assert len(data) == attachment["size_in_bytes"]


def test_json_feed_attaches_documents_of_a_release_without_images(client, documented_release):
    (entry,) = read(client, "/en/feeds/releases.json")
    assert [a["mime_type"] for a in entry["attachments"]] == [PDF_TYPE, DOCX_TYPE]


def test_atom_links_the_documents_as_enclosures_as_it_links_the_lead_image(
    client, documented_release
):
    release, _documents = documented_release
    store_image(ReleaseImage, release=release, data=jpeg_bytes(photo(300, 200)))
    (entry,) = read(client, "/en/feeds/releases.atom")
    image, *documents = entry["enclosures"]
    assert image.type == "image/jpeg"
    assert [(link.title, link.type, int(link.length)) for link in documents] == [
        ("Fact sheet & figures", PDF_TYPE, len(pdf_bytes())),
        ("Backgrounder", DOCX_TYPE, len(docx_bytes())),
    ]
    response, data = fetch(client, documents[0].href)
    assert response["Content-Type"] == PDF_TYPE and len(data) == int(documents[0].length)


def test_rss_keeps_its_one_enclosure_for_the_lead_image(client, documented_release):
    """RSS allows one enclosure per item: the lead image keeps it, the documents are listed
    in the full text."""
    release, _documents = documented_release
    store_image(ReleaseImage, release=release, data=jpeg_bytes(photo(300, 200)))
    (entry,) = read(client, "/en/feeds/releases.rss")
    assert [link.type for link in entry["enclosures"]] == ["image/jpeg"]
    assert "Fact sheet &amp; figures</a> (PDF, " in entry["content"]


@pytest.mark.parametrize("url", SITE_FEEDS)
def test_releases_without_documents_list_none(client, url):
    make_release(headline="Nothing attached")
    content = content_of(client, url)
    assert "<h2>Documents</h2>" not in content


# What it costs


@pytest.mark.parametrize("url", SITE_FEEDS)
def test_feed_queries_do_not_grow_with_advisories_events_and_documents(
    client, url, now, django_assert_max_num_queries
):
    contact = make_contact()

    def add_advisory(n):
        advisory = make_advisory(
            headline=f"Advisory {n}",
            event={"starts_at": now + timedelta(days=n + 1), "accreditation_contact": contact},
        )
        store_document(advisory, title=f"Agenda {n}")
        store_document(advisory, title=f"Map {n}", position=1)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    add_advisory(0)
    with_one = queries()
    for n in range(1, 12):
        add_advisory(n)
    with django_assert_max_num_queries(with_one):
        entries = read(client, url)
    assert len(entries) == 12
    assert all("<h2>Event</h2>" in e["content"] and "Agenda" in e["content"] for e in entries)
    # The cache's versions and the go-lives, the organisation, the releases, what they carry,
    # their events and their documents.
    assert with_one <= 7


def test_every_entry_has_its_own_event_and_documents(client, now):
    first = make_advisory(
        headline="First", event={"venue": "Hall A"}, publish_at=now - timedelta(hours=2)
    )
    store_document(first, title="First agenda")
    make_release(headline="Between", publish_at=now - timedelta(hours=1))
    second = make_advisory(headline="Second", event={"venue": "Hall B"})
    store_document(second, title="Second agenda")
    by_headline = {}
    response = feedparser.parse(client.get("/en/feeds/releases.atom").content)
    for entry in response.entries:
        by_headline[entry.title] = entry.content[0].value
    assert "Hall A" in by_headline["First"] and "Hall B" not in by_headline["First"]
    assert "First agenda" in by_headline["First"] and "Second agenda" not in by_headline["First"]
    assert "Hall B" in by_headline["Second"] and "Second agenda" in by_headline["Second"]
    assert "Event" not in by_headline["Between"] and "agenda" not in by_headline["Between"]


def test_event_times_follow_the_site_time_zone_not_utc(client):
    """The newsroom's zone is the site's: the entry reads the event in it, as the page does."""
    starts = datetime(2030, 1, 15, 17, 0, tzinfo=UTC)
    advisory = make_advisory(event={"starts_at": starts, "ends_at": starts + timedelta(minutes=30)})
    content = content_of(client, "/en/feeds/releases.atom")
    spans = [
        "Tuesday, Jan. 15, 2030, noon – 12:30 p.m. EST",
        "Tuesday, Jan. 15, 2030, 5 p.m. – 5:30 p.m. UTC",
    ]
    assert page_times(client, advisory) == spans
    assert all(f"<li>{span}</li>" in content for span in spans)


@pytest.mark.parametrize("url", SITE_FEEDS)
def test_a_document_row_without_its_file_never_breaks_the_feed(client, url):
    """A row saved without an upload (a script, a half-done import) has no kind: the entry is
    still written, and nothing is attached that could not be fetched."""
    release = make_release(headline="Half imported")
    ReleaseDocument.objects.create(release=release, title="Missing file")
    (entry,) = read(client, url)
    assert entry.get("attachments", entry.get("enclosures")) == []


@pytest.mark.parametrize("url", SITE_FEEDS[1:])
def test_a_cancelled_or_moved_event_dates_its_entry_as_updated(client, url):
    """Feed readers spot a changed entry by its date: a briefing cancelled after it went out
    is dated by the cancellation, as its calendar event is (RSS dates only publication)."""
    advisory = make_advisory(headline="Briefing")  # published an hour ago
    publishing.correct(release=advisory, by=None, note="The briefing is cancelled.")
    event = advisory.advisory_event
    event.status = AdvisoryEvent.Status.CANCELLED
    event.save()
    event.refresh_from_db()
    response = client.get(url)
    if url.endswith(".json"):
        (item,) = json.loads(response.content)["items"]
        updated = datetime.fromisoformat(item["date_modified"])
    else:
        (entry,) = feedparser.parse(response.content).entries
        updated = datetime(*entry.updated_parsed[:6], tzinfo=UTC)
    assert abs(updated - event.changed_at) < timedelta(seconds=1)
    assert updated > advisory.publish_at + timedelta(minutes=30)


def test_advisories_without_their_event_yet_cost_no_more_than_news(client):
    """An advisory's event is read only when it has one: a feed of advisories whose events
    are still to be entered costs what a feed of news releases costs."""
    from releases.models import ReleaseType

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(SITE_FEEDS[1]).status_code == 200
        return len(captured)

    make_release(headline="News")
    news_only = queries()
    make_release(release_type=ReleaseType.MEDIA_ADVISORY, headline="Event to come")
    assert queries() == news_only


def titles_of(client, url) -> list[str]:
    response = client.get(url)
    if url.endswith(".json"):
        return [item["title"] for item in json.loads(response.content)["items"]]
    return [entry.title for entry in feedparser.parse(response.content).entries]


@pytest.mark.parametrize("url", [*SITE_FEEDS, *FRENCH_FEEDS])
def test_a_cancelled_events_entry_says_so_in_its_title(client, url):
    """A subscriber skims titles: “Media advisory: Briefing” read as if it were still on."""
    language = url[1:3]
    advisory = make_advisory(
        language=language,
        headline="Briefing",
        event={"status": AdvisoryEvent.Status.CANCELLED},
    )
    make_advisory(language=language, headline="Other briefing")
    said = {"en": "Event cancelled: Briefing", "fr": "Événement annulé\u00a0: Briefing"}
    assert sorted(titles_of(client, url)) == sorted([said[language], "Other briefing"])
    assert advisory.headline == "Briefing"


@pytest.mark.parametrize("url", [*SITE_FEEDS, *FRENCH_FEEDS])
def test_a_changed_events_entry_says_so_in_its_title(client, url):
    """Its entry comes back as updated: the title says why, as its card does."""
    language = url[1:3]
    make_advisory(
        language=language, headline="Briefing", event={"status": AdvisoryEvent.Status.CHANGED}
    )
    make_advisory(language=language, headline="Other briefing")
    said = {"en": "Event changed: Briefing", "fr": "Événement modifié\u00a0: Briefing"}
    assert sorted(titles_of(client, url)) == sorted([said[language], "Other briefing"])


@pytest.mark.parametrize("url", [*SITE_FEEDS, *FRENCH_FEEDS])
def test_an_entry_whose_event_was_removed_says_so_in_its_title(client, url):
    """The advisory no longer names an event: a reader skimming titles must not take it as
    still on, any more than a cancelled one."""
    language = url[1:3]
    advisory = make_advisory(language=language, headline="Briefing")
    make_advisory(language=language, headline="Other briefing")
    with transaction.atomic():
        publishing.correct(release=advisory, by=None, note="The briefing is off the agenda.")
        advisory.advisory_event.delete()
    said = {"en": "Event removed: Briefing", "fr": "Événement retiré\u00a0: Briefing"}
    assert sorted(titles_of(client, url)) == sorted([said[language], "Other briefing"])


@pytest.mark.parametrize("url", SITE_FEEDS[:1])
def test_a_later_correction_of_a_typo_leaves_the_event_removed_in_the_title(client, url):
    """The title says what the advisory's event is now (as a cancelled one's does), not what
    the latest correction was about."""
    advisory = make_advisory(headline="Briefing")
    with transaction.atomic():
        publishing.correct(release=advisory, by=None, note="The briefing is off the agenda.")
        advisory.advisory_event.delete()
    make_advisory(headline="Other briefing")
    publishing.correct(release=advisory, by=None, note="A typo.")
    assert sorted(titles_of(client, url)) == ["Event removed: Briefing", "Other briefing"]
