"""The checklist in the admin: on the change form beside the workflow's buttons, each point a
link to its field; errors refuse approve, schedule and publish now with their sentences;
warnings are confirmed with a tick first (one click, the schedule page, the list's actions)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from releases.models import Quote, Release, ReleaseImage, Status
from releases.workflow import publishing
from releases.workflow.checklist import checklist
from tests.factories import CONFIRMED, make_contact, make_quote, make_release

pytestmark = pytest.mark.django_db

NO_SUMMARY = "The release has no summary"
NO_FRENCH = "There is no French version of this release."


def change_url(release):
    return reverse("admin:releases_release_change", args=[release.pk])


def publish_now_url(release):
    return reverse("admin:releases_release_publish_now", args=[release.pk])


def transition_url(release, name):
    return reverse("admin:releases_release_transition", args=[release.pk, name])


@pytest.fixture
def in_review(author):
    """In review, with warnings only: no summary, no media contact, no French version."""
    return publishing.submit_for_review(release=make_release(published=False), by=author)


def test_the_change_form_lists_errors_and_warnings_each_linked_to_its_field(
    client, editor, in_review
):
    Release.objects.filter(pk=in_review.pk).update(dateline_city="")
    client.force_login(editor)
    html = client.get(change_url(in_review)).text
    assert 'aria-label="Before it goes public"' in html
    assert f'href="{change_url(in_review)}#id_dateline_city"' in html
    assert "Must fix:" in html and "The release has no dateline city." in html
    assert f'href="{change_url(in_review)}#id_summary"' in html and NO_SUMMARY in html
    # Errors first.
    assert html.index("no dateline city") < html.index(NO_SUMMARY)


def test_a_release_that_went_public_shows_no_checklist(client, editor):
    client.force_login(editor)
    assert "Before it goes public" not in client.get(change_url(make_release())).text


def test_approve_with_warnings_asks_first_and_acts_once_ticked(client, editor, in_review):
    client.force_login(editor)
    page = client.post(transition_url(in_review, "approve"), {"version_seen": in_review.version})
    assert page.status_code == 200
    assert NO_SUMMARY in page.text and NO_FRENCH in page.text
    assert "I have read these warnings: go ahead anyway." in page.text
    assert f'value="{in_review.version}"' in page.text
    assert Release.objects.get(pk=in_review.pk).status == Status.IN_REVIEW
    # Sent again without the tick: asked again, saying what is missing.
    unticked = client.post(
        transition_url(in_review, "approve"),
        {"version_seen": in_review.version, "confirming": "1"},
    )
    assert "Tick the box to confirm" in unticked.text
    assert Release.objects.get(pk=in_review.pk).status == Status.IN_REVIEW
    done = client.post(
        transition_url(in_review, "approve"),
        {"version_seen": in_review.version, **CONFIRMED},
        follow=True,
    )
    assert "Approved." in done.text
    assert Release.objects.get(pk=in_review.pk).status == Status.APPROVED


def test_a_release_without_warnings_is_approved_in_one_click(client, editor, in_review):
    Release.objects.filter(pk=in_review.pk).update(summary="Police Week opens.")
    in_review.media_contacts.add(make_contact())
    make_release(published=False, language="fr", translation_group=in_review.translation_group)
    client.force_login(editor)
    response = client.post(
        transition_url(in_review, "approve"), {"version_seen": in_review.version}, follow=True
    )
    assert "Approved." in response.text


def test_publish_now_with_an_error_is_refused_with_its_sentence(client, editor, in_review):
    ReleaseImage.objects.create(release=in_review, alt_text="", width=1200)
    client.force_login(editor)
    response = client.post(
        publish_now_url(in_review), {"version_seen": in_review.version, **CONFIRMED}
    )
    assert response.status_code == 200  # the page again, with the refusal
    assert "Image 1 has no alt text." in response.text
    assert "Published." not in response.text
    assert not Release.objects.published().exists()


def test_an_author_forging_a_publish_gets_no_confirmation_page(client, author, in_review):
    client.force_login(author)
    response = client.post(publish_now_url(in_review), {"version_seen": 2})
    assert response.status_code == 403


def test_the_schedule_page_shows_the_warnings_and_needs_the_tick(client, editor, in_review, now):
    client.force_login(editor)
    url = reverse("admin:releases_release_schedule", args=[in_review.pk])
    page = client.get(url).text
    assert NO_SUMMARY in page and 'name="accept_warnings"' in page
    go_live = timezone.localtime(now + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    form = {"go_live": go_live, "version_seen": in_review.version}
    refused = client.post(url, form)
    assert "Tick the box to confirm" in refused.text
    assert Release.objects.get(pk=in_review.pk).status == Status.IN_REVIEW
    assert client.post(url, form | CONFIRMED).status_code == 302
    assert Release.objects.get(pk=in_review.pk).is_scheduled


def test_the_list_action_asks_first_for_every_release_with_warnings(client, editor, in_review):
    client.force_login(editor)
    changelist = reverse("admin:releases_release_changelist")
    action = {"action": "approve", "_selected_action": [in_review.pk]}
    page = client.post(changelist, action)
    assert page.status_code == 200 and NO_SUMMARY in page.text
    assert f'name="_selected_action" value="{in_review.pk}"' in page.text
    assert Release.objects.get(pk=in_review.pk).status == Status.IN_REVIEW
    client.post(changelist, action | CONFIRMED)
    assert Release.objects.get(pk=in_review.pk).status == Status.APPROVED


def test_every_anchor_of_an_inline_item_is_a_field_of_the_change_form(client, editor, in_review):
    ReleaseImage.objects.create(release=in_review, alt_text="", width=300)
    Quote.objects.filter(pk=make_quote(in_review, text="‘Yes.’").pk).update(attribution="")
    client.force_login(editor)
    html = client.get(change_url(in_review)).text
    anchors = {item.anchor for item in checklist(in_review)}
    assert {"#id_images-0-alt_text", "#images-0", "#id_quotes-0-spokesperson"} <= anchors
    for anchor in anchors:
        assert f'id="{anchor[1:]}"' in html, anchor
