"""Rules several surfaces share, each decided in one place: whom a release names as media
contacts, what the newsroom calls itself, and where the organisation comes from."""

import json
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from releases.models import Organisation, ReleaseType, newsroom_name
from releases.syndication.feeds import feed_links
from releases.syndication.metadata import summary_paragraphs, summary_text
from releases.text.html import first_blocks, plain_text, text_line, text_start
from tests.factories import (
    make_campaign,
    make_contact,
    make_organisation,
    make_release,
    make_spokesperson,
    make_topic,
)

pytestmark = pytest.mark.django_db


def feed_item(client, release) -> dict:
    feed = json.loads(client.get("/en/feeds/releases.json").content)
    return next(item for item in feed["items"] if item["title"] == release.headline)


def text_version(client, release) -> str:
    return client.get(release.get_text_url()).text


@pytest.fixture
def organisation():
    organisation = make_organisation()
    organisation.default_media_contacts.add(make_contact(name="Default Desk"))
    return organisation


def test_a_release_without_contacts_names_the_defaults_on_its_page_feed_and_text(
    client, organisation
):
    release = make_release(headline="No contacts of its own")
    assert "Default Desk" in client.get(release.get_absolute_url()).text
    assert "Default Desk" in feed_item(client, release)["content_html"]
    assert "Default Desk" in text_version(client, release)


def test_a_release_with_its_own_contacts_names_only_them_everywhere(client, organisation):
    release = make_release(headline="Own contacts")
    release.media_contacts.add(make_contact(name="Own Person"))
    page = client.get(release.get_absolute_url()).text
    content = feed_item(client, release)["content_html"]
    text = text_version(client, release)
    for shown in (page, content, text):
        assert "Own Person" in shown
        assert "Default Desk" not in shown


def test_a_release_with_contacts_renders_before_any_organisation_exists(client):
    release = make_release(headline="Before the organisation")
    release.media_contacts.add(make_contact(name="Own Person"))
    response = client.get(release.get_absolute_url())
    assert response.status_code == 200
    assert "Own Person" in response.text


def test_media_contacts_shown_prefers_the_releases_own(organisation):
    own = make_contact(name="Own Person")
    release = make_release()
    assert [c.name for c in release.media_contacts_shown(organisation)] == ["Default Desk"]
    assert release.media_contacts_shown(None) == []
    release.media_contacts.add(own)
    assert release.media_contacts_shown(organisation) == [own]


def test_without_an_organisation_every_surface_calls_the_newsroom_newsroom(client):
    make_release(headline="Early release")
    page = client.get("/en/releases/").text
    assert '<span class="site-brand__name">Newsroom</span>' in page
    assert '<meta property="og:title" content="Newsroom">' in client.get("/en/").text
    assert json.loads(client.get("/en/feeds/releases.json").content)["title"] == (
        "Newsroom: All releases"
    )
    assert "<news:name>Newsroom</news:name>" in client.get("/sitemap-news.xml").text
    french = json.loads(client.get("/fr/fils/communiques.json").content)
    assert french["authors"][0]["name"] == newsroom_name(None) != ""


def test_the_newsroom_is_named_after_its_organisation(client, organisation):
    make_release(headline="A release")
    assert newsroom_name(organisation) == organisation.name
    feed = json.loads(client.get("/en/feeds/releases.json").content)
    assert feed["title"] == f"{organisation.name}: All releases"
    assert f"<news:name>{organisation.name}</news:name>" in client.get("/sitemap-news.xml").text


def test_the_organisation_is_read_once_then_kept_until_it_changes(
    organisation, django_assert_num_queries, django_assert_max_num_queries
):
    cache.clear()
    # The organisation, its contacts, the next go-live, and the cache generation's row (read
    # from the database when the cache is per process).
    with django_assert_max_num_queries(4):
        first = Organisation.current_cached()
    with CaptureQueriesContext(connection) as queries:
        again = Organisation.current_cached()
    # Kept: at most the cache generation's row is read again (on a per-process cache).
    assert not [q for q in queries if "releases_organisation" in q["sql"]]
    assert len(queries) <= 1
    assert again == first
    assert [c.name for c in again.default_media_contacts.all()] == ["Default Desk"]
    organisation.tagline_en = "A new tagline."
    organisation.save()
    assert Organisation.current_cached().tagline == "A new tagline."


