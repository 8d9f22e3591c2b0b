"""Constant work per page: a fixed, small number of SQL queries whatever the number of releases,
quotes or topics, and deep pages that cost what page 1 costs."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Prefetch
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from pagecache import caching
from releases.models import Release
from releases.public.context_processors import newsroom
from releases.public.relations import QUOTES_WITH_SPOKESPEOPLE, prefetch_lists
from releases.workflow import publishing
from tests.factories import (
    make_advisory,
    make_campaign,
    make_contact,
    make_organisation,
    make_quote,
    make_release,
    make_spokesperson,
    make_topic,
)

pytestmark = pytest.mark.django_db
# With the page cache off and a per-process cache, the versions of a page's own scope (a
# campaign's, a translation group's) are one more read than the site-wide ones.
QUERY_BUDGET = 7


def build_newsroom(*, releases: int, quotes: int, topics: int) -> dict[str, str]:
    """A newsroom with one release carrying ``quotes`` quotes and ``topics`` topics among
    ``releases`` others; returns every public page kind by name."""
    make_organisation()
    campaign = make_campaign(name_en="Budget Week")
    person = make_spokesperson()
    release = make_release(headline="The measured release", campaign=campaign)
    release.media_contacts.add(make_contact())
    for index in range(quotes):
        make_quote(release, spokesperson=person, position=index + 1)
    release.topics.add(*[make_topic() for _ in range(topics)])
    if releases:
        call_command("seed_releases", count=releases, verbosity=0)
    return public_pages(release)


def queries_per_page(client, settings, pages) -> dict[str, int]:
    """Queries each page runs with the page cache off and its own counts not yet cached; the
    site-wide values every page shares (organisation, next go-live) are warm, as they are on
    a live site after its first request."""
    settings.PAGE_CACHE_SECONDS = 0
    caching.next_go_live()
    newsroom(RequestFactory().get("/"))
    counted = {}
    for name, path in pages.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, name
        counted[name] = len(queries)
    return counted


@pytest.mark.parametrize("quotes, topics", [(1, 1), (12, 12)])
def test_every_public_page_stays_within_the_query_budget(client, settings, quotes, topics):
    pages = build_newsroom(releases=0, quotes=quotes, topics=topics)
    make_release_batch(45)
    counted = queries_per_page(client, settings, pages)
    assert max(counted.values()) <= QUERY_BUDGET, counted
    assert min(counted.values()) > 0, counted


def test_french_slugs_cost_a_campaigns_or_topics_pages_and_feeds_nothing_more(client, settings):
    """The page and feed at a French slug read what the English ones read (the slugs are
    columns of the row already read: the switcher and hreflang need no query)."""
    build_newsroom(releases=0, quotes=1, topics=1)
    release = Release.objects.get(headline="The measured release")
    campaign, topic = release.campaign, release.topics.get()
    campaign.slug_fr, topic.slug_fr = "semaine-du-budget", "sujet-budgetaire"
    campaign.save()
    topic.save()
    make_release(headline="La mesure", language="fr", campaign=campaign).topics.add(topic)
    # In the order of ``public_pages``: what a home page and list read first is kept.
    pages = {
        "home": ("", "/en/", "/fr/"),
        "list": ("", "/en/releases/", "/fr/communiques/"),
        "campaign": (campaign.slug_en, "/en/campaigns/{}/", "/fr/campagnes/semaine-du-budget/"),
        "topic": (topic.slug_en, "/en/topics/{}/", "/fr/sujets/sujet-budgetaire/"),
        "campaign feed": (
            campaign.slug_en,
            "/en/feeds/campaigns/{}.atom",
            "/fr/fils/campagnes/semaine-du-budget.atom",
        ),
        "topic feed": (
            topic.slug_en,
            "/en/feeds/topics/{}.json",
            "/fr/fils/sujets/sujet-budgetaire.json",
        ),
    }
    english = queries_per_page(
        client, settings, {name: path.format(slug) for name, (slug, path, _) in pages.items()}
    )
    french = queries_per_page(client, settings, {name: path for name, (*_, path) in pages.items()})
    assert all(french[name] <= english[name] for name in pages), (english, french)
    assert max(french.values()) <= QUERY_BUDGET, french


@pytest.mark.postgres
def test_query_counts_do_not_grow_with_the_number_of_releases(client, settings):
    small = queries_per_page(client, settings, build_newsroom(releases=200, quotes=1, topics=1))
    call_command("seed_releases", count=1500, verbosity=0)
    caching.invalidate()
    large = queries_per_page(
        client, settings, public_pages(Release.objects.get(headline="The measured release"))
    )
    assert all(large[page] <= small[page] for page in small), (small, large)
    assert max(large.values()) <= QUERY_BUDGET, large


def public_pages(release) -> dict[str, str]:
    """Every public page kind, around ``release`` (with a campaign, a quote and a topic)."""
    day, campaign = release.publication_date, release.campaign
    return {
        "home": "/en/",
        "list": "/en/releases/",
        "list page 3": "/en/releases/?page=3",
        "year archive": f"/en/releases/{day.year}/",
        "month archive": f"/en/releases/{day.year}/{day.month:02d}/",
        "detail": release.get_absolute_url(),
        "campaign list": "/en/campaigns/",
        "campaign": campaign.get_absolute_url(),
        "spokesperson list": "/en/spokespeople/",
        "spokesperson": release.quotes.first().spokesperson.get_absolute_url(),
        "topic": release.topics.first().get_absolute_url(),
        "search": "/en/search/?q=measured",
        "filtered search": f"/en/search/?q=measured&campaign={campaign.slug}&year={day.year}",
        "site feed": "/en/feeds/releases.atom",
        "campaign feed": f"/en/feeds/campaigns/{campaign.slug}.rss",
        "plain text": release.get_text_url(),
        "news sitemap": "/sitemap-news.xml",
    }


def make_release_batch(count, *, start=None, step=timedelta(minutes=1), **fields):
    start = start or Release.objects.order_by("publish_at").first().publish_at
    return [
        make_release(headline=f"Batch {i:03d}", publish_at=start - step * (i + 1), **fields)
        for i in range(count)
    ]


def offsets(queries) -> list[int]:
    return [int(n) for q in queries for n in re.findall(r"OFFSET (\d+)", q["sql"])]


def test_pages_hold_the_same_releases_as_offset_pagination_even_with_ties(client, settings, now):
    settings.PAGE_CACHE_SECONDS = 0
    for i in range(50):
        make_release(headline=f"Tied {i:02d}", publish_at=now - timedelta(hours=1 + i // 7))
    expected = list(Release.objects.published().in_language("en").for_listing())
    for number in (1, 2, 3, 2, 3):
        shown = client.get("/en/releases/", {"page": number}).context["releases"]
        assert list(shown) == expected[(number - 1) * 20 : number * 20]


def test_deep_pages_neither_count_nor_skip_rows_once_their_list_is_known(client, settings, now):
    settings.PAGE_CACHE_SECONDS = 0
    make_release_batch(100, start=now)
    client.get("/en/releases/?page=4")  # learns the count and where page 4 starts

    with CaptureQueriesContext(connection) as queries:
        page_four = client.get("/en/releases/?page=4")
        page_five = client.get("/en/releases/?page=5")
    sql = " ".join(q["sql"] for q in queries)
    assert "COUNT(" not in sql
    assert max(offsets(queries), default=0) <= 20  # page 5 starts one page after page 4
    assert "Batch 060" in page_four.text and "Batch 080" in page_five.text


def test_counts_follow_a_newly_published_release(client, now):
    make_release_batch(40, start=now)
    assert "Page 1 of 2" in client.get("/en/releases/").text
    make_release(headline="One more")
    assert "Page 1 of 3" in client.get("/en/releases/").text
    assert client.get("/en/releases/?page=3").status_code == 200


def test_pages_read_the_default_contacts_only_where_they_show_them(client, settings):
    """Every page prints the organisation's name; only a release's page (and its formats and
    feeds) prints its default media contacts, so only they read them."""
    settings.PAGE_CACHE_SECONDS = 0
    make_organisation().default_media_contacts.add(make_contact(name="Default Desk"))
    release = make_release(headline="No contacts of its own")
    for address in ("/en/", "/en/releases/", "/en/search/?q=contacts"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        read = [query["sql"] for query in queries.captured_queries]
        assert not any("releases_mediacontact" in sql for sql in read), address
    assert "Default Desk" in client.get(release.get_absolute_url()).text


def test_relations_prefetched_as_lists_are_each_release_own_with_no_more_queries():
    """``prefetch_lists``: one query per relation for any number of releases, and each
    release's ``.all()`` then gives its own, in the relation's order, without a query."""
    person = make_spokesperson(name="Avery Chief")
    contact = make_contact(name="Sam Press")
    releases = [make_release(headline=f"Release {index}") for index in range(3)]
    make_quote(releases[0], spokesperson=person, position=2, text="Second.")
    make_quote(releases[0], spokesperson=person, position=1, text="First.")
    releases[1].media_contacts.add(contact)
    releases[2].topics.add(make_topic(name_en="Road safety"))
    fresh = list(Release.objects.filter(pk__in=[r.pk for r in releases]).order_by("pk"))
    with CaptureQueriesContext(connection) as queries:
        prefetch_lists(
            fresh, Prefetch("topics"), Prefetch("media_contacts"), QUOTES_WITH_SPOKESPEOPLE
        )
    assert len(queries) == 3
    with CaptureQueriesContext(connection) as queries:
        quotes = [[(q.text, q.spokesperson.name) for q in r.quotes.all()] for r in fresh]
        contacts = [[c.name for c in r.media_contacts.all()] for r in fresh]
        topics = [[t.name for t in r.topics.all()] for r in fresh]
    assert len(queries) == 0
    assert quotes == [[("First.", "Avery Chief"), ("Second.", "Avery Chief")], [], []]
    assert contacts == [[], ["Sam Press"], []]
    assert topics == [[], [], ["Road safety"]]


def release_formats(release) -> dict[str, str]:
    """A release's page and every machine format that answers for it when it is withdrawn."""
    page = release.get_absolute_url()
    return {
        "detail": page,
        "api": f"/api/v1/releases/{release.pk}",
        "ninjs": page.rstrip("/") + ".ninjs.json",
        "ics": page.rstrip("/") + ".ics",
        "oembed": f"/oembed?url=http://testserver{page}",
    }


def test_a_withdrawn_release_costs_its_page_and_formats_no_query_more(
    client, settings, django_assert_max_num_queries
):
    """Each of them dates a withdrawn release by its withdrawal: the moment comes in the row
    they read it from, not in a query of its own."""
    make_organisation()
    published, withdrawn = make_advisory(), make_advisory()
    publishing.withdraw(release=withdrawn, by=None, reason="Postponed.")
    counted = queries_per_page(client, settings, release_formats(published))
    for name, path in release_formats(withdrawn).items():
        with django_assert_max_num_queries(counted[name]):
            assert client.get(path).status_code == 200, name
