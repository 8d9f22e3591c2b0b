"""Backdating from the desk: a release that went out before (an archived one entered now) is
published from its “Publish now…” page with the moment it first went public, and takes its
place at that date in lists, archives and feeds, as the demo's 2021 release does. That it is
not news (no alert, no WebSub ping): ``tests/alerts/test_backdating.py``."""

import re
from datetime import datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import feedparser
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from releases.models import Release, ReleaseEvent, Status
from releases.workflow import publishing
from tests.factories import CONFIRMED, future_year, make_release

TORONTO = ZoneInfo("America/Toronto")
FIRST_PUBLISHED = datetime(2021, 5, 9, 6, 0, tzinfo=TORONTO)
pytestmark = pytest.mark.django_db


def publish_now_url(release):
    return reverse("admin:releases_release_publish_now", args=[release.pk])


def in_review(author, headline="National Police Week", slug="national-police-week"):
    release = make_release(published=False, headline=headline, slug=slug)
    return publishing.submit_for_review(release=release, by=author)


def backdate(client, release, when="2021-05-09T06:00", *, follow=True):
    return client.post(
        publish_now_url(release),
        {"first_published": when, "version_seen": release.version, **CONFIRMED},
        follow=follow,
    )


def stored(release):
    return Release.objects.get(pk=release.pk)


def test_the_publish_now_page_offers_an_earlier_date_in_the_newsrooms_zone(client, author, editor):
    release = in_review(author)
    client.force_login(editor)
    page = unescape(client.get(publish_now_url(release)).text)
    label = re.search(r'<label for="id_first_published"[^>]*>(.*?)</label>', page).group(1)
    assert label == "First published (to backdate):"
    assert re.search(r'<input type="datetime-local" name="first_published"[^>]*>', page)
    assert "Eastern time (Toronto, Ottawa): EDT in summer, EST in winter." in page
    assert "subscribers are not alerted" in page
    client.cookies["django_language"] = "fr"
    french = unescape(client.get(publish_now_url(release)).text)
    assert "Première publication (pour antidater)\u00a0:</label>" in french


def test_an_editor_backdates_an_archived_release_to_its_real_date(
    client, author, editor, django_assert_max_num_queries
):
    newer = make_release(headline="Newer")
    release = in_review(author)
    client.force_login(editor)
    with django_assert_max_num_queries(80):
        response = backdate(client, release, follow=False)
    assert response.status_code == 302
    said = unescape(client.get(response.url).text)
    assert "Published, backdated to Sun May 9, 2021 06:00 EDT" in said
    release = stored(release)
    assert release.is_published and release.publish_at == FIRST_PUBLISHED
    assert release.updated_at is None
    assert release.get_absolute_url() == "/en/releases/2021/05/09/national-police-week/"
    event = release.events.get(action=ReleaseEvent.Action.PUBLISHED)
    assert event.actor == editor and event.note.startswith("backdated to 2021-05-09")
    reader = Client()
    assert reader.get(release.get_absolute_url()).status_code == 200
    listing = reader.get("/en/releases/").text
    assert listing.index(newer.headline) < listing.index("National Police Week")
    assert "National Police Week" in reader.get("/en/releases/2021/").text
    feed = feedparser.parse(reader.get("/en/feeds/releases.atom").content)
    assert [entry.title for entry in feed.entries] == [newer.headline, "National Police Week"]
    assert feed.entries[1].published.startswith("2021-05-09")


def test_a_moment_still_to_come_is_refused_with_a_clear_message(client, author, editor):
    release = in_review(author)
    client.force_login(editor)
    response = backdate(client, release, f"{future_year()}-01-01T10:00")
    said = unescape(response.text)
    assert f"{future_year()} 10:00 EST has not come yet" in said
    assert "To publish it later, schedule it." in said
    assert stored(release).status == Status.IN_REVIEW
    with pytest.raises(ValidationError, match="has not come yet"):
        publishing.publish_now(
            release=release, by=editor, first_published_at=timezone.now() + timedelta(hours=1)
        )
    assert stored(release).status == Status.IN_REVIEW and not release.events.filter(
        action=ReleaseEvent.Action.PUBLISHED
    )


def test_only_who_may_publish_may_backdate(client, author):
    release = in_review(author)
    client.force_login(author)
    assert backdate(client, release).status_code == 403
    with pytest.raises(PermissionDenied):
        publishing.publish_now(release=release, by=author, first_published_at=FIRST_PUBLISHED)
    assert stored(release).status == Status.IN_REVIEW


def test_the_schedule_page_leads_to_backdating_with_the_time_typed(client, author, editor):
    release = in_review(author)
    client.force_login(editor)
    html = client.post(
        reverse("admin:releases_release_schedule", args=[release.pk]),
        {"go_live": "2020-01-01T10:00", "version_seen": release.version, **CONFIRMED},
    ).text
    page = unescape(html)
    assert "The go-live time has already passed." in page
    assert "backdate it: on its “Publish now…” page, fill in when it was first published" in page
    # A link, not its markup shown as text.
    link = re.search(r'<a href="([^"]+)">Publish it now, backdated', html).group(1)
    assert link == f"{publish_now_url(release)}?first_published=2020-01-01T10%3A00"
    form = unescape(client.get(link).text)
    assert re.search(r'name="first_published"[^>]*value="2020-01-01T10:00"', form)
