"""Fragments kept between requests with the page cache off (release cards, the facet panel,
whole feeds, a campaign's quotes and visual, related releases) are reused, yet never show
anything stale or early: every change shows at once and a scheduled release at its minute."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from releases.workflow import publishing
from tests.factories import (
    make_campaign,
    make_organisation,
    make_quote,
    make_release,
    make_spokesperson,
    make_topic,
)

pytestmark = pytest.mark.django_db

FEED = "/en/feeds/releases.atom"


# On a per-process cache every request reads the generation's row (another process may have
# changed something); on Redis, nothing.
GENERATION_READS = {"local memory": 1, "redis": 0}


@pytest.fixture(autouse=True)
def _page_cache_off(settings, cache_backend):
    """Every test here runs on local memory and on Redis (tests/conftest.py)."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def shelf():
    """Two public releases of one campaign (each the other's related release), with a topic,
    a quote and an organisation: what every fragment shows."""
    make_organisation()
    today = timezone.localdate()  # on now, so the home page features it
    campaign = make_campaign(
        name_en="Road Safety Week",
        start_date=today - timedelta(days=1),
        end_date=today + timedelta(days=5),
    )
    topic = make_topic(name_en="Impaired driving")
    quoted = make_release(headline="First campaign release", campaign=campaign)
    quoted.topics.add(topic)
    make_quote(quoted, text="Drive sober", spokesperson=make_spokesperson(name="Pat Quinn"))
    other = make_release(headline="Second campaign release", campaign=campaign)
    other.topics.add(topic)
    return {"campaign": campaign, "topic": topic, "quoted": quoted, "other": other}


def pages(shelf) -> list[str]:
    return [
        "/en/",
        "/en/releases/",
        shelf["campaign"].get_absolute_url(),
        shelf["other"].get_absolute_url(),
        FEED,
        shelf["quoted"].get_absolute_url(),
    ]


def rendered_templates(response) -> set[str]:
    return {template.name for template in response.templates}


def test_cards_and_facets_are_rendered_once_then_reused(client, shelf):
    first = client.get("/en/releases/")
    assert {"includes/release_card.html", "releases/includes/facets.html"} <= rendered_templates(
        first
    )
    second = client.get("/en/releases/")
    assert second.content == first.content
    assert "includes/release_card.html" not in rendered_templates(second)
    assert "releases/includes/facets.html" not in rendered_templates(second)


@pytest.mark.parametrize("path", ["/en/releases/", "/en/search/?q=campaign"])
def test_a_list_finds_and_renders_its_page_once_then_reuses_it(
    cache_backend, client, shelf, path, django_assert_num_queries
):
    first = client.get(path)
    assert shelf["quoted"].get_absolute_url() in first.text
    with django_assert_num_queries(GENERATION_READS[cache_backend]):
        second = client.get(path)
    assert second.content == first.content
    assert "includes/release_card.html" not in rendered_templates(second)

    shelf["quoted"].headline = "First campaign release, now corrected"
    publishing.minor_edit(release=shelf["quoted"], by=None)
    assert "now corrected" in client.get(path).text


def test_a_feed_is_written_once_then_served_without_queries(
    cache_backend, client, shelf, django_assert_num_queries
):
    first = client.get(FEED)
    with django_assert_num_queries(GENERATION_READS[cache_backend]):
        second = client.get(FEED)
    assert second.content == first.content and second["ETag"] == first["ETag"]


def test_a_campaign_page_renders_its_quotes_once_then_reuses_them(client, shelf):
    url = shelf["campaign"].get_absolute_url()
    first = client.get(url)
    assert "Drive sober" in first.text
    assert "releases/includes/quote.html" in rendered_templates(first)
    second = client.get(url)
    assert second.content == first.content
    assert "releases/includes/quote.html" not in rendered_templates(second)


def test_related_releases_are_found_once_then_reused(client, shelf):
    url = shelf["other"].get_absolute_url()
    with CaptureQueriesContext(connection) as cold:
        first = client.get(url)
    with CaptureQueriesContext(connection) as warm:
        second = client.get(url)
    assert "First campaign release" in first.text
    assert second.content == first.content

    def ranks_related(queries):
        return any('"shared_topics"' in query["sql"] for query in queries)

    assert ranks_related(cold.captured_queries)
    assert not ranks_related(warm.captured_queries)


