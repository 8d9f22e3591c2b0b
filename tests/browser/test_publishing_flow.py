"""The publishing flow in Chromium: an author drafts and submits in the admin, an editor
schedules it two minutes ahead, and the public sees nothing until the clock reaches it.

The live server runs in this process, so time-machine moves its clock too."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from releases.models import Release
from tests.browser.conftest import PASSWORD, log_in
from tests.factories import make_staff

pytestmark = pytest.mark.django_db(transaction=True)


def test_author_submits_editor_schedules_and_the_public_sees_it_only_after_its_time(
    browser, live_server
):
    author = make_staff("Authors", username="author", password=PASSWORD)
    editor = make_staff("Editors", username="editor", password=PASSWORD)
    base = live_server.url

    writer = log_in(browser, base, author.username)
    writer.goto(base + "/admin/releases/release/add/")
    writer.fill("#id_headline", "Police Week Opens Across Canada")
    writer.fill("#id_dateline_city", "Ottawa")
    writer.locator(".field-body .ProseMirror:visible").click()
    writer.keyboard.type("Chiefs of police open National Police Week today.")
    writer.click("input[name=_continue]")
    writer.wait_for_selector(".workflow")
    assert writer.get_by_role("link", name="Publish now…").count() == 0
    writer.get_by_role("button", name="Submit for review").click()
    writer.wait_for_selector("text=Submitted for review.")
    writer.screenshot(path="/tmp/wt3/author-submitted.png", full_page=True)
    release = Release.objects.get(headline="Police Week Opens Across Canada")
    assert release.status == "in-review" and release.created_by == author

    reviewer = log_in(browser, base, editor.username)
    reviewer.goto(base + f"/admin/releases/release/{release.pk}/change/")
    reviewer.get_by_role("link", name="Schedule…").click()
    go_live = timezone.localtime() + timedelta(minutes=2)
    reviewer.fill("#id_go_live", go_live.strftime("%Y-%m-%dT%H:%M"))
    reviewer.screenshot(path="/tmp/wt3/editor-schedule.png", full_page=True)
    # The checklist's warnings (no summary, no media contact, no French version) are read.
    reviewer.check("#id_accept_warnings")
    reviewer.get_by_role("button", name="Schedule").click()
    reviewer.wait_for_selector("text=Scheduled for")
    release.refresh_from_db()
    assert release.is_scheduled
    assert release.publish_at == go_live.replace(second=0, microsecond=0)

    public = browser.new_context(locale="en-CA").new_page()
    response = public.goto(base + release.get_absolute_url())
    assert response.status == 404
    with time_machine.travel(release.publish_at + timedelta(seconds=1)):
        response = public.goto(base + release.get_absolute_url())
        assert response.status == 200
        assert public.locator("h1").inner_text() == "Police Week Opens Across Canada"
        assert public.locator(".release__distribution").inner_text() == "FOR IMMEDIATE RELEASE"
        public.goto(base + "/en/")
        assert public.get_by_role("link", name="Police Week Opens Across Canada").count() == 1
    public.context.close()
    writer.context.close()
    reviewer.context.close()
