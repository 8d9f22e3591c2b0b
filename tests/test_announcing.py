"""Nothing is announced early by association: a campaign, spokesperson or topic whose releases
are all still embargoed answers as an unknown one does, everywhere, until one goes public,
unless an editor marks it to be announced now."""

import pytest
import time_machine
from django.utils import timezone

from releases.models import Campaign, Spokesperson, Topic
from releases.workflow import publishing
from tests.factories import make_campaign, make_quote, make_release, make_spokesperson, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret(tomorrow):
    """A campaign, a spokesperson and a topic known only from a release under embargo."""
    campaign = make_campaign(name_en="Operation Quiet Harbour", slug="quiet-harbour")
    person = make_spokesperson(name="Dana Whisper", slug="dana-whisper")
    topic = make_topic(name_en="Harbour security", slug="harbour-security")
    release = make_release(headline="Embargoed", campaign=campaign, publish_at=tomorrow)
    release.topics.add(topic)
    make_quote(release, spokesperson=person)
    return {"campaign": campaign, "person": person, "topic": topic, "release": release}


ADDRESSES = [
    "/en/campaigns/quiet-harbour/",
    "/fr/campagnes/quiet-harbour/",
    "/en/feeds/campaigns/quiet-harbour.rss",
    "/en/feeds/campaigns/quiet-harbour.json",
    "/en/spokespeople/dana-whisper/",
    "/en/topics/harbour-security/",
    "/en/feeds/topics/harbour-security.atom",
]
LISTS = [
    "/en/",
    "/en/campaigns/",
    "/en/spokespeople/",
    "/en/releases/?campaign=quiet-harbour",
    "/en/releases/?spokesperson=dana-whisper&topic=harbour-security",
    "/en/search/?q=harbour&campaign=quiet-harbour",
    "/sitemap-campaigns.xml",
    "/sitemap-spokespeople.xml",
]
# Their names (a filter's own address may echo the slug typed, which tells nothing).
NAMES = ["Quiet Harbour", "Dana Whisper", "Harbour security"]


def test_their_pages_and_feeds_answer_404_like_unknown_ones_until_a_release_is_public(
    client, secret, tomorrow
):
    for address in ADDRESSES:
        assert client.get(address).status_code == 404, address
    with time_machine.travel(tomorrow + timezone.timedelta(minutes=1)):
        for address in ADDRESSES:
            assert client.get(address).status_code == 200, address


def test_no_list_filter_sitemap_or_home_names_them_before_then(client, secret, tomorrow):
    for address in LISTS:
        response = client.get(address)
        assert response.status_code == 200, address
        for name in NAMES:
            assert name not in response.text, (address, name)
    for sitemap in ("/sitemap-campaigns.xml", "/sitemap-spokespeople.xml"):
        assert "quiet-harbour" not in client.get(sitemap).text
        assert "dana-whisper" not in client.get(sitemap).text
    with time_machine.travel(tomorrow + timezone.timedelta(minutes=1)):
        listed = client.get("/en/campaigns/").text + client.get("/en/spokespeople/").text
        assert "Quiet Harbour" in listed and "Dana Whisper" in listed
        sitemap = client.get("/sitemap-campaigns.xml").text
        assert "/en/campaigns/quiet-harbour/" in sitemap


def test_an_editor_can_announce_them_now(client, secret):
    for model, key in [(Campaign, "campaign"), (Spokesperson, "person"), (Topic, "topic")]:
        model.objects.filter(pk=secret[key].pk).update(announce_now=True)
    for address in ADDRESSES:
        assert client.get(address).status_code == 200, address
    # The embargoed release itself stays out of every one of them.
    assert "Embargoed" not in client.get("/en/campaigns/quiet-harbour/").text
    assert "Embargoed" not in client.get("/en/feeds/topics/harbour-security.atom").text


def test_a_withdrawn_release_keeps_them_on_record_but_one_published_in_error_does_not(client, now):
    campaign = make_campaign(slug="kept")
    withdrawn = make_release(campaign=campaign)
    publishing.withdraw(release=withdrawn, by=None, reason="Figures were wrong.")
    assert client.get("/en/campaigns/kept/").status_code == 200
    gone = make_campaign(slug="gone")
    release = make_release(campaign=gone)
    publishing.unpublish(release=release, by=None)
    assert client.get("/en/campaigns/gone/").status_code == 404


def test_each_public_method_costs_one_query(django_assert_num_queries, secret):
    for model in (Campaign, Spokesperson, Topic):
        with django_assert_num_queries(1):
            assert list(model.objects.public()) == []
