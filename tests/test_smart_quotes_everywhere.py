"""A headline reads the same wherever it goes: the page's <title> and link previews, the
feeds, the news sitemap, the calendar, oEmbed, ninjs, the API and the alert emails print the
typographic quotes and apostrophes the page prints, in the release's own language, while the
database keeps what staff typed (and search finds either form)."""

import io
import json
import re
import zipfile
from datetime import datetime
from html import unescape
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import feedparser
import icalendar
import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import translation

from alerts.dispatch import dispatch
from alerts.models import Frequency
from releases.models import Release
from releases.models.files import ReleaseImage
from releases.models.release import dated_url_kwargs
from releases.text.typography import NBSP
from releases.workflow import publishing
from tests.alerts.support import make_subscriber, run_tasks
from tests.factories import make_advisory, make_organisation, make_release
from tests.imagefiles import store_image

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


# The news sitemap, the calendar, the press kit, oEmbed, ninjs and the API ---------------------


@LANGUAGES
def test_the_news_sitemap_titles_read_as_the_headline(client, language):
    typed_release(language)
    root = ElementTree.fromstring(client.get("/sitemap-news.xml").content)
    news = "{http://www.google.com/schemas/sitemap-news/0.9}"
    assert root.findtext(f".//{news}title") == PRINTED[language]["headline"]


@LANGUAGES
def test_an_advisorys_calendar_event_is_summed_up_by_its_printed_headline(client, language):
    advisory = typed_advisory(language)
    calendar = icalendar.Calendar.from_ical(
        client.get(advisory.get_absolute_url().rstrip("/") + ".ics").content
    )
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == PRINTED[language]["headline"]
    assert str(event["DESCRIPTION"]).startswith(PRINTED[language]["summary"])


@LANGUAGES
def test_the_press_kits_credits_are_headed_by_the_printed_headline(client, language):
    release = typed_release(language)
    store_image(ReleaseImage, release=release, alt_text="Lead", credit="CACP")
    response = client.get(release.get_press_kit_url())
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    (credits,) = [name for name in archive.namelist() if name.endswith("/credits.txt")]
    assert archive.read(credits).decode().startswith(PRINTED[language]["headline"] + "\n")


@LANGUAGES
def test_oembed_gives_the_printed_headline(client, language):
    release = typed_release(language)
    page = f"http://testserver{release.get_absolute_url()}"
    data = json.loads(client.get("/oembed", {"url": page}).content)
    assert data["title"] == PRINTED[language]["headline"]
    assert f">{PRINTED[language]['headline']}</a>" in unescape(data["html"])


@LANGUAGES
def test_ninjs_headlines_read_as_the_page(client, language):
    release = typed_release(language)
    document = json.loads(
        client.get(release.get_absolute_url().rstrip("/") + ".ninjs.json").content
    )
    headlines = {headline["role"]: headline["value"] for headline in document["headlines"]}
    assert headlines == {
        "main": PRINTED[language]["headline"],
        "subheadline": PRINTED[language]["subheadline"],
    }
    assert document["descriptions"][0]["value"] == PRINTED[language]["summary"]


@LANGUAGES
def test_the_api_gives_headlines_as_it_gives_the_summary_and_body(client, language):
    release = typed_release(language)
    item = json.loads(client.get(f"/api/v1/releases/{release.pk}").content)
    assert item["headline"] == PRINTED[language]["headline"]
    assert item["subheadline"] == PRINTED[language]["subheadline"]
    assert item["summary"] == PRINTED[language]["summary"]


# Alert emails --------------------------------------------------------------------------------


def publish_typed(language: str, **overrides) -> Release:
    release = typed_release(language, published=False, **overrides)
    return publishing.publish(release=release, by=None)


@LANGUAGES
def test_an_alerts_subject_and_parts_read_as_the_page(language):
    make_organisation()
    subscriber = make_subscriber(language=language)
    publish_typed(language)
    dispatch()
    run_tasks()
    (message,) = mail.outbox
    printed = PRINTED[language]
    assert message.subject == printed["headline"]
    html = unescape(message.alternatives[0][0])
    for part in (message.body, html):
        assert printed["headline"] in part and TYPED[language]["headline"] not in part
        assert printed["subheadline"] in part and TYPED[language]["subheadline"] not in part
        assert printed["summary"] in part
    assert subscriber.email in message.to


@LANGUAGES
def test_a_correction_alerts_subject_reads_as_the_page(language):
    make_subscriber(language=language)
    release = publish_typed(language)
    dispatch()
    run_tasks()
    mail.outbox.clear()
    release.refresh_from_db()
    publishing.correct(release=release, by=None, note="A name was misspelt.")
    dispatch()
    run_tasks()
    (notice,) = mail.outbox
    corrected = {"en": "Corrected: ", "fr": f"Correction{NBSP}: "}[language]
    assert notice.subject == corrected + PRINTED[language]["headline"]


@LANGUAGES
def test_a_digest_reads_as_the_page(language, settings):
    settings.ALERTS_DIGEST_HOUR = 7
    make_subscriber(language=language, frequency=Frequency.DAILY)
    with time_machine.travel(datetime(2026, 6, 3, 9, 0, tzinfo=TORONTO), tick=False):
        publish_typed(language)
        dispatch()
        run_tasks()
    with time_machine.travel(datetime(2026, 6, 4, 7, 0, 5, tzinfo=TORONTO), tick=False):
        dispatch()
        run_tasks()
    (digest,) = mail.outbox
    printed = PRINTED[language]
    assert digest.subject.endswith(printed["headline"])
    assert f"1. {printed['headline']}" in digest.body
    assert printed["summary"] in digest.body
    assert printed["headline"] in unescape(digest.alternatives[0][0])


# Search --------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["Week's", "Week\u2019s", "week"])
def test_a_search_finds_what_was_typed_by_either_apostrophe_and_prints_it_curly(client, query):
    typed_release("en")
    page = client.get(reverse("releases:search"), {"q": query}).text
    headline = page.split('class="release-card__headline"')[1].split("</h")[0]
    assert "<mark>Week</mark>\u2019s" in headline or "<mark>Week\u2019s</mark>" in headline
    assert "Week's" not in headline and "&#x27;" not in headline
