"""Campaigns and topics have a slug in each language: a French reader finds them at French
addresses (/fr/campagnes/semaine-nationale-de-la-police-2021/), and every address they had
before, the one with the English words included, answers 301 there: page, feeds, filters."""

import importlib
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import QuerySet
from django.urls import reverse

from releases.models import Campaign, FormerSlug, Topic
from tests.factories import make_campaign, make_release, make_topic

pytestmark = pytest.mark.django_db

FEED_FORMATS = ("rss", "atom", "json")


def police_week(**fields):
    campaign = make_campaign(
        name_en="National Police Week",
        name_fr="Semaine nationale de la police",
        edition=2021,
        slug="national-police-week-2021",
        **fields,
    )
    make_release(headline="Working together", campaign=campaign)
    make_release(headline="Travailler ensemble", language="fr", campaign=campaign)
    return campaign


def community_safety(**fields):
    topic = make_topic(
        name_en="Community safety", name_fr="Sécurité communautaire", slug="community-safety"
    )
    make_release(headline="Safer streets").topics.add(topic)
    make_release(headline="Des rues plus sûres", language="fr").topics.add(topic)
    return topic


def in_french(thing, slug: str):
    """Staff write a French slug (the admin's slug_fr)."""
    thing.slug_fr = slug
    thing.save()
    return thing


def redirects(client, old: str, new: str):
    response = client.get(old)
    assert (response.status_code, response.get("Location")) == (301, new), old


def test_a_new_campaigns_french_slug_is_its_english_one_until_staff_write_one(client):
    campaign = police_week()
    assert (campaign.slug_en, campaign.slug_fr) == ("national-police-week-2021",) * 2
    assert client.get("/fr/campagnes/national-police-week-2021/").status_code == 200


def test_a_campaign_answers_at_its_french_slug_and_its_old_french_addresses_redirect(client):
    in_french(police_week(), "semaine-nationale-de-la-police-2021")
    page = client.get("/fr/campagnes/semaine-nationale-de-la-police-2021/")
    assert page.status_code == 200 and "Travailler ensemble" in page.text
    assert client.get("/en/campaigns/national-police-week-2021/").status_code == 200
    redirects(
        client,
        "/fr/campagnes/national-police-week-2021/",
        "/fr/campagnes/semaine-nationale-de-la-police-2021/",
    )
    redirects(
        client,
        "/fr/campagnes/national-police-week-2021/?page=1",
        "/fr/campagnes/semaine-nationale-de-la-police-2021/?page=1",
    )
    for feed_format in FEED_FORMATS:
        redirects(
            client,
            f"/fr/fils/campagnes/national-police-week-2021.{feed_format}",
            f"/fr/fils/campagnes/semaine-nationale-de-la-police-2021.{feed_format}",
        )
        feed = client.get(f"/fr/fils/campagnes/semaine-nationale-de-la-police-2021.{feed_format}")
        assert feed.status_code == 200 and "Travailler ensemble" in feed.text
    # The English-worded French address, as subscribed to before the French words, too.
    response = client.get("/fr/feeds/campaigns/national-police-week-2021.atom", follow=True)
    assert response.redirect_chain[-1] == (
        "/fr/fils/campagnes/semaine-nationale-de-la-police-2021.atom",
        301,
    )


def test_a_topics_old_french_page_and_feeds_redirect_to_its_french_slug(client):
    in_french(community_safety(), "securite-communautaire")
    redirects(client, "/fr/sujets/community-safety/", "/fr/sujets/securite-communautaire/")
    for feed_format in FEED_FORMATS:
        redirects(
            client,
            f"/fr/fils/sujets/community-safety.{feed_format}",
            f"/fr/fils/sujets/securite-communautaire.{feed_format}",
        )
    page = client.get("/fr/sujets/securite-communautaire/")
    assert page.status_code == 200 and "Des rues plus sûres" in page.text
    assert client.get("/en/topics/community-safety/").status_code == 200