def test_a_release_page_looks_up_and_renders_its_release_once_then_reuses_it(
    cache_backend, client, shelf, django_assert_num_queries
):
    url = shelf["quoted"].get_absolute_url()
    first = client.get(url)
    assert "Drive sober" in first.text and "Pat Quinn" in first.text
    assert "releases/includes/release_article.html" in rendered_templates(first)
    # On a per-process cache with the page cache off, its translation group's version is read
    # when the kept release is found (the page cache finds it with the others).
    with django_assert_num_queries(2 * GENERATION_READS[cache_backend]):
        second = client.get(url)
    assert second.content == first.content
    assert "releases/includes/release_article.html" not in rendered_templates(second)


def test_a_kept_release_address_answers_410_at_once_when_the_release_is_unpublished(client, shelf):
    url = shelf["quoted"].get_absolute_url()
    client.get(url)
    publishing.unpublish(release=shelf["quoted"], by=None, note="Published by mistake.")
    assert client.get(url).status_code == 410


def test_a_withdrawn_release_says_so_at_once_on_its_kept_page(client, shelf):
    url = shelf["quoted"].get_absolute_url()
    client.get(url)
    publishing.withdraw(release=shelf["quoted"], by=None, reason="Sent in error.")
    page = client.get(url).text
    assert "This release was withdrawn on" in page and "Sent in error." in page


def _edit_headline(shelf):
    release = shelf["quoted"]
    release.headline = "Headline fixed after publication"
    publishing.minor_edit(release=release, by=None)
    return "Headline fixed after publication", ["/en/", "/en/releases/", FEED, 2, 3, 5]


def _rename_campaign(shelf):
    shelf["campaign"].name_en = "Renamed Safety Week"
    shelf["campaign"].save()
    return "Renamed Safety Week", ["/en/", "/en/releases/", FEED, 2, 3, 5]


def _change_campaign_theme(shelf):
    shelf["campaign"].theme_en = "A fresh theme"
    shelf["campaign"].save()
    return "A fresh theme", ["/en/", 2]


def _rename_topic(shelf):
    shelf["topic"].name_en = "Renamed topic"
    shelf["topic"].save()
    return "Renamed topic", ["/en/releases/", FEED, 3, 5]


def _edit_quote(shelf):
    quote = shelf["quoted"].quotes.get()
    quote.text = "Words changed after publication"
    quote.save()
    return "Words changed after publication", [2, FEED, 5]


def _rename_spokesperson(shelf):
    person = shelf["quoted"].quotes.get().spokesperson
    person.name = "Renamed Spokesperson"
    person.save()
    return "Renamed Spokesperson", ["/en/releases/"]


def _rename_organisation(shelf):
    from releases.models import Organisation

    organisation = Organisation.objects.get()
    organisation.name_en = "Renamed Association"
    organisation.save()
    return "Renamed Association", [FEED, 3, 5]


def _withdraw(shelf):
    publishing.withdraw(release=shelf["quoted"], by=None, reason="Sent in error.")
    return None, ["/en/", "/en/releases/", FEED, 2, 3]


@pytest.mark.parametrize(
    "change",
    [
        _edit_headline,
        _rename_campaign,
        _change_campaign_theme,
        _rename_topic,
        _edit_quote,
        _rename_spokesperson,
        _rename_organisation,
        _withdraw,
    ],
)
def test_every_change_shows_at_once_in_every_kept_fragment(client, shelf, change):
    urls = pages(shelf)
    for url in urls:
        assert client.get(url).status_code == 200
        client.get(url)

    shown, where = change(shelf)

    for place in where:
        url = urls[place] if isinstance(place, int) else place
        text = client.get(url).text
        if shown:
            assert shown in text, url
        else:
            assert "First campaign release" not in text, url


def test_a_scheduled_release_appears_in_every_kept_fragment_at_its_minute(client, shelf, now):
    go_live = now + timedelta(minutes=5)
    embargoed = make_release(
        headline="Embargoed news", campaign=shelf["campaign"], publish_at=go_live
    )
    embargoed.topics.add(shelf["topic"], make_topic(name_en="Embargoed topic"))
    make_quote(embargoed, text="Embargoed words")
    urls = pages(shelf)

    own_page = embargoed.get_absolute_url()

    with time_machine.travel(go_live - timedelta(seconds=1), tick=False):
        for url in urls:
            client.get(url)
            text = client.get(url).text
            assert "Embargoed" not in text, url
        assert client.get(own_page).status_code == 404
        assert client.get(own_page).status_code == 404

    with time_machine.travel(go_live + timedelta(seconds=1), tick=False):
        texts = {url: client.get(url).text for url in [*urls, own_page]}
    for url in [*urls, own_page]:
        assert "Embargoed news" in texts[url], url
    assert "Embargoed topic" in texts["/en/releases/"]
    assert "Embargoed words" in texts[shelf["campaign"].get_absolute_url()]
