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
from tests.factories import make_quote, make_release

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
    response = reviewer.post(
        link_for_legal, {"verdict": "approve", "words_read": words_read_on(page)}
    )
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
    read = words_read_on(reviewer.get(link_for_legal))
    refused = reviewer.post(
        link_for_legal, {"verdict": "changes", "comment": "  ", "words_read": read}
    )
    assert refused.status_code == 200 and "Say which changes you ask for." in refused.text
    assert verdicts(draft) == []
    reviewer.post(
        link_for_legal,
        {
            "verdict": "changes",
            "comment": "The date is May 12.",
            "words_read": words_read_on(refused),
        },
    )
    [verdict] = verdicts(draft)
    assert verdict.action == Action.REVIEW_CHANGES
    assert verdict.note == "Legal: Jane Smith: The date is May 12."
    draft.refresh_from_db()
    assert not draft.is_published  # a verdict is a record, not a state change


@pytest.mark.parametrize("verdict", ["", "publish", "approve\x00"])
def test_an_unknown_verdict_is_refused_with_a_message(draft, link_for_legal, verdict):
    reviewer = Client()
    read = words_read_on(reviewer.get(link_for_legal))
    response = reviewer.post(link_for_legal, {"verdict": verdict, "words_read": read})
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
    reviewer = Client()
    page = reviewer.get(link_for_legal)
    response = reviewer.post(
        link_for_legal,
        {"verdict": "changes", "comment": "Fix\x00 the date.", "words_read": words_read_on(page)},
    )
    assert response.status_code == 302
    [verdict] = verdicts(draft)
    assert verdict.note == "Legal: Jane Smith: Fix the date."


def words_read_on(page) -> str:
    """The fingerprint of the words the reviewer's page showed, as its form sends it back."""
    return page.context["review"]["words_read"]


def test_a_verdict_sent_after_the_words_changed_under_the_reviewer_is_refused(
    editor, draft, link_for_legal
):
    """Legal approved what they read, not what the release says now: they read it again."""
    reviewer = Client()
    page = reviewer.get(link_for_legal)
    draft.refresh_from_db()
    draft.body = "<p>A sentence legal has not read.</p>"
    publishing.save_draft(release=draft, by=editor)
    answer = reviewer.post(
        link_for_legal,
        {"verdict": "approve", "comment": "Fine by us", "words_read": words_read_on(page)},
    )
    assert answer.status_code == 200
    assert "The release was changed while you read it" in answer.text
    assert "A sentence legal has not read." in answer.text  # the new words, to read again
    assert "Fine by us" in answer.text  # the comment is kept
    assert verdicts(draft) == []
    reviewer.post(link_for_legal, {"verdict": "approve", "words_read": words_read_on(answer)})
    assert [verdict.action for verdict in verdicts(draft)] == [Action.REVIEW_APPROVED]


def test_the_history_says_which_verdicts_a_later_edit_outdated(
    client, editor, draft, link_for_legal
):
    """An approval holds for the words approved: a transition leaves it standing, an edit of the
    words or of a quote marks it, for the desk and for the reviewer."""
    reviewer = Client()
    reviewer.post(
        link_for_legal,
        {"verdict": "approve", "words_read": words_read_on(reviewer.get(link_for_legal))},
    )
    history_url = reverse("admin:releases_release_history", args=[draft.pk])
    outdated = "Given on earlier words: the release has changed since."
    publishing.submit_for_review(release=draft, by=editor)  # no word changed
    assert outdated not in client.get(history_url).text
    assert "on earlier words" not in reviewer.get(link_for_legal).text
    make_quote(draft, text="Words added after legal's approval.")
    history = client.get(history_url)
    assert outdated in history.text
    links = client.get(reverse("admin:releases_release_preview_links", args=[draft.pk]))
    assert "(on earlier words: the release has changed since)" in links.text
    assert "on earlier words: the release has changed since" in reviewer.get(link_for_legal).text


def test_any_answer_on_words_that_changed_says_so_first(editor, draft, link_for_legal):
    """Read, changed, then “Ask for changes” without saying which: the page says the words
    changed (not only that a comment is needed), so no later answer passes unwarned."""
    reviewer = Client()
    page = reviewer.get(link_for_legal)
    make_quote(draft, text="Added while legal read.")
    answer = reviewer.post(
        link_for_legal, {"verdict": "changes", "comment": "", "words_read": words_read_on(page)}
    )
    assert "The release was changed while you read it" in answer.text
    assert verdicts(draft) == []


def test_a_changed_document_or_image_text_outdates_an_approval(client, draft, link_for_legal):
    """Legal approved the fact sheet and the photo's caption too: replacing either outdates it."""
    from releases.models import ReleaseImage
    from tests.imagefiles import store_document, store_image

    store_document(draft, title="Fact sheet")
    image = store_image(ReleaseImage, release=draft, alt_text="Officers", caption="At the school")
    reviewer = Client()
    page = reviewer.get(link_for_legal)
    assert "Fact sheet" in page.text
    reviewer.post(link_for_legal, {"verdict": "approve", "words_read": words_read_on(page)})
    history_url = reverse("admin:releases_release_history", args=[draft.pk])
    outdated = "Given on earlier words: the release has changed since."
    assert outdated not in client.get(history_url).text
    ReleaseImage.objects.filter(pk=image.pk).update(caption="At the arena")
    assert outdated in client.get(history_url).text
    ReleaseImage.objects.filter(pk=image.pk).update(caption="At the school")
    assert outdated not in client.get(history_url).text
    draft.documents.update(title="Fact sheet, revised")
    assert outdated in client.get(history_url).text
