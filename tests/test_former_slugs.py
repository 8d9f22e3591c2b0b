"""A campaign, topic or spokesperson given a new slug keeps answering at its old addresses:
its page and feeds redirect (301), as subscribers and other sites keep those addresses."""

import pytest
from django.test import Client

from releases.models import FormerSlug
from tests.factories import (
    make_campaign,
    make_quote,
    make_release,
    make_spokesperson,
    make_staff,
    make_topic,
)

pytestmark = pytest.mark.django_db


def renamed(thing, slug: str):
    thing.slug = slug
    thing.save()
    return thing


def test_a_topics_old_page_and_feeds_redirect_to_its_new_address(client):
    topic = make_topic(name_en="Community safety", slug="community-safety")
    make_release(headline="Safer streets").topics.add(topic)
    renamed(topic, "community-safety-and-wellbeing")
    for old, new in [
        ("/en/topics/community-safety/", "/en/topics/community-safety-and-wellbeing/"),
        ("/fr/sujets/community-safety/", "/fr/sujets/community-safety-and-wellbeing/"),
        (
            "/en/feeds/topics/community-safety.rss",
            "/en/feeds/topics/community-safety-and-wellbeing.rss",
        ),
        (
            "/en/topics/community-safety/?page=1",
            "/en/topics/community-safety-and-wellbeing/?page=1",
        ),
    ]:
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old
    assert "Safer streets" in client.get("/en/topics/community-safety-and-wellbeing/").text


def test_a_campaigns_and_a_spokespersons_old_addresses_redirect(client):
    campaign = make_campaign(slug="police-week")
    larkin = make_spokesperson(name="Bryan Larkin", slug="bryan-larkin")
    make_quote(make_release(campaign=campaign), spokesperson=larkin)
    renamed(campaign, "national-police-week")
    renamed(larkin, "chief-bryan-larkin")
    for old, new in [
        ("/en/campaigns/police-week/", "/en/campaigns/national-police-week/"),
        ("/en/feeds/campaigns/police-week.json", "/en/feeds/campaigns/national-police-week.json"),
        ("/en/spokespeople/bryan-larkin/", "/en/spokespeople/chief-bryan-larkin/"),
    ]:
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old
        assert client.get(new).status_code == 200


def test_renamed_twice_or_back_every_old_address_leads_to_the_current_one(client):
    topic = make_topic(slug="first")
    make_release().topics.add(topic)
    renamed(renamed(topic, "second"), "third")
    assert client.get("/en/topics/first/")["Location"] == "/en/topics/third/"
    assert client.get("/en/topics/second/")["Location"] == "/en/topics/third/"
    renamed(topic, "first")
    assert client.get("/en/topics/first/").status_code == 200
    assert client.get("/en/topics/third/")["Location"] == "/en/topics/first/"
    assert not FormerSlug.objects.filter(slug="first").exists()


def test_a_former_slug_taken_by_another_is_that_ones_and_unknown_slugs_stay_404(client):
    old = make_topic(slug="youth")
    make_release().topics.add(old)
    renamed(old, "young-people")
    newcomer = make_topic(slug="youth")
    make_release().topics.add(newcomer)
    assert client.get("/en/topics/youth/").status_code == 200
    assert client.get("/en/topics/never-was/").status_code == 404
    assert client.get("/en/feeds/topics/never-was.rss").status_code == 404
    # A campaign's former slug is not a topic's.
    campaign = make_campaign(slug="winter")
    make_release(campaign=campaign)
    renamed(campaign, "winter-driving")
    assert client.get("/en/topics/winter/").status_code == 404


def test_the_redirect_is_kept_an_hour_not_for_ever(client):
    """A former address may be taken again (renamed back, or by another topic): a browser
    that kept the 301 for ever would loop, or never reach the new page."""
    topic = make_topic(slug="first")
    make_release().topics.add(topic)
    renamed(topic, "second")
    response = client.get("/en/topics/first/")
    assert response.status_code == 301
    assert "max-age=3600" in response["Cache-Control"]


def test_a_renamed_topics_list_page_that_does_not_exist_says_so(client):
    topic = make_topic(slug="youth")
    make_release().topics.add(topic)
    renamed(topic, "young-people")
    response = client.get("/en/topics/young-people/?page=99")
    assert response.status_code == 404 and "This list has no page “99”." in response.text


def test_a_slug_the_public_never_saw_leaves_no_redirect(client):
    campaign = make_campaign(slug="draft-name")  # no release yet, not announced: not public
    renamed(campaign, "national-police-week")
    make_release(campaign=campaign)
    assert not FormerSlug.objects.exists()
    assert client.get("/en/campaigns/draft-name/").status_code == 404


def test_a_list_filtered_by_a_former_slug_redirects_to_the_same_filters_now(client):
    topic = make_topic(slug="community-safety")
    make_release(headline="Safer streets").topics.add(topic)
    renamed(topic, "community-safety-and-wellbeing")
    response = client.get("/en/releases/?year=2026&topic=community-safety")
    assert response.status_code == 301
    assert response["Location"] == "/en/releases/?year=2026&topic=community-safety-and-wellbeing"
    assert "max-age=3600" in response["Cache-Control"]
    search = client.get("/en/search/?q=streets&topic=community-safety")
    assert search["Location"] == "/en/search/?q=streets&topic=community-safety-and-wellbeing"
    # An unknown slug is still ignored with a note, not redirected.
    unknown = client.get("/en/releases/?topic=never-was")
    assert unknown.status_code == 200 and "not recognised" in unknown.text


def test_editors_see_where_each_old_address_leads_and_may_remove_one(client):
    """The editors who rename campaigns and topics; authors do not see the list."""
    topic = make_topic(slug="first", name_en="Youth")
    make_release().topics.add(topic)
    renamed(topic, "second")
    admin_client = Client()
    admin_client.force_login(make_staff("Authors", username="author"))
    assert admin_client.get("/admin/releases/formerslug/").status_code == 403
    admin_client.force_login(make_staff("Editors", username="editor"))
    listing = admin_client.get("/admin/releases/formerslug/").text
    assert "Topic: first" in listing and "/en/topics/second/" in listing
    # The French slug was the English one, and followed it: its old address has its own row.
    assert "/fr/sujets/second/" in listing
    former = FormerSlug.objects.get(language="en")
    admin_client.post(f"/admin/releases/formerslug/{former.pk}/delete/", {"post": "yes"})
    assert list(FormerSlug.objects.values_list("language", flat=True)) == ["fr"]
    assert client.get("/en/topics/first/").status_code == 404
    assert client.get("/fr/sujets/first/")["Location"] == "/fr/sujets/second/"


def test_the_old_addresses_list_costs_the_same_queries_for_one_or_many(
    admin_client, django_assert_max_num_queries
):
    for n in range(6):
        topic = make_topic(slug=f"topic-{n}")
        make_release().topics.add(topic)
        renamed(topic, f"renamed-{n}")
    with django_assert_max_num_queries(10):  # the admin page itself; none per row
        listing = admin_client.get("/admin/releases/formerslug/").text
    assert all(f"/en/topics/renamed-{n}/" in listing for n in range(6))
