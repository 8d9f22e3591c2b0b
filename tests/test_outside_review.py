"""Outside reviewers without an account: a preview link made for a named reviewer carries an
Approve / Ask for changes form; each verdict goes into the release's history with their name
and time. Links that expired or were revoked take no verdict, and nothing is indexed."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from releases.models import ReleaseEvent
from releases.workflow import publishing
from tests.factories import make_release

pytestmark = pytest.mark.django_db
Action = ReleaseEvent.Action


@pytest.fixture
def draft():
    return make_release(published=False, headline="Police Week Opens")


@pytest.fixture
def link_for_legal(client, editor, draft):
    """A link made in the admin for a named reviewer; returns its address."""
    client.force_login(editor)
    url = reverse("admin:releases_release_preview_links", args=[draft.pk])
    client.post(url, {"reviewer": "Legal: Jane Smith"})
    link = draft.preview_links.get()
    assert link.reviewer == "Legal: Jane Smith"
    return reverse("releases:preview-link", args=[publishing.previews.token_for(link)])


def verdicts(release):
    return list(release.events.filter(action__in=[Action.REVIEW_APPROVED, Action.REVIEW_CHANGES]))


def test_the_reviewer_approves_and_the_history_says_who_and_when(
    client, editor, draft, link_for_legal
):
    reviewer = Client()
    page = reviewer.get(link_for_legal)
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert "Your review, Legal: Jane Smith" in page.text
    response = reviewer.post(link_for_legal, {"verdict": "approve"})
    assert response.status_code == 302
    [verdict] = verdicts(draft)
    assert (verdict.action, verdict.note, verdict.actor) == (
        Action.REVIEW_APPROVED,
        "Legal: Jane Smith",
        None,
    )
    assert "Approved by an outside reviewer" in reviewer.get(link_for_legal).text

    history = client.get(reverse("admin:releases_release_history", args=[draft.pk])).text
    assert "Workflow record" in history
    assert "Approved by an outside reviewer" in history and "Legal: Jane Smith" in history
    links = client.get(reverse("admin:releases_release_preview_links", args=[draft.pk])).text
    assert "Approved by an outside reviewer" in links


def test_asking_for_changes_needs_the_changes(draft, link_for_legal):
    reviewer = Client()
    refused = reviewer.post(link_for_legal, {"verdict": "changes", "comment": "  "})
    assert refused.status_code == 200 and "Say which changes you ask for." in refused.text
    assert verdicts(draft) == []
    reviewer.post(link_for_legal, {"verdict": "changes", "comment": "The date is May 12."})
    [verdict] = verdicts(draft)
    assert verdict.action == Action.REVIEW_CHANGES
    assert verdict.note == "Legal: Jane Smith: The date is May 12."
    draft.refresh_from_db()
    assert not draft.is_published  # a verdict is a record, not a state change


@pytest.mark.parametrize("verdict", ["", "publish", "approve\x00"])
def test_an_unknown_verdict_is_refused_with_a_message(draft, link_for_legal, verdict):
    response = Client().post(link_for_legal, {"verdict": verdict})
    assert response.status_code == 200
    assert "Choose “Approve” or “Ask for changes”." in response.text
    assert verdicts(draft) == []


def test_a_revoked_or_expired_link_takes_no_verdict(editor, draft, link_for_legal):
    link = draft.preview_links.get()
    with time_machine.travel(link.expires_at + timedelta(seconds=1)):
        assert Client().post(link_for_legal, {"verdict": "approve"}).status_code == 404
    publishing.revoke_preview_link(link=link, by=editor)
    assert Client().post(link_for_legal, {"verdict": "approve"}).status_code == 404
    assert verdicts(draft) == []


def test_once_public_the_link_leads_to_the_page_and_takes_no_verdict(editor, draft, link_for_legal):
    publishing.publish(release=draft, by=editor)
    response = Client().post(link_for_legal, {"verdict": "approve"})
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    assert verdicts(draft) == []


def test_control_characters_in_a_comment_are_dropped_not_a_server_error(draft, link_for_legal):
    response = Client().post(link_for_legal, {"verdict": "changes", "comment": "Fix\x00 the date."})
    assert response.status_code == 302
    [verdict] = verdicts(draft)
    assert verdict.note == "Legal: Jane Smith: Fix the date."
