"""Sitemaps list what is public at the instant they are read, with language alternates."""

import uuid
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
import time_machine

from pagecache import caching
from releases.models import Release, Status
from tests.factories import (
    make_campaign,
    make_organisation,
    make_quote,
    make_release,
    make_spokesperson,
    make_topic,
)

pytestmark = pytest.mark.django_db

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def urlset(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def locations(root):
    return [url.findtext(f"{SM}loc") for url in root.findall(f"{SM}url")]


def absolute(release):
    return f"http://testserver{release.get_absolute_url()}"


def test_sitemap_index_points_to_every_section(client):
    root = urlset(client, "/sitemap.xml")
    assert {s.findtext(f"{SM}loc") for s in root.findall(f"{SM}sitemap")} == {
        "http://testserver/sitemap-releases.xml",
        "http://testserver/sitemap-campaigns.xml",
        "http://testserver/sitemap-spokespeople.xml",
        "http://testserver/sitemap-topics.xml",
    }


def test_release_sitemap_lists_exactly_the_public_releases_at_that_instant(client, now):
    public = make_release()
    make_release(published=False)
    withdrawn = make_release()
    Release.objects.filter(pk=withdrawn.pk).update(status=Status.WITHDRAWN)
    scheduled = make_release(publish_at=now + timedelta(hours=2))
    assert locations(urlset(client, "/sitemap-releases.xml")) == [absolute(public)]
    with time_machine.travel(scheduled.publish_at, tick=False):
        listed = locations(urlset(client, "/sitemap-releases.xml"))
    assert listed == [absolute(public), absolute(scheduled)]


def test_release_lastmod_is_the_last_public_change_with_an_offset(client, now):
    release = make_release()
    corrected = now - timedelta(minutes=3)
    Release.objects.filter(pk=release.pk).update(updated_at=corrected)
    lastmod = urlset(client, "/sitemap-releases.xml").find(f"{SM}url/{SM}lastmod").text
    assert datetime.fromisoformat(lastmod) == corrected


def test_language_twins_are_each_others_alternates_with_x_default(client):
    group = uuid.uuid4()
    english = make_release(translation_group=group, language="en")
    french = make_release(translation_group=group, language="fr", slug="communique")
    alone = make_release()
    root = urlset(client, "/sitemap-releases.xml")
    alternates = {
        url.findtext(f"{SM}loc"): {
            link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")
        }
        for url in root.findall(f"{SM}url")
    }
    expected = {"en": absolute(english), "fr": absolute(french), "x-default": absolute(english)}
    assert alternates[absolute(english)] == expected
    assert alternates[absolute(french)] == expected
    assert alternates[absolute(alone)] == {}


def test_an_unpublished_translation_is_not_an_alternate(client):
    group = uuid.uuid4()
    english = make_release(translation_group=group, language="en")
    make_release(translation_group=group, language="fr", published=False)
    url = urlset(client, "/sitemap-releases.xml").find(f"{SM}url")
    assert url.findtext(f"{SM}loc") == absolute(english)
    assert url.findall(f"{XHTML}link") == []


def test_campaigns_and_spokespeople_are_listed_in_both_languages(client):
    campaign = make_campaign(slug="police-week")
    release = make_release(campaign=campaign)
    make_quote(release, spokesperson=make_spokesperson(slug="bryan-larkin"))
    root = urlset(client, "/sitemap-campaigns.xml")
    assert locations(root) == [
        "http://testserver/en/campaigns/police-week/",
        "http://testserver/fr/campagnes/police-week/",
    ]
    links = {link.get("hreflang"): link.get("href") for link in root.iter(f"{XHTML}link")}
    assert links["x-default"] == "http://testserver/en/campaigns/police-week/"
    assert root.find(f"{SM}url/{SM}lastmod") is not None
    assert "http://testserver/fr/porte-parole/bryan-larkin/" in locations(
        urlset(client, "/sitemap-spokespeople.xml")
    )


def test_topics_are_listed_in_both_languages_dated_by_their_newest_public_release(client, now):
    """A topic's page is what a search engine should find for “community safety”; a topic
    no public release carries yet is not listed (its page answers 404)."""
    safety = make_topic(slug="community-safety")
    make_topic(slug="not-yet")
    make_release(publish_at=now - timedelta(days=3)).topics.add(safety)
    newest = make_release(publish_at=now - timedelta(hours=2))
    newest.topics.add(safety)
    make_release(published=False).topics.add(safety)
    make_release(language="fr", publish_at=now - timedelta(days=1)).topics.add(safety)
    root = urlset(client, "/sitemap-topics.xml")
    assert locations(root) == [
        "http://testserver/en/topics/community-safety/",
        "http://testserver/fr/sujets/community-safety/",
    ]
    links = {link.get("hreflang"): link.get("href") for link in root.iter(f"{XHTML}link")}
    assert links["x-default"] == "http://testserver/en/topics/community-safety/"
    lastmod = datetime.fromisoformat(root.findtext(f"{SM}url/{SM}lastmod"))
    assert lastmod == Release.objects.get(pk=newest.pk).last_public_change


def test_a_topic_is_listed_only_in_the_languages_it_has_releases_in(client, now):
    """/fr/sujets/road-safety/ lists French releases only: with none, it is an empty page, not
    one for search engines; each language's page is dated by its own newest release."""
    road = make_topic(slug="road-safety")
    english = make_release(publish_at=now - timedelta(hours=5))
    english.topics.add(road)
    root = urlset(client, "/sitemap-topics.xml")
    assert locations(root) == ["http://testserver/en/topics/road-safety/"]
    assert [link.get("hreflang") for link in root.iter(f"{XHTML}link")] == ["en", "x-default"]
    french = make_release(language="fr", publish_at=now - timedelta(hours=9))
    french.topics.add(road)
    root = urlset(client, "/sitemap-topics.xml")
    dated = {
        url.findtext(f"{SM}loc"): datetime.fromisoformat(url.findtext(f"{SM}lastmod"))
        for url in root.findall(f"{SM}url")
    }
    assert dated == {
        "http://testserver/en/topics/road-safety/": english.publish_at,
        "http://testserver/fr/sujets/road-safety/": french.publish_at,
    }


def test_news_sitemap_lists_the_last_two_days_of_public_releases(client, now):
    make_organisation()
    recent = make_release(headline="Fresh & new", publish_at=now - timedelta(hours=3))
    french = make_release(headline="Tout frais", language="fr", publish_at=now - timedelta(hours=1))
    make_release(headline="Old", publish_at=now - timedelta(days=3))
    make_release(headline="Later", publish_at=now + timedelta(hours=1))
    make_release(headline="Draft", published=False)
    root = urlset(client, "/sitemap-news.xml")
    assert locations(root) == [absolute(french), absolute(recent)]
    news = {url.findtext(f"{SM}loc"): url.find(f"{NEWS}news") for url in root.findall(f"{SM}url")}
    english = news[absolute(recent)]
    assert english.findtext(f"{NEWS}title") == "Fresh & new"
    assert english.findtext(f"{NEWS}publication/{NEWS}language") == "en"
    assert (
        english.findtext(f"{NEWS}publication/{NEWS}name")
        == "Canadian Association of Chiefs of Police"
    )
    assert datetime.fromisoformat(english.findtext(f"{NEWS}publication_date")) == recent.publish_at
    assert news[absolute(french)].findtext(f"{NEWS}publication/{NEWS}name") == (
        "Association canadienne des chefs de police"
    )
    assert news[absolute(french)].findtext(f"{NEWS}publication/{NEWS}language") == "fr"


def test_robots_txt_points_to_both_sitemaps(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines
    assert "User-agent: *" in lines


def test_unknown_sitemap_section_is_404(client):
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_the_index_counts_release_pages_from_the_kept_counts(client, now, monkeypatch):
    """No request counts every public release: the index's pages come from the kept counts,
    and a release gone public by the clock since is in them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from releases.syndication.sitemaps import ReleaseSitemap

    monkeypatch.setattr(ReleaseSitemap, "limit", 2)
    for _ in range(4):
        make_release()
    make_release(published=False)
    scheduled = make_release(publish_at=now + timedelta(hours=1))

    def release_pages():
        root = urlset(client, "/sitemap.xml")
        return sorted(
            loc
            for s in root.findall(f"{SM}sitemap")
            if "releases" in (loc := s.findtext(f"{SM}loc"))
        )

    with CaptureQueriesContext(connection) as queries:
        assert release_pages() == [
            "http://testserver/sitemap-releases.xml",
            "http://testserver/sitemap-releases.xml?p=2",
        ]
    assert not [q for q in queries if "COUNT(" in q["sql"] and "releases_release" in q["sql"]]
    with time_machine.travel(now + timedelta(hours=2)):
        assert len(release_pages()) == 3
        assert locations(urlset(client, "/sitemap-releases.xml?p=3")) == [absolute(scheduled)]
        assert client.get("/sitemap-releases.xml?p=4").status_code == 404


def test_a_spokespersons_lastmod_is_the_newest_public_change_quoting_them(client, now):
    chief, other = make_spokesperson(slug="chief"), make_spokesperson(slug="other")
    older = make_release(publish_at=now - timedelta(days=10))
    newer = make_release(publish_at=now - timedelta(days=2))
    make_quote(older, spokesperson=chief)
    make_quote(newer, spokesperson=chief)
    make_quote(make_release(publish_at=now - timedelta(hours=2)), spokesperson=other)
    make_quote(make_release(publish_at=now + timedelta(days=1)), spokesperson=chief)

    def chiefs_lastmod():
        root = urlset(client, "/sitemap-spokespeople.xml")
        for url in root.findall(f"{SM}url"):
            if url.findtext(f"{SM}loc").endswith("/en/spokespeople/chief/"):
                return datetime.fromisoformat(url.findtext(f"{SM}lastmod"))

    newer.refresh_from_db()
    assert chiefs_lastmod() == newer.publish_at == now - timedelta(days=2)
    corrected = now - timedelta(hours=1)
    Release.objects.filter(pk=older.pk).update(updated_at=corrected)
    caching.invalidate()  # as after any change that sends no signal
    assert chiefs_lastmod() == corrected


def test_counts_behind_the_table_never_leave_a_release_out(client, now, monkeypatch):
    """After a change outside the application (SQL, ``bulk_create()``) the kept counts lag
    until ``recount_facets``: the last page still runs to the end of the list."""
    from releases.models import FacetCount
    from releases.syndication.sitemaps import ReleaseSitemap

    monkeypatch.setattr(ReleaseSitemap, "limit", 2)
    releases = [make_release(publish_at=now - timedelta(hours=n)) for n in (5, 4, 3, 2, 1)]
    FacetCount.objects.filter(within="", facet="total").update(count=3)
    assert len(urlset(client, "/sitemap.xml").findall(f"{SM}sitemap")) == 5  # 2 of releases
    assert locations(urlset(client, "/sitemap-releases.xml?p=2")) == [
        absolute(release) for release in releases[2:]
    ]


def test_a_spokesperson_quoted_only_long_ago_is_listed_without_a_date(client, now, monkeypatch):
    from releases.syndication import sitemaps

    monkeypatch.setattr(sitemaps, "RECENT_QUOTES", 2)
    make_quote(
        make_release(publish_at=now - timedelta(days=9)),
        spokesperson=make_spokesperson(slug="former"),
    )
    for hours in (3, 2):
        make_quote(
            make_release(publish_at=now - timedelta(hours=hours)), spokesperson=make_spokesperson()
        )
    root = urlset(client, "/sitemap-spokespeople.xml")
    dated = {
        url.findtext(f"{SM}loc"): url.findtext(f"{SM}lastmod") for url in root.findall(f"{SM}url")
    }
    assert dated["http://testserver/en/spokespeople/former/"] is None
    assert sum(1 for lastmod in dated.values() if lastmod) == 4  # two people, two languages
