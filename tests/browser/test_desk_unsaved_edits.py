"""Unsaved edits in Chromium: a workflow action taken from a form with unsaved edits refuses
with a message instead of acting on the saved version, and leaving the page asks first."""

import pytest
from playwright.sync_api import expect

from releases.models import Release, Status
from releases.workflow import publishing
from tests.browser.conftest import ARTIFACTS, PASSWORD, log_in
from tests.factories import make_release, make_staff

pytestmark = pytest.mark.django_db(transaction=True)
HEADLINE = "Police Week Opens Across Canada"
BODY = "<p>Chiefs of police open National Police Week today.</p>"


@pytest.fixture
def in_review():
    release = make_release(published=False, headline=HEADLINE, body=BODY)
    publishing.submit_for_review(release=release, by=None)
    return release


@pytest.fixture
def editor_page(browser, live_server):
    make_staff("Editors", username="editor", password=PASSWORD)
    page = log_in(browser, live_server.url, "editor")
    yield page
    page.context.close()


def open_and_edit(page, base, release):
    page.goto(base + f"/admin/releases/release/{release.pk}/change/")
    page.fill("#id_headline", "A headline nobody saved")
    editor = page.locator(".field-body .ProseMirror:visible")
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type(" A sentence nobody saved.")
    # The live preview draws the edit (a request of its own) before the test acts: on the
    # suite's SQLite, the live server's threads share one connection, and a preview request
    # crossing a save there breaks the save's savepoint.
    expect(page.locator(".live-preview__page")).to_contain_text("A sentence nobody saved.")


def test_publish_now_with_unsaved_edits_refuses_and_publishes_nothing(
    editor_page, live_server, in_review
):
    open_and_edit(editor_page, live_server.url, in_review)
    editor_page.get_by_role("link", name="Publish now…").click()

    # The message is set a tick after the alert appears, so that a repeat is announced again.
    alert = editor_page.get_by_role("alert")
    expect(alert).to_contain_text("You have unsaved changes")
    expect(alert).to_contain_text("Publish now")
    ARTIFACTS.mkdir(exist_ok=True)
    editor_page.screenshot(path=str(ARTIFACTS / "unsaved-refused-1280.png"))
    editor_page.set_viewport_size({"width": 390, "height": 844})
    alert.scroll_into_view_if_needed()
    editor_page.screenshot(path=str(ARTIFACTS / "unsaved-refused-390.png"))
    assert editor_page.url.endswith(f"/admin/releases/release/{in_review.pk}/change/")
    # The edits are still on the page, ready to be saved.
    assert editor_page.input_value("#id_headline") == "A headline nobody saved"
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW
    assert in_review.headline == HEADLINE
    assert "nobody saved" not in in_review.body
    assert not Release.objects.published().exists()


@pytest.mark.parametrize("action", ["Approve", "Return to draft", "Schedule…"])
def test_every_workflow_action_refuses_while_edits_are_unsaved(
    editor_page, live_server, in_review, action
):
    open_and_edit(editor_page, live_server.url, in_review)
    target = editor_page.get_by_role("button", name=action)
    if not target.count():
        target = editor_page.get_by_role("link", name=action)
    target.click()
    editor_page.get_by_role("alert").wait_for()
    assert editor_page.url.endswith(f"/admin/releases/release/{in_review.pk}/change/")
    in_review.refresh_from_db()
    assert (in_review.status, in_review.headline) == (Status.IN_REVIEW, HEADLINE)


def confirm_warnings(page, action: str):
    """Tick “I have read these warnings” on the checklist's confirmation page, and act."""
    page.check("#id_accept_warnings")
    page.get_by_role("button", name=action).click()


def test_without_edits_the_workflow_button_acts(editor_page, live_server, in_review):
    editor_page.goto(live_server.url + f"/admin/releases/release/{in_review.pk}/change/")
    editor_page.get_by_role("button", name="Approve").click()
    confirm_warnings(editor_page, "Approve")
    editor_page.wait_for_selector("text=Approved.")
    in_review.refresh_from_db()
    assert in_review.status == Status.APPROVED


def test_saving_then_acting_keeps_the_edits(editor_page, live_server, in_review):
    open_and_edit(editor_page, live_server.url, in_review)
    editor_page.click("input[name=_continue]")
    editor_page.get_by_role("button", name="Approve").click()
    confirm_warnings(editor_page, "Approve")
    editor_page.wait_for_selector("text=Approved.")
    in_review.refresh_from_db()
    assert in_review.status == Status.APPROVED
    assert in_review.headline == "A headline nobody saved"
    assert "A sentence nobody saved." in in_review.body


def test_leaving_the_page_with_unsaved_edits_asks_first(editor_page, live_server, in_review):
    open_and_edit(editor_page, live_server.url, in_review)
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.accept()

    editor_page.on("dialog", answer)
    editor_page.goto(live_server.url + "/admin/")
    assert dialogs == ["beforeunload"]


def test_leaving_an_untouched_page_does_not_ask(editor_page, live_server, in_review):
    editor_page.goto(live_server.url + f"/admin/releases/release/{in_review.pk}/change/")
    editor_page.locator(".field-body .ProseMirror:visible").wait_for()
    dialogs = []
    editor_page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    editor_page.goto(live_server.url + "/admin/")
    assert dialogs == []


def test_edits_sent_back_with_errors_still_count_as_unsaved(editor_page, live_server, in_review):
    editor_page.goto(live_server.url + f"/admin/releases/release/{in_review.pk}/change/")
    editor_page.fill("#id_headline", "")
    editor_page.click("input[name=_continue]")
    editor_page.wait_for_selector(".errornote")
    editor_page.get_by_role("button", name="Approve").click()
    editor_page.get_by_role("alert").wait_for()
    in_review.refresh_from_db()
    assert (in_review.status, in_review.headline) == (Status.IN_REVIEW, HEADLINE)
