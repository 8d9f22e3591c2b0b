"""Keyboard alone, in Chromium: an author writes and submits a release, an editor approves
and schedules it, each control reached with Tab and used with Enter or typing — no mouse."""

from datetime import timedelta

import pytest
from django.utils import timezone

from releases.models import Release, Status
from tests.browser.conftest import PASSWORD
from tests.factories import make_staff

pytestmark = pytest.mark.django_db(transaction=True)
MAX_TABS = 250


def tab_to(page, selector: str):
    """Press Tab until ``selector`` has the focus (it must be reachable by keyboard)."""
    for _ in range(MAX_TABS):
        if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} cannot be reached with Tab")


def sign_in_by_keyboard(browser, base, username):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base + "/admin/login/")
    tab_to(page, "#id_username")
    page.keyboard.type(username)
    tab_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/")
    return page


def test_write_submit_approve_and_schedule_with_the_keyboard_alone(browser, live_server):
    make_staff("Authors", username="author", password=PASSWORD)
    make_staff("Editors", username="editor", password=PASSWORD)
    base = live_server.url

    author = sign_in_by_keyboard(browser, base, "author")
    tab_to(author, "a[href$='/admin/releases/release/add/']")
    author.keyboard.press("Enter")
    author.wait_for_url("**/release/add/")
    tab_to(author, "#id_headline")
    author.keyboard.type("Police Week Opens Across Canada")
    tab_to(author, "#id_dateline_city")
    author.keyboard.type("Ottawa")
    tab_to(author, ".field-body .ProseMirror")
    author.keyboard.type("Chiefs of police open National Police Week today.")
    tab_to(author, "input[name=_continue]")
    author.keyboard.press("Enter")
    author.wait_for_selector(".workflow")
    tab_to(author, "button[value=submit]")
    author.keyboard.press("Enter")
    author.wait_for_selector("text=Submitted for review.")
    release = Release.objects.get(headline="Police Week Opens Across Canada")
    assert release.status == Status.IN_REVIEW

    editor = sign_in_by_keyboard(browser, base, "editor")
    editor.goto(base + f"/admin/releases/release/{release.pk}/change/")
    tab_to(editor, "button[value=approve]")
    editor.keyboard.press("Enter")
    # The checklist's warnings (no summary, no media contact…) are confirmed with a tick.
    editor.wait_for_url("**/transition/approve/")
    tab_to(editor, "#id_accept_warnings")
    editor.keyboard.press("Space")
    tab_to(editor, "button[type=submit].default")
    editor.keyboard.press("Enter")
    editor.wait_for_selector("text=Approved.")
    tab_to(editor, "a[href$='/schedule/']")
    editor.keyboard.press("Enter")
    editor.wait_for_url("**/schedule/")
    go_live = timezone.localtime() + timedelta(days=3)
    tab_to(editor, "#id_go_live")
    # A datetime-local field, typed segment by segment as en-US shows it: mm dd yyyy hh mm AM/PM.
    editor.keyboard.type(go_live.strftime("%m%d%Y"))
    editor.keyboard.press("ArrowRight")
    editor.keyboard.type(go_live.strftime("%I%M%p"))
    assert editor.input_value("#id_go_live") == go_live.strftime("%Y-%m-%dT%H:%M")
    tab_to(editor, "#id_accept_warnings")
    editor.keyboard.press("Space")
    tab_to(editor, "button[type=submit].default")
    editor.keyboard.press("Enter")
    editor.wait_for_selector("text=goes public on")
    release.refresh_from_db()
    assert release.is_scheduled
    assert release.publish_at == go_live.replace(second=0, microsecond=0)
    author.context.close()
    editor.context.close()
