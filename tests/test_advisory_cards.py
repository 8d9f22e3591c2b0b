"""A media advisory whose event was cancelled or moved says so on its card, wherever a list
shows it: a reader skimming the home page must not go to a press conference that is off."""

import re

import pytest

from formats.models import AdvisoryEvent
from releases.workflow import publishing
from tests.factories import make_advisory, make_release

pytestmark = pytest.mark.django_db


def card_of(html: str, headline: str) -> str:
    cards = re.findall(r'<article class="release-card.*?</article>', html, re.S)
    # Search results mark the words found inside the headline: read the card's text.
    (card,) = [card for card in cards if headline in re.sub(r"<[^>]+>", "", card)]
    return card


@pytest.mark.parametrize("path", ["/en/", "/en/releases/", "/en/search/?q=briefing"])
def test_a_cancelled_or_changed_event_is_marked_on_the_advisorys_card(client, path):
    cancelled = make_advisory(headline="Cancelled Briefing")
    moved = make_advisory(headline="Moved Briefing")
    make_advisory(headline="Briefing As Planned")
    AdvisoryEvent.objects.filter(release=cancelled).update(status=AdvisoryEvent.Status.CANCELLED)
    event = moved.advisory_event
    event.status = AdvisoryEvent.Status.CHANGED
    event.save()
    html = client.get(path).text
    assert "Event cancelled" in card_of(html, "Cancelled Briefing")
    assert "Event changed" in card_of(html, "Moved Briefing")
    planned = card_of(html, "Briefing As Planned")
    assert "Event cancelled" not in planned and "Event changed" not in planned


def test_the_french_card_says_it_in_french(client):
    advisory = make_advisory(language="fr", headline="Point de presse")
    publishing.correct(release=advisory, by=None, note="Le point de presse est annulé.")
    event = advisory.advisory_event
    event.status = AdvisoryEvent.Status.CANCELLED
    event.save()
    assert "Événement annulé" in card_of(client.get("/fr/").text, "Point de presse")


def test_marking_the_events_costs_one_query_however_many_advisories(
    client, django_assert_max_num_queries
):
    for number in range(3):
        make_advisory(headline=f"Briefing {number}")
    make_release(headline="News")
    with django_assert_max_num_queries(50) as few:
        client.get("/en/releases/")
    few_queries = len(few.captured_queries)
    for number in range(3, 15):
        make_advisory(headline=f"Briefing {number}")
    with django_assert_max_num_queries(few_queries):
        client.get("/en/releases/")


def test_a_lists_cards_read_their_events_with_the_list(client, django_assert_max_num_queries):
    """The list reads each advisory's event status in its own query (a join): marking the
    cards costs none of its own there."""
    make_release(headline="News")
    with django_assert_max_num_queries(50) as without_advisories:
        client.get("/en/releases/")
    cancelled = make_advisory(headline="Briefing")
    AdvisoryEvent.objects.filter(release=cancelled).update(status=AdvisoryEvent.Status.CANCELLED)
    from pagecache import caching

    caching.invalidate()
    with django_assert_max_num_queries(len(without_advisories.captured_queries)):
        assert "Event cancelled" in client.get("/en/releases/").text


def test_a_release_pages_related_cards_read_their_events_with_them(
    client, django_assert_max_num_queries
):
    from pagecache import caching
    from tests.factories import make_campaign

    campaign = make_campaign()
    release = make_release(headline="News", campaign=campaign)
    make_release(headline="Other news", campaign=campaign)
    client.get(release.get_absolute_url())
    caching.invalidate()
    with django_assert_max_num_queries(50) as without_advisories:
        client.get(release.get_absolute_url())
    cancelled = make_advisory(headline="Briefing", campaign=campaign)
    AdvisoryEvent.objects.filter(release=cancelled).update(status=AdvisoryEvent.Status.CANCELLED)
    caching.invalidate()
    with django_assert_max_num_queries(len(without_advisories.captured_queries)):
        page = client.get(release.get_absolute_url()).text
    assert "Event cancelled" in card_of(page, "Briefing")