def test_a_french_slug_changed_again_leaves_every_earlier_one_leading_to_it(client):
    topic = in_french(community_safety(), "securite")
    in_french(topic, "securite-communautaire")
    for old in ("community-safety", "securite"):
        redirects(client, f"/fr/sujets/{old}/", "/fr/sujets/securite-communautaire/")
    assert set(FormerSlug.objects.filter(language="fr").values_list("slug", flat=True)) == {
        "community-safety",
        "securite",
    }
    assert not FormerSlug.objects.filter(language="en").exists()


def test_the_other_languages_slug_answers_301_to_this_ones(client):
    """Never shared (given both slugs at once), each language's slug under the other's
    prefix still leads to the page: a link copied from the other site, a guessed address."""
    topic = make_topic(name_en="Youth", slug="youth", slug_fr="jeunesse")
    make_release().topics.add(topic)
    assert not FormerSlug.objects.exists()
    redirects(client, "/fr/sujets/youth/", "/fr/sujets/jeunesse/")
    redirects(client, "/en/topics/jeunesse/", "/en/topics/youth/")
    redirects(client, "/fr/fils/sujets/youth.json", "/fr/fils/sujets/jeunesse.json")
    assert client.get("/fr/sujets/nothing-like-it/").status_code == 404


def test_an_english_rename_leaves_a_written_french_slug_alone(client):
    campaign = in_french(police_week(), "semaine-nationale-de-la-police-2021")
    campaign.slug_en = "police-week-2021"
    campaign.save()
    campaign.refresh_from_db()
    assert campaign.slug_fr == "semaine-nationale-de-la-police-2021"
    redirects(client, "/en/campaigns/national-police-week-2021/", "/en/campaigns/police-week-2021/")
    assert client.get("/fr/campagnes/semaine-nationale-de-la-police-2021/").status_code == 200


def alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def switcher_target(html: str, language: str) -> str:
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    return re.search(rf'<a href="([^"]+)" hreflang="{language}"', switcher).group(1)


@pytest.mark.parametrize(
    "make, english, french",
    [
        (
            lambda: in_french(police_week(), "semaine-nationale-de-la-police-2021"),
            "/en/campaigns/national-police-week-2021/",
            "/fr/campagnes/semaine-nationale-de-la-police-2021/",
        ),
        (
            lambda: in_french(community_safety(), "securite-communautaire"),
            "/en/topics/community-safety/",
            "/fr/sujets/securite-communautaire/",
        ),
    ],
)
def test_the_switcher_and_hreflang_lead_to_the_other_languages_slug(client, make, english, french):
    make()
    for here, there, language in ((english, french, "fr"), (french, english, "en")):
        html = client.get(here).text
        assert switcher_target(html, language) == there
        assert alternates(html)[language] == f"http://testserver{there}"
        assert alternates(html)["x-default"] == f"http://testserver{english}"


def test_the_sitemaps_list_each_language_at_its_own_slug(client):
    in_french(police_week(), "semaine-nationale-de-la-police-2021")
    in_french(community_safety(), "securite-communautaire")
    sm, xhtml = "{http://www.sitemaps.org/schemas/sitemap/0.9}", "{http://www.w3.org/1999/xhtml}"
    for section, expected in (
        (
            "campaigns",
            [
                "http://testserver/en/campaigns/national-police-week-2021/",
                "http://testserver/fr/campagnes/semaine-nationale-de-la-police-2021/",
            ],
        ),
        (
            "topics",
            [
                "http://testserver/en/topics/community-safety/",
                "http://testserver/fr/sujets/securite-communautaire/",
            ],
        ),
    ):
        root = ET.fromstring(client.get(f"/sitemap-{section}.xml").content)
        assert [url.findtext(f"{sm}loc") for url in root.findall(f"{sm}url")] == expected
        for url in root.findall(f"{sm}url"):
            links = {link.get("hreflang"): link.get("href") for link in url.iter(f"{xhtml}link")}
            assert links == {"en": expected[0], "fr": expected[1], "x-default": expected[0]}


