"""The desk in Chromium at 1280 and 390 px: every section present, rows that lead to their next
action, no sideways scrolling on a phone, and no axe-core or CSP violation."""

import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from releases.models import Release
from releases.workflow import publishing
from tests.browser.conftest import PASSWORD, sign_in
from tests.browser.test_accessibility import ADMIN_EXCLUDED, check_page
from tests.factories import make_release, make_staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def busy_desk(live_server):
    """The demo newsroom plus a day's work: drafts, reviews, twins going out together."""
    call_command("load_demo", verbosity=0)
    editor = make_staff("Editors", username="editor", password=PASSWORD)
    make_release(
        published=False,
        created_by=editor,
        headline="Chiefs Call For Safer Roads During The Long Holiday Weekend Ahead",
    )
    waiting = make_release(published=False, headline="Youth Leadership Awards Open")
    publishing.submit_for_review(release=waiting, by=None)
    group = uuid.uuid4()
    at = timezone.now() + timedelta(days=2)
    make_release(headline="National Police Week Opens", translation_group=group, publish_at=at)
    make_release(
        headline="Ouverture de la Semaine nationale de la police",
        language="fr",
        translation_group=group,
        publish_at=at,
    )
    corrected = make_release(headline="Winter Driving Reminder")
    publishing.correct(release=corrected, by=None, note="The date was January 12, not 11.")
    return live_server.url


def test_the_desk_shows_the_days_work_and_each_row_leads_to_its_next_action(
    page, busy_desk, screenshot
):
    sign_in(page, busy_desk, "editor")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    for heading in [
        "My drafts",
        "Waiting for my review",
        "Scheduled in the next 14 days",
        "Recently published",
    ]:
        assert page.get_by_role("heading", name=heading).count() == 1
    twins = page.locator(".desk__row--scheduled").first
    assert "National Police Week Opens" in twins.inner_text()
    assert "Ouverture de la Semaine nationale de la police" in twins.inner_text()
    screenshot("desk-1280")
    english, french = twins.locator(".desk__version").all()
    # Side by side at 1280 px.
    assert english.bounding_box()["y"] == french.bounding_box()["y"]
    page.get_by_role("link", name="Review").first.click()
    page.wait_for_url("**/change/")
    assert page.input_value("#id_headline") == "Youth Leadership Awards Open"


def test_the_desk_fits_a_phone_and_has_no_accessibility_violations(page, busy_desk, screenshot):
    sign_in(page, busy_desk, "editor")
    check_page(page, busy_desk + "/admin/", exclude=ADMIN_EXCLUDED)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("desk-390")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_release_forms_buttons_never_cover_its_headline(browser, busy_desk, language):
    """The release's name under the form's title and its row of buttons (long labels in
    French) each in a space of their own."""
    context = browser.new_context(
        locale=f"{language}-CA",
        viewport={"width": 1280, "height": 900},
        extra_http_headers={"Accept-Language": language},
    )
    page = sign_in(context.new_page(), busy_desk, "editor")
    release = Release.objects.get(headline__startswith="National Police Week: Working")
    page.goto(f"{busy_desk}/admin/releases/release/{release.pk}/change/")
    name = page.locator("#content > h2").bounding_box()
    buttons = page.locator(".object-tools a").all()
    assert len(buttons) >= 3  # withdraw, unpublish, history, view on site
    for button in buttons:
        box = button.bounding_box()
        overlaps = (
            box["x"] < name["x"] + name["width"]
            and name["x"] < box["x"] + box["width"]
            and box["y"] < name["y"] + name["height"]
            and name["y"] < box["y"] + box["height"]
        )
        assert not overlaps, (button.inner_text(), box, name)
    context.close()
