"""A headline reads the same wherever it goes: the page's <title> and link previews, the
feeds, the news sitemap, the calendar, oEmbed, ninjs, the API and the alert emails print the
typographic quotes and apostrophes the page prints, in the release's own language, while the
database keeps what staff typed (and search finds either form)."""

import json
import re
from html import unescape
from zoneinfo import ZoneInfo

import feedparser
import pytest
from django.urls import reverse
from django.utils import translation

from releases.models import Release
from releases.models.release import dated_url_kwargs
from releases.text.typography import NBSP
from tests.factories import make_advisory, make_organisation, make_release

pytestmark = pytest.mark.django_db

TYPED = {
    "en": {
        "headline": 'Police Week\'s theme: "Safe together"',
        "subheadline": "The chiefs' week",
        "summary": 'Officers say "hello".',
    },
    "fr": {
        "headline": 'L\'ACCP salue la "Semaine de la police"',
        "subheadline": "L'année des policiers",
        "summary": 'Les policiers disent "bonjour".',
    },
}
PRINTED = {
    "en": {
        "headline": "Police Week\u2019s theme: \u201cSafe together\u201d",
        "subheadline": "The chiefs\u2019 week",
        "summary": "Officers say \u201chello\u201d.",
    },
    "fr": {
        "headline": f"L\u2019ACCP salue la \u00ab{NBSP}Semaine de la police{NBSP}\u00bb",
        "subheadline": "L\u2019année des policiers",
        "summary": f"Les policiers disent \u00ab{NBSP}bonjour{NBSP}\u00bb.",
    },
}
TORONTO = ZoneInfo("America/Toronto")
LANGUAGES = pytest.mark.parametrize("language", ["en", "fr"])


def typed_release(language: str, **overrides) -> Release:
    fields = TYPED[language] | {"language": language}
    if language == "fr":
        fields["dateline_region"] = "Ontario"
    return make_release(**(fields | overrides))


def typed_advisory(language: str, **overrides) -> Release:
    fields = TYPED[language] | {"language": language}
    return make_advisory(**(fields | overrides))


def feed_address(language: str, extension: str) -> str:
    with translation.override(language):
        return reverse("releases:feed", kwargs={"feed_format": extension})


# The page's head ------------------------------------------------------------------------------


@LANGUAGES
def test_the_pages_title_and_link_previews_read_as_its_headline(client, language):
    make_organisation()
    release = typed_release(language)
    html = client.get(release.get_absolute_url()).text
    printed = PRINTED[language]["headline"]
    title = unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1))
    assert title.startswith(f"{printed} · ")
    for name in ('property="og:title"', 'name="twitter:title"'):
        content = re.search(rf'<meta {name} content="([^"]*)"', html).group(1)
        assert unescape(content) == printed
    article = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    assert article["headline"] == printed
    assert article["description"] == PRINTED[language]["summary"]
    oembed_link = re.search(
        r'<link rel="alternate" type="application/json\+oembed" title="([^"]*)"', html
    )
    assert unescape(oembed_link.group(1)) == printed
    assert Release.objects.get(pk=release.pk).headline == TYPED[language]["headline"]


def test_a_page_that_points_to_the_other_language_prints_its_headline_as_its_page(client):
    french = typed_release("fr")
    with translation.override("en"):
        here = reverse(
            "releases:detail", kwargs=dated_url_kwargs(french.publication_date, french.slug)
        )
    page = unescape(client.get(here).text)
    assert f'<span lang="fr">{PRINTED["fr"]["headline"]}</span>' in page


@LANGUAGES
def test_an_advisorys_event_data_is_named_by_its_printed_headline(client, language):
    advisory = typed_advisory(language)
    html = client.get(advisory.get_absolute_url()).text
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    (event,) = [json.loads(body) for body in scripts if '"Event"' in body]
    assert event["name"] == PRINTED[language]["headline"]


# Feeds ---------------------------------------------------------------------------------------


@LANGUAGES
@pytest.mark.parametrize("extension", ["rss", "atom"])
def test_xml_feeds_give_the_printed_headline_and_summary(client, language, extension):
    make_organisation()
    typed_release(language)
    parsed = feedparser.parse(client.get(feed_address(language, extension)).content)
    assert not parsed.bozo
    (entry,) = parsed.entries
    assert entry.title == PRINTED[language]["headline"]
    assert unescape(entry.summary) == PRINTED[language]["summary"]
    assert f"<em>{PRINTED[language]['subheadline']}</em>" in entry.content[0].value


@LANGUAGES
def test_the_json_feed_gives_the_printed_headline_and_summary(client, language):
    typed_release(language)
    (item,) = json.loads(client.get(feed_address(language, "json")).content)["items"]
    assert item["title"] == PRINTED[language]["headline"]
    assert item["summary"] == PRINTED[language]["summary"]


# Search --------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["Week's", "Week\u2019s", "week"])
def test_a_search_finds_what_was_typed_by_either_apostrophe_and_prints_it_curly(client, query):
    typed_release("en")
    page = client.get(reverse("releases:search"), {"q": query}).text
    headline = page.split('class="release-card__headline"')[1].split("</h")[0]
    assert "<mark>Week</mark>\u2019s" in headline or "<mark>Week\u2019s</mark>" in headline
    assert "Week's" not in headline and "&#x27;" not in headline
