"""The checklist in Chromium: shown on the change form beside the workflow's buttons, each
point a link that puts the cursor in its field; “Publish now” with an error is refused with
its sentence, and once it is fixed the warnings are confirmed before the action goes on."""

import pytest
from playwright.sync_api import expect

from releases.models import Release, Status
from releases.workflow import publishing
from tests.browser.conftest import ARTIFACTS, PASSWORD, log_in
from tests.browser.test_accessibility import ADMIN_EXCLUDED, axe, check_page
from tests.factories import make_release, make_staff

pytestmark = pytest.mark.django_db(transaction=True)
NO_DATELINE = "The release has no dateline city."


@pytest.fixture
def without_dateline():
    """In review, then its dateline emptied (as an import might leave it)."""
    release = make_release(published=False, headline="Police Week Opens Across Canada")
    publishing.submit_for_review(release=release, by=None)
    Release.objects.filter(pk=release.pk).update(dateline_city="")
    return release


@pytest.fixture
def editor_page(browser, live_server):
    make_staff("Editors", username="editor", password=PASSWORD)
    page = log_in(browser, live_server.url, "editor")
    yield page
    page.context.close()


def focused_id(page) -> str:
    return page.evaluate("document.activeElement.id")


def test_the_checklist_links_to_its_fields_and_an_error_stops_publish_now(
    editor_page, live_server, without_dateline
):
    page = editor_page
    change = live_server.url + f"/admin/releases/release/{without_dateline.pk}/change/"
    check_page(page, change, exclude=ADMIN_EXCLUDED)
    checklist = page.get_by_role("region", name="Before it goes public")
    assert NO_DATELINE in checklist.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "checklist-1280.png"), full_page=True)

    checklist.get_by_role("link", name=NO_DATELINE).click()
    assert focused_id(page) == "id_dateline_city"
    assert page.locator("#id_dateline_city").is_visible()
    checklist.get_by_role("link", name="The release has no summary").click()
    assert focused_id(page) == "id_summary"

    page.get_by_role("link", name="Publish now…").click()
    page.get_by_role("button", name="Publish now").click()
    refusal = page.locator(".messagelist .error")
    refusal.wait_for()
    assert NO_DATELINE in refusal.inner_text()
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "checklist-refused-390.png"), full_page=True)
    without_dateline.refresh_from_db()
    assert without_dateline.status == Status.IN_REVIEW
    assert not Release.objects.published().exists()

    # Fixed and saved: the error is gone; the warnings are confirmed before publishing.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="No, go back").click()
    page.fill("#id_dateline_city", "Ottawa")
    page.click("input[name=_continue]")
    page.wait_for_selector("text=was changed successfully")
    assert NO_DATELINE not in page.get_by_role("region", name="Before it goes public").inner_text()
    page.get_by_role("link", name="Publish now…").click()
    page.wait_for_selector("text=I have read these warnings")
    page.screenshot(path=str(ARTIFACTS / "checklist-confirm-1280.png"), full_page=True)
    assert axe.run(page).response["violations"] == []
    # A warning's link leads back to its field on the change page, the cursor in it.
    page.get_by_role("link", name="The release has no summary").click()
    expect(page.locator("#id_summary")).to_be_focused()
    page.get_by_role("link", name="Publish now…").click()
    page.check("#id_accept_warnings")
    page.get_by_role("button", name="Publish now").click()
    page.wait_for_selector("text=Published. Readers can see it at")
    assert Release.objects.published().filter(pk=without_dateline.pk).exists()
