"""A campaign or topic inserted in bulk (``bulk_create``, ``loaddata``, SQL, an import) may
have no French slug: saves, the migration and the seeders give it the English one, but nothing
else does. Such a row is read everywhere as if its French slug were its English one (as
``fill_slugs`` would have made it): its French page, feeds, links, filters, facets, switcher
and sitemap entries, at no extra query."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from releases.models import Campaign, Release, Topic
from tests.factories import make_campaign, make_release, make_topic

pytestmark = pytest.mark.django_db

FEED_FORMATS = ("rss", "atom", "json")
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def bulk_campaign(slug_fr) -> Campaign:
    """A campaign as an import writes it: no save, so no French slug filled in."""
    (campaign,) = Campaign.objects.bulk_create(
        [
            Campaign(
                name_en="Road Safety Week",
                name_fr="Semaine de la sécurité routière",
                edition=2021,
                slug_en="road-safety-week-2021",
                slug_fr=slug_fr,
                theme_en="Arrive alive",
                start_date="2021-05-09",
                end_date="2021-05-15",
            )
        ]
    )
    make_release(headline="Drive safely", campaign=campaign)
    make_release(headline="Conduisez prudemment", language="fr", campaign=campaign)
    return campaign


def bulk_topic(slug_fr) -> Topic:
    (topic,) = Topic.objects.bulk_create(
        [Topic(name_en="Youth", name_fr="Jeunesse", slug_en="youth", slug_fr=slug_fr)]
    )
    make_release(headline="Young drivers").topics.add(topic)
    make_release(headline="Jeunes conducteurs", language="fr").topics.add(topic)
    return topic


@pytest.fixture(params=[None, ""], ids=["null", "empty"])
def missing(request):
    """A French slug missing as NULL (``bulk_create``) or as "" (``.update(slug_fr="")``)."""
    return request.param


@pytest.fixture
def subjects(missing):
    campaign, topic = bulk_campaign("placeholder-fr"), bulk_topic("placeholder-jeunesse")
    Campaign.objects.filter(pk=campaign.pk).update(slug_fr=missing)
    Topic.objects.filter(pk=topic.pk).update(slug_fr=missing)
    assert Campaign.objects.filter(slug_fr__isnull=False, slug_fr__gt="").count() == 0
    return campaign, topic


def switcher_target(html: str, language: str) -> str:
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    return re.search(rf'<a href="([^"]+)" hreflang="{language}"', switcher).group(1)


def test_the_french_pages_and_feeds_answer_at_the_english_slug(client, subjects):
    page = client.get("/fr/campagnes/road-safety-week-2021/")
    assert page.status_code == 200 and "Conduisez prudemment" in page.text
    page = client.get("/fr/sujets/youth/")
    assert page.status_code == 200 and "Jeunes conducteurs" in page.text
    for feed_format in FEED_FORMATS:
        for address in (
            f"/fr/fils/campagnes/road-safety-week-2021.{feed_format}",
            f"/fr/fils/sujets/youth.{feed_format}",
        ):
            feed = client.get(address)
            assert feed.status_code == 200, address
            assert "Conduisez prudemment" in feed.text or "Jeunes conducteurs" in feed.text
    # The English-worded French address of before the French words still leads there.
    response = client.get("/fr/feeds/campaigns/road-safety-week-2021.atom", follow=True)
    assert response.redirect_chain[-1] == ("/fr/fils/campagnes/road-safety-week-2021.atom", 301)
    assert client.get("/fr/campagnes/no-such-campaign/").status_code == 404


def test_the_french_links_the_switcher_and_the_sitemaps_give_the_english_slug(client, subjects):
    campaigns = client.get("/fr/campagnes/").text
    assert 'href="/fr/campagnes/road-safety-week-2021/"' in campaigns
    english = client.get("/en/campaigns/road-safety-week-2021/").text
    assert switcher_target(english, "fr") == "/fr/campagnes/road-safety-week-2021/"
    french = client.get("/fr/sujets/youth/").text
    assert switcher_target(french, "en") == "/en/topics/youth/"
    assert "/fr/fils/sujets/youth.atom" in french  # the page's own feeds
    for section, french_address in (
        ("campaigns", "http://testserver/fr/campagnes/road-safety-week-2021/"),
        ("topics", "http://testserver/fr/sujets/youth/"),
    ):
        root = ET.fromstring(client.get(f"/sitemap-{section}.xml").content)
        assert french_address in [
            url.findtext(f"{SITEMAP}loc") for url in root.iter(f"{SITEMAP}url")
        ]


@pytest.mark.parametrize(
    "query",
    [
        "",  # kept counts of the whole list
        "?type=news-release",  # one filter: kept counts within it
        "?type=news-release&year=2026&language=fr",  # one GROUP BY per facet
        "?q=conducteurs",  # from the search's matches
    ],
)
def test_the_french_facets_and_filters_take_the_english_slug(client, subjects, query):
    path = "/fr/recherche/" if query.startswith("?q=") else "/fr/communiques/"
    listing = client.get(f"{path}{query}").text
    assert "campaign=road-safety-week-2021" in listing or "q=conducteurs" in query
    assert "topic=youth" in listing
    filtered = client.get("/fr/communiques/", {"topic": "youth", "campaign": ""})
    assert filtered.status_code == 200
    assert "Jeunes conducteurs" in filtered.text and "Conduisez prudemment" not in filtered.text
    assert "pas été reconnus" not in filtered.text
    filtered = client.get("/fr/communiques/", {"campaign": "road-safety-week-2021"})
    assert filtered.status_code == 200 and "Conduisez prudemment" in filtered.text


def test_a_french_slug_of_its_own_is_preferred_to_anothers_missing_one(client, missing):
    """A row inserted in bulk may lack the French slug that another has written as its own:
    the French address names the one whose own French slug it is, never a 500."""
    bulk_campaign(missing)
    other = make_campaign(name_en="Other Week", slug="other-week", slug_fr="road-safety-week-2021")
    make_release(headline="Autre semaine", language="fr", campaign=other)
    page = client.get("/fr/campagnes/road-safety-week-2021/")
    assert page.status_code == 200 and "Autre semaine" in page.text


def queries_of(client, address: str) -> int:
    """The queries of a page's first showing (not yet in the page cache)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200, address
    return len(captured)