# HTML as plain text: one set of rules for the wire text, summaries and feeds.


def test_text_line_drops_tags_decodes_entities_and_joins_white_space():
    assert text_line("<p>Safe &amp; <strong>sound</strong>\n  today</p>") == "Safe & sound today"


def test_plain_text_puts_one_block_per_paragraph():
    assert plain_text("<h2>Title</h2><p>One &lt;two&gt;</p>") == "Title\n\nOne <two>"


def test_text_start_keeps_a_space_between_blocks_and_reads_only_the_start():
    assert text_start("<p>End.</p><p>Next</p><ul><li>a</li><li>b</li></ul>", 50) == (
        "End. Next a b"
    )
    assert len(text_start("<p>" + "word " * 1000 + "</p>", 10)) < 200


def test_first_blocks_reads_whole_blocks_of_the_start_only_and_more_when_it_must():
    body = "<p>One.</p><p>Two <a href='/x'>links</a>.</p>" + "<p>More words.</p>" * 100
    assert first_blocks(body, 5)[:2] == ["One.", "Two links."]
    assert len(first_blocks(body, 5)) < 20  # the start only, and no tag read in half
    long_link = f"<a href='/{'x' * 500}'>word</a> "
    long = f"<p>{long_link * 20}</p><p>Next.</p>"
    assert first_blocks(long, 50) == [" ".join(["word"] * 20), "Next."]


def test_a_summary_keeps_its_paragraphs_apart_and_cuts_after_a_whole_word():
    release = make_release(summary="", body="<p>One two.</p><p>Three four five.</p>")
    assert summary_paragraphs(release, 100) == ["One two.", "Three four five."]
    assert summary_paragraphs(release, 17) == ["One two.", "Three…"]
    # Cut where the second paragraph would start: the first ends with the “…”.
    assert summary_paragraphs(release, 12) == ["One two.…"]
    release.summary = "The editor's own.\n\n  Second  one."
    assert summary_paragraphs(release, 100) == ["The editor’s own.", "Second one."]
    assert summary_text(release) == "The editor’s own. Second one."


def test_summaries_wire_text_and_feeds_read_the_body_alike(client, organisation):
    release = make_release(
        headline="Alike", summary="", body="<p>Lead &amp; more.</p><ul><li>One</li></ul>"
    )
    assert summary_text(release) == "Lead & more. One"
    assert feed_item(client, release)["summary"] == "Lead & more. One"
    assert "- One" in text_version(client, release)


# Addresses are promises: the public URL table, written out once so that no refactoring of
# releases/public/urls.py can move one.

PUBLIC_ADDRESSES = {
    "home": "",
    "list": "releases/",
    "archive-year": r"^releases/(?P<year>[0-9]{4})/$",
    "archive-month": r"^releases/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$",
    "detail": (
        r"^releases/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<day>[0-9]{2})/(?P<slug>[-\w]+)/$"
    ),
    "preview": "preview/<int:pk>/",
    "preview-link": "preview/link/<str:token>/",
    "campaign-list": "campaigns/",
    "campaign-detail": "campaigns/<slug:slug>/",
    "spokesperson-list": "spokespeople/",
    "spokesperson-detail": "spokespeople/<slug:slug>/",
    "topic-list": "topics/",
    "topic": "topics/<slug:slug>/",
    "detail-text": (
        r"^releases/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<day>[0-9]{2})/(?P<slug>[-\w]+)\.txt$"
    ),
    "feed": r"^feeds/releases\.(?P<feed_format>rss|atom|json)$",
    "campaign-feed": r"^feeds/campaigns/(?P<slug>[-\w]+)\.(?P<feed_format>rss|atom|json)$",
    "topic-feed": r"^feeds/topics/(?P<slug>[-\w]+)\.(?P<feed_format>rss|atom|json)$",
    "type-feed": r"^feeds/types/(?P<release_type>[-\w]+)\.(?P<feed_format>rss|atom|json)$",
    "search": "search/",
    # English words under another language's prefix answer 301 to that language's words.
    "english-worded": "^(?:releases|campaigns|spokespeople|topics|feeds|search)/",
}