def test_the_list_filters_take_the_pages_languages_slug_and_follow_the_others(client):
    campaign = in_french(police_week(), "semaine-nationale-de-la-police-2021")
    topic = in_french(community_safety(), "securite-communautaire")
    listing = client.get("/fr/communiques/?campaign=semaine-nationale-de-la-police-2021")
    assert listing.status_code == 200 and "Travailler ensemble" in listing.text
    assert "Des rues plus sûres" not in listing.text
    # The facet panel links to the French slugs.
    everything = client.get("/fr/communiques/").text
    assert "campaign=semaine-nationale-de-la-police-2021" in everything
    assert "topic=securite-communautaire" in everything
    assert "campaign=national-police-week-2021" not in everything
    # The shared slug, in links made before: 301 to the same filters with the French slug.
    redirects(
        client,
        "/fr/communiques/?campaign=national-police-week-2021&year=2026",
        "/fr/communiques/?campaign=semaine-nationale-de-la-police-2021&year=2026",
    )
    redirects(
        client,
        "/fr/recherche/?q=rues&topic=community-safety",
        "/fr/recherche/?q=rues&topic=securite-communautaire",
    )
    # The English list still takes the English slug, and leads a French one to it.
    assert "Working together" in client.get(f"/en/releases/?campaign={campaign.slug_en}").text
    redirects(
        client,
        "/en/releases/?topic=securite-communautaire",
        "/en/releases/?topic=community-safety",
    )
    assert topic.get_absolute_url() == "/en/topics/community-safety/"


def test_the_api_takes_a_slug_in_either_language(client):
    in_french(police_week(), "semaine-nationale-de-la-police-2021")
    for slug in ("national-police-week-2021", "semaine-nationale-de-la-police-2021"):
        response = client.get("/api/v1/releases/", {"campaign": slug})
        assert response.status_code == 200, response.content
        assert {item["headline"] for item in response.json()["items"]} == {
            "Working together",
            "Travailler ensemble",
        }
    assert client.get("/api/v1/releases/", {"campaign": "never-was"}).status_code == 400
    french = client.get("/api/v1/campaigns/", {"language": "fr"}).json()
    assert french["items"][0]["url"] == (
        "http://testserver/fr/campagnes/semaine-nationale-de-la-police-2021/"
    )


def test_an_api_slug_two_subjects_share_names_the_same_one_whatever_the_callers_language(
    client,
):
    """One campaign's English slug may be another's French one: the API, whose addresses have
    no language, takes the default language's, for every caller (a browser's language must
    not choose, nor the first caller's answer be kept for the others)."""
    english_owner = in_french(police_week(), "semaine-nationale-de-la-police-2021")
    other = make_campaign(name_en="Road Safety Week", slug="road-safety-week")
    make_release(headline="Drive safely", campaign=other)
    in_french(other, "national-police-week-2021")
    for accepted in ("fr", "en"):
        response = client.get(
            "/api/v1/releases/",
            {"campaign": "national-police-week-2021"},
            headers={"accept-language": accepted},
        )
        headlines = {item["headline"] for item in response.json()["items"]}
        assert headlines == {"Working together", "Travailler ensemble"}, accepted
    assert english_owner.slug_en == "national-police-week-2021"


def topic_form(**fields) -> dict:
    return {"name_en": "Youth", "name_fr": "Jeunesse", "slug_en": "youth"} | fields


def test_staff_write_a_french_slug_in_the_admin(admin_client, client):
    response = admin_client.post(
        reverse("admin:releases_topic_add"), topic_form(slug_fr="jeunesse")
    )
    assert response.status_code == 302
    topic = Topic.objects.get()
    assert (topic.slug_en, topic.slug_fr) == ("youth", "jeunesse")
    form = admin_client.get(reverse("admin:releases_topic_change", args=[topic.pk])).text
    assert 'name="slug_fr"' in form and 'value="jeunesse"' in form
    # Prepopulated from each language's name.
    add_form = admin_client.get(reverse("admin:releases_topic_add"))
    prepopulated = json.loads(
        re.search(r'data-prepopulated-fields="([^"]+)"', add_form.text)
        .group(1)
        .replace("&quot;", '"')
    )
    assert {field["id"]: field["dependency_ids"] for field in prepopulated} == {
        "#id_slug_en": ["#id_name_en"],
        "#id_slug_fr": ["#id_name_fr"],
    }


