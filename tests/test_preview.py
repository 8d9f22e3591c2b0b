"""Previews: staff see any release with a banner; reviewers get signed, expiring, revocable
links; neither is indexed or cached, and once public both lead to the public page."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from releases.text.languages import long_date, time_of_day, zone_abbreviation
from releases.workflow import publishing
from tests.factories import make_release, make_staff

pytestmark = pytest.mark.django_db


def assert_private(response):
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_staff_preview_shows_the_release_with_a_banner_of_its_state_and_embargo(
    client, editor, tomorrow
):
    release = make_release(headline="Embargoed News", publish_at=tomorrow)
    client.force_login(editor)
    response = client.get(reverse("releases:preview", args=[release.pk]))
    assert response.status_code == 200
    assert "Embargoed News" in response.text
    assert "Preview: this release is not public." in response.text
    assert "Scheduled" in response.text and "Embargoed until" in response.text
    # One way of writing a date and time on the page: the banner's as the article's own.
    at = release.publish_at
    published = f"{long_date(at)}, {time_of_day(at)} {zone_abbreviation(at)}"
    assert f"Embargoed until {published}; it goes public" in response.text
    assert f"{published}</time>" in response.text
    assert_private(response)


@pytest.mark.parametrize("link", ["staff", "signed"])
def test_a_preview_opened_in_another_language_moves_to_the_releases_own(client, editor, link):
    release = make_release(published=False, language="en", headline="English Draft")
    client.force_login(editor)
    if link == "staff":
        name, args = "releases:preview", [release.pk]
    else:
        name, args = (
            "releases:preview-link",
            [publishing.create_preview_link(release=release, by=editor)[1]],
        )
    with translation.override("fr"):
        french = reverse(name, args=args)
    with translation.override("en"):
        english = reverse(name, args=args)
    assert french != english
    response = client.get(french)
    assert response.status_code == 302 and response["Location"] == english
    assert_private(response)
    page = client.get(response["Location"])
    assert 'lang="en"' in page.text[:200] and "Preview: this release is not public." in page.text


@pytest.mark.parametrize("who", ["anonymous", "non-staff"])
def test_preview_url_is_a_404_for_anyone_but_staff(client, django_user_model, who):
    release = make_release(published=False)
    if who == "non-staff":
        client.force_login(django_user_model.objects.create_user("reader"))
    assert client.get(reverse("releases:preview", args=[release.pk])).status_code == 404


def test_a_reviewer_reads_the_draft_through_a_signed_link(client, editor):
    release = make_release(published=False, headline="Draft For Review")
    _link, token = publishing.create_preview_link(release=release, by=editor)
    response = client.get(reverse("releases:preview-link", args=[token]))
    assert response.status_code == 200 and "Draft For Review" in response.text
    assert_private(response)


def test_a_tampered_token_is_the_404_page(client, editor):
    release = make_release(published=False)
    _link, token = publishing.create_preview_link(release=release, by=editor)
    response = client.get(reverse("releases:preview-link", args=[token[:-2] + "xx"]))
    assert response.status_code == 404 and "Page not found" in response.text


def test_a_preview_link_expires_after_seven_days(client, editor, now):
    release = make_release(published=False)
    with time_machine.travel(now, tick=False):
        _link, token = publishing.create_preview_link(release=release, by=editor)
    url = reverse("releases:preview-link", args=[token])
    with time_machine.travel(now + timedelta(days=6, hours=23), tick=False):
        assert client.get(url).status_code == 200
    with time_machine.travel(now + timedelta(days=7, seconds=1), tick=False):
        assert client.get(url).status_code == 404


def test_a_revoked_preview_link_stops_working(client, editor):
    release = make_release(published=False)
    link, token = publishing.create_preview_link(release=release, by=editor)
    publishing.revoke_preview_link(link=link, by=editor)
    assert client.get(reverse("releases:preview-link", args=[token])).status_code == 404


def test_once_public_the_preview_link_redirects_to_the_public_page(client, editor, now):
    release = make_release(publish_at=now + timedelta(minutes=5))
    _link, token = publishing.create_preview_link(release=release, by=editor)
    url = reverse("releases:preview-link", args=[token])
    assert client.get(url).status_code == 200
    with time_machine.travel(now + timedelta(minutes=5, seconds=1), tick=False):
        response = client.get(url)
    assert response.status_code == 302 and response["Location"] == release.get_absolute_url()
    assert_private(response)


def test_an_editor_creates_and_revokes_a_link_in_the_admin(client, editor):
    release = make_release(published=False)
    client.force_login(editor)
    url = reverse("admin:releases_release_preview_links", args=[release.pk])
    response = client.post(url, follow=True)
    assert "/preview/link/" in response.text
    link = release.preview_links.get()
    client.post(url, {"revoke": link.pk})
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_an_author_cannot_create_preview_links(client):
    release = make_release(published=False)
    client.force_login(make_staff("Authors"))
    url = reverse("admin:releases_release_preview_links", args=[release.pk])
    assert client.post(url).status_code == 403
    assert not release.preview_links.exists()


@pytest.mark.parametrize("revoke", ["abc", "1.5", "-1", "99999", "²"])
def test_revoking_a_preview_link_that_is_not_there_is_a_404(client, editor, revoke):
    release = make_release(published=False)
    client.force_login(editor)
    url = reverse("admin:releases_release_preview_links", args=[release.pk])
    client.post(url)
    assert client.post(url, {"revoke": revoke}).status_code == 404
    assert release.preview_links.get().revoked_at is None


def test_a_draft_advisory_with_its_event_can_be_previewed_every_way(client, editor):
    """A draft has no publication date, so no calendar address yet: its event is shown,
    without “Add to calendar”, to staff, to the outside reviewer and in the live preview."""
    from tests.factories import make_advisory, release_admin_form

    advisory = make_advisory(published=False, headline="Chiefs to Brief Media")
    assert advisory.publication_date is None
    client.force_login(editor)
    _link, token = publishing.create_preview_link(release=advisory, by=editor)
    for address in (
        reverse("releases:preview", args=[advisory.pk]),
        reverse("releases:preview-link", args=[token]),
    ):
        response = client.get(address)
        assert response.status_code == 200, address
        assert "National Press Theatre" in response.text
        assert ".ics" not in response.text
    live = client.post(
        reverse("admin:releases_release_live_preview", args=[advisory.pk]),
        release_admin_form(advisory),
    )
    assert live.status_code == 200
