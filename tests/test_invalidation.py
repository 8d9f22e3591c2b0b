"""Invalidation by what changed (issue 18): a change to one release discards what it can show
on, and keeps the rest: the other language's pages, other campaigns' pages, counts it does not
move. A go-live, too, discards only what the release that went public shows on."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from pagecache.middleware import CACHE_STATUS_HEADER
from releases.search import facets as search_facets
from releases.search.query import ReleaseFilters
from releases.workflow import publishing
from tests.factories import make_campaign, make_organisation, make_release

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_each_cache(cache_backend):
    """On local memory and on Redis (tests/conftest.py)."""


@pytest.fixture
def newsroom():
    make_organisation()
    road_week, police_week = make_campaign(), make_campaign()
    english = make_release(headline="English news", campaign=road_week)
    french = make_release(language="fr", headline="Nouvelles en français", campaign=police_week)
    other = make_release(headline="Police Week news", campaign=police_week)
    return {"english": english, "french": french, "other": other, "road": road_week}


def warm(client, paths) -> None:
    for path in paths:
        client.get(path)
        assert client.get(path)[CACHE_STATUS_HEADER] == "hit", path


def statuses(client, paths) -> dict[str, str]:
    return {path: client.get(path)[CACHE_STATUS_HEADER] for path in paths}


def test_an_edit_keeps_the_other_languages_pages_and_other_campaigns_pages(client, newsroom):
    english, french, other = newsroom["english"], newsroom["french"], newsroom["other"]
    kept = [
        "/fr/communiques/",
        "/fr/",
        french.get_absolute_url(),
        other.campaign.get_absolute_url(),
    ]
    discarded = ["/en/releases/", "/en/", english.get_absolute_url()]
    discarded.append(english.campaign.get_absolute_url())
    warm(client, kept + discarded)

    english.headline = "English news, edited"
    publishing.minor_edit(release=english, by=None)

    assert statuses(client, kept) == dict.fromkeys(kept, "hit")
    assert statuses(client, discarded) == dict.fromkeys(discarded, "miss")
    assert "English news, edited" in client.get("/en/releases/").text


def test_a_draft_discards_nothing(client, newsroom):
    paths = ["/en/releases/", "/en/", newsroom["english"].get_absolute_url()]
    warm(client, paths)
    draft = make_release(published=False, headline="Not yet")
    draft.headline = "Still not yet"
    draft.save()
    assert statuses(client, paths) == dict.fromkeys(paths, "hit")


def test_counts_an_edit_does_not_move_are_kept(client, newsroom):
    english = newsroom["english"]
    filters = ReleaseFilters(language="fr")

    def counted() -> bool:
        """Whether finding the French list's counts read the kept counts again."""
        with translation.override("fr"), CaptureQueriesContext(connection) as queries:
            search_facets.facet_counts(filters)
        return any("releases_facetcount" in query["sql"] for query in queries)

    assert counted()
    english.headline = "A new headline moves no count"
    publishing.minor_edit(release=english, by=None)
    assert not counted()
    make_release(headline="A new release moves the counts")
    assert counted()


def test_a_go_live_discards_only_what_its_release_shows_on(client, newsroom, now):
    """At the minute an embargo lifts, the English lists take the release in; the French pages
    and the other campaign's page are kept (the counts beside the French list move too)."""
    scheduled = make_release(
        headline="Embargo lifts", publish_at=now + timedelta(minutes=5), campaign=newsroom["road"]
    )
    kept = [newsroom["french"].get_absolute_url(), newsroom["other"].campaign.get_absolute_url()]
    discarded = ["/en/releases/", "/en/", newsroom["road"].get_absolute_url()]
    with time_machine.travel(scheduled.publish_at - timedelta(seconds=5), tick=False):
        warm(client, kept + discarded)
    with time_machine.travel(scheduled.publish_at + timedelta(seconds=2), tick=False):
        assert statuses(client, kept) == dict.fromkeys(kept, "hit")
        assert statuses(client, discarded) == dict.fromkeys(discarded, "miss")
        assert "Embargo lifts" in client.get("/en/releases/").text
        assert "Embargo lifts" in client.get(newsroom["road"].get_absolute_url()).text


def campaign_running_around(moment, **fields):
    today = timezone.localdate(moment)
    return make_campaign(
        start_date=today - timedelta(days=2), end_date=today + timedelta(days=4), **fields
    )


def test_a_campaign_announced_at_a_go_live_in_one_language_is_featured_at_once_in_both(client, now):
    """A campaign is known to the public once a release of it is on record, in any language:
    the English home page, kept before a French release's embargo lifts, features the
    campaign from that minute, not once the page's lifetime runs out."""
    make_organisation()
    campaign = campaign_running_around(now, name_en="Road Safety Week", name_fr="Semaine")
    make_release(language="fr", publish_at=now + timedelta(minutes=5), campaign=campaign)
    english_news = make_release(headline="Unrelated English news")
    with time_machine.travel(now + timedelta(minutes=4), tick=False):
        warm(client, ["/en/", "/fr/"])
        assert "Road Safety Week" not in client.get("/en/").text
    with time_machine.travel(now + timedelta(minutes=5, seconds=2), tick=False):
        home = client.get("/en/")
        assert home[CACHE_STATUS_HEADER] == "miss"
        assert "Road Safety Week" in home.text
        # An edit that moves no campaign onto or off the record keeps the other language's.
        warm(client, ["/fr/"])
        english_news.headline = "Unrelated English news, edited"
        publishing.minor_edit(release=english_news, by=None)
        assert statuses(client, ["/fr/"]) == {"/fr/": "hit"}


def test_a_campaign_whose_only_release_is_unpublished_leaves_both_home_pages_at_once(client, now):
    make_organisation()
    campaign = campaign_running_around(now, name_en="Road Safety Week")
    french = make_release(language="fr", campaign=campaign)
    warm(client, ["/en/", "/fr/"])
    assert "Road Safety Week" in client.get("/en/").text

    publishing.unpublish(release=french, by=None, note="Published in error")

    english_home = client.get("/en/")
    assert english_home[CACHE_STATUS_HEADER] == "miss"
    assert "Road Safety Week" not in english_home.text