@pytest.mark.parametrize(
    "address",
    ["/fr/campagnes/{campaign}/", "/fr/sujets/{topic}/", "/fr/fils/sujets/{topic}.atom"],
)
def test_a_missing_french_slug_costs_no_extra_query(
    client, address, missing, django_assert_max_num_queries
):
    """The same page of a row with its French slug and of one inserted without it, by as many
    queries (the pages' own budgets are in tests/test_query_budget.py)."""
    written = make_campaign(name_en="Written", slug="written-week", slug_fr="semaine-ecrite")
    make_release(headline="Écrit", language="fr", campaign=written)
    topic = make_topic(name_en="Written", slug="written", slug_fr="ecrit")
    make_release(headline="Écrit", language="fr").topics.add(topic)
    bulk_campaign(missing), bulk_topic(missing)
    client.get("/fr/")  # the organisation and the caches' versions, read once for both
    with_own = queries_of(client, address.format(campaign="semaine-ecrite", topic="ecrit"))
    with django_assert_max_num_queries(with_own):
        response = client.get(address.format(campaign="road-safety-week-2021", topic="youth"))
    assert response.status_code == 200


def test_the_api_and_the_websub_pings_give_the_french_address_at_the_english_slug(client, subjects):
    from alerts.websub import feed_urls_for

    french = client.get("/api/v1/campaigns/", {"language": "fr"}).json()
    assert french["items"][0]["url"] == "http://testserver/fr/campagnes/road-safety-week-2021/"
    urls = feed_urls_for(Release.objects.get(headline="Conduisez prudemment"))
    assert any(url.endswith("/fr/fils/campagnes/road-safety-week-2021.atom") for url in urls)
    urls = feed_urls_for(Release.objects.get(headline="Jeunes conducteurs"))
    assert any(url.endswith("/fr/fils/sujets/youth.atom") for url in urls)