def test_a_duplicate_french_slug_is_a_form_error_never_a_500(admin_client):
    make_topic(name_en="Youth", slug="youth", slug_fr="jeunesse")
    response = admin_client.post(
        reverse("admin:releases_topic_add"),
        topic_form(name_en="Young people", slug_en="young-people", slug_fr="jeunesse"),
    )
    assert response.status_code == 200
    assert "slug_fr" in response.context["adminform"].form.errors
    # Left empty, the French slug would be the English one, which another has in French.
    response = admin_client.post(
        reverse("admin:releases_topic_add"),
        topic_form(name_en="Jeunesse", slug_en="jeunesse", slug_fr=""),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "another already has that slug in this language" in str(errors["slug_fr"])
    assert Topic.objects.count() == 1
    # An English slug may be another's French one: they are different addresses.
    response = admin_client.post(
        reverse("admin:releases_topic_add"),
        topic_form(name_en="Jeunesse", slug_en="jeunesse", slug_fr="jeunesse-2"),
    )
    assert response.status_code == 302


def test_a_campaigns_french_slug_saved_in_the_admin_leaves_the_old_address_leading_to_it(
    admin_client, client
):
    campaign = police_week()
    response = admin_client.post(
        reverse("admin:releases_campaign_change", args=[campaign.pk]),
        {
            "name_en": "National Police Week",
            "name_fr": "Semaine nationale de la police",
            "edition": "2021",
            "slug_en": "national-police-week-2021",
            "slug_fr": "semaine-nationale-de-la-police-2021",
            "start_date": "2021-05-09",
            "end_date": "2021-05-15",
            "visual-TOTAL_FORMS": "0",
            "visual-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    redirects(
        client,
        "/fr/campagnes/national-police-week-2021/",
        "/fr/campagnes/semaine-nationale-de-la-police-2021/",
    )
    listing = admin_client.get("/admin/releases/formerslug/").text
    assert "/fr/campagnes/semaine-nationale-de-la-police-2021/" in listing


def test_the_demo_campaign_has_its_french_slug(client):
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    campaign = Campaign.objects.get()
    assert campaign.slug_fr == "semaine-nationale-de-la-police-2021"
    assert client.get("/fr/campagnes/semaine-nationale-de-la-police-2021/").status_code == 200
    redirects(
        client,
        "/fr/campagnes/national-police-week-2021/",
        "/fr/campagnes/semaine-nationale-de-la-police-2021/",
    )
    call_command("load_demo", verbosity=0)  # again: nothing new
    assert Campaign.objects.count() == 1


def test_the_migration_gives_both_languages_the_shared_slug_and_old_addresses():
    """What 0036 does to a newsroom made before: nothing changes at any address."""
    migration = importlib.import_module("releases.migrations.0036_slugs_per_language")
    topic = make_topic(slug="youth")
    make_release().topics.add(topic)
    # As the rows were: one shared slug (the column modeltranslation keeps), no translations,
    # and an old address kept once.
    QuerySet(Topic).filter(pk=topic.pk).update(slug="youth", slug_en=None, slug_fr=None)
    FormerSlug.objects.create(kind="topic", language="en", slug="young", object_id=topic.pk)
    state = MigrationExecutor(connection).loader.project_state(
        ("releases", "0036_slugs_per_language")
    )
    migration.slugs_in_every_language(state.apps, None)
    assert QuerySet(Topic).filter(pk=topic.pk).values_list("slug_en", "slug_fr").get() == (
        "youth",
        "youth",
    )
    assert sorted(FormerSlug.objects.values_list("language", "slug")) == [
        ("en", "young"),
        ("fr", "young"),
    ]


def test_the_websub_hub_hears_of_the_french_feeds_at_their_french_slugs():
    from alerts.websub import feed_urls_for
    from releases.models import Release

    in_french(police_week(), "semaine-nationale-de-la-police-2021")
    urls = feed_urls_for(Release.objects.get(headline="Travailler ensemble"))
    assert any(
        url.endswith("/fr/fils/campagnes/semaine-nationale-de-la-police-2021.atom") for url in urls
    )
    assert not any("national-police-week" in url for url in urls)