def test_every_public_address_keeps_its_pattern_and_name():
    from releases.public import urls

    assert {route.name: str(route.pattern) for route in urls.urlpatterns} == PUBLIC_ADDRESSES


@pytest.mark.parametrize(
    "subject, title, path",
    [
        (None, "All releases", "/en/feeds/releases.rss"),
        ("campaign", "Police Week 2021", "/en/feeds/campaigns/police-week.rss"),
        ("topic", "Safety", "/en/feeds/topics/safety.rss"),
        ("type", "Statement", "/en/feeds/types/statement.rss"),
    ],
)
def test_each_subject_advertises_its_own_feeds(subject, title, path):
    subjects = {
        None: None,
        "campaign": make_campaign(name_en="Police Week", edition=2021, slug="police-week"),
        "topic": make_topic(name_en="Safety", slug="safety"),
        "type": ReleaseType.STATEMENT,
    }
    links = feed_links(subjects[subject])
    assert links["title"] == title
    assert [link["url"] for link in links["formats"]] == [
        path,
        path.replace(".rss", ".atom"),
        path.replace(".rss", ".json"),
    ]


def test_a_feed_lists_only_its_subjects_releases(client, organisation):
    topic = make_topic(name_en="Safety", slug="safety")
    tagged = make_release(headline="Tagged")
    tagged.topics.add(topic)
    make_release(headline="Untagged")
    statement = make_release(headline="A statement", release_type=ReleaseType.STATEMENT)
    topic_feed = json.loads(client.get("/en/feeds/topics/safety.json").content)
    assert [item["title"] for item in topic_feed["items"]] == ["Tagged"]
    assert topic_feed["title"] == f"{organisation.name}: Safety"
    type_feed = json.loads(client.get("/en/feeds/types/statement.json").content)
    assert [item["title"] for item in type_feed["items"]] == [statement.headline]
    assert client.get("/en/feeds/types/nonsense.json").status_code == 404
    assert client.get("/en/feeds/topics/nonsense.json").status_code == 404


# The campaign and spokesperson directories share one view and one page skeleton.


def test_directories_list_their_cards_in_order_fifty_a_page(client):
    for n in range(51):
        make_spokesperson(name=f"Person {n:02d}", slug=f"person-{n:02d}", announce_now=True)
    make_campaign(
        name_en="Older",
        edition=2020,
        start_date=date(2020, 5, 1),
        end_date=date(2020, 5, 7),
        announce_now=True,
    )
    make_campaign(
        name_en="Newer",
        edition=2024,
        start_date=date(2024, 5, 1),
        end_date=date(2024, 5, 7),
        announce_now=True,
    )
    campaigns = client.get("/en/campaigns/")
    assert [str(c) for c in campaigns.context["campaigns"]] == ["Newer 2024", "Older 2020"]
    assert campaigns.text.count('<li class="campaign-card">') == 2
    first = client.get("/en/spokespeople/")
    assert first.text.count('<li class="person-card">') == 50
    assert first.context["spokespeople"][0].name == "Person 00"
    second = client.get("/en/spokespeople/", {"page": 2})
    assert [p.name for p in second.context["spokespeople"]] == ["Person 50"]


def test_empty_directories_say_so(client):
    assert '<p class="empty">No campaigns yet.</p>' in client.get("/en/campaigns/").text
    assert '<p class="empty">No spokespeople yet.</p>' in client.get("/en/spokespeople/").text
    assert "<h1>Porte-parole</h1>" in client.get("/fr/porte-parole/").text
