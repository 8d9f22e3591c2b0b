"""Nothing goes public by surprise, in Chromium: "Publish now…" opens a page that names the
headline, the language versions and the minute (newsroom's zone and UTC); only its button
publishes, and the message says where readers see it. Screenshots at 1280 and 390 px."""

import pytest

from releases.models import Release
from releases.workflow import publishing
from tests.browser.conftest import ARTIFACTS, PASSWORD, log_in
from tests.browser.test_accessibility import check_page
from tests.factories import make_quote, make_release, make_staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def approved_pair():
    english = make_release(published=False, headline="Working Together to Keep Communities Safe")
    french = make_release(
        published=False,
        language="fr",
        headline="Travailler ensemble pour la sécurité de nos communautés",
        translation_group=english.translation_group,
    )
    for release in (english, french):
        publishing.submit_for_review(release=release, by=None)
    publishing.approve(release=english, by=None)
    return english, french


def test_publish_now_asks_on_a_page_that_shows_what_goes_public(
    browser, live_server, approved_pair
):
    english, french = approved_pair
    make_staff("Editors", username="editor", password=PASSWORD)
    page = log_in(browser, live_server.url, "editor")
    page.goto(live_server.url + f"/admin/releases/release/{english.pk}/change/")
    page.get_by_role("link", name="Publish now…").click()

    summary = page.locator(".workflow-summary")
    assert english.headline in summary.inner_text()
    assert f"French: “{french.headline}” — In review" in summary.inner_text()
    assert "UTC)" in summary.locator("dd").last.inner_text()
    assert "The French version is not published yet" in page.locator(".messagelist").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "publish-now-confirm-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "publish-now-confirm-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not Release.objects.published().exists()  # the page alone publishes nothing

    page.check("#id_accept_warnings")  # the checklist's warnings (no summary, no contact…)
    page.get_by_role("button", name="Publish now").click()
    page.wait_for_selector("text=Published. Readers can see it at")
    english.refresh_from_db()
    assert english.is_published
    assert live_server.url + english.get_absolute_url() in page.locator(".messagelist").inner_text()
    page.context.close()


def test_every_confirmation_page_is_accessible(browser, live_server, approved_pair):
    english, _french = approved_pair
    public = make_release(headline="Already Public")
    make_staff("Editors", username="editor", password=PASSWORD)
    page = log_in(browser, live_server.url, "editor")
    admin = live_server.url + "/admin/releases/release/"
    for url in (
        f"{admin}{english.pk}/publish-now/",
        f"{admin}{english.pk}/schedule/",
        f"{admin}{public.pk}/withdraw/",
        f"{admin}{public.pk}/unpublish/",
    ):
        check_page(page, url)
        assert page.locator(".workflow-summary").count() == 1, url
    page.context.close()


def test_adding_the_french_version_carries_over_quotes_and_images(browser, live_server):
    from releases.models import ReleaseImage
    from tests.factories import make_quote, make_spokesperson
    from tests.imagefiles import store_image

    english = make_release(published=False, headline="Police Week Opens")
    make_quote(english, spokesperson=make_spokesperson(name="Bryan Larkin"), text="We serve.")
    store_image(ReleaseImage, release=english, alt_text="Officers at a school")
    make_staff("Editors", username="editor", password=PASSWORD)
    page = log_in(browser, live_server.url, "editor")
    page.goto(live_server.url + f"/admin/releases/release/{english.pk}/change/")
    page.get_by_role("link", name="Add the version in French").click()
    page.screenshot(path=str(ARTIFACTS / "translate-confirm-1280.png"), full_page=True)
    page.get_by_role("button", name="Start the French version").click()
    page.wait_for_selector("text=The French version is started as a draft")

    french = Release.objects.get(language="fr")
    assert page.url.endswith(f"/admin/releases/release/{french.pk}/change/")
    assert page.is_checked("#id_needs_translation")
    assert page.input_value("#id_quotes-0-text") == "We serve."
    assert page.input_value("#id_images-0-alt_text") == "Officers at a school"
    page.screenshot(path=str(ARTIFACTS / "translate-started-1280.png"), full_page=True)
    page.context.close()


def test_an_outside_reviewer_asks_for_changes_from_the_preview(browser, live_server, screenshot):
    from releases.workflow.previews import token_for

    release = make_release(published=False, headline="Police Week Opens")
    link, _token = publishing.create_preview_link(
        release=release, by=None, reviewer="Legal: Jane Smith"
    )
    context = browser.new_context(viewport={"width": 390, "height": 844})
    reviewer = context.new_page()
    url = live_server.url + f"/preview/link/{token_for(link)}/"
    check_page(reviewer, url)
    reviewer.fill("#review-comment", "The ceremony is on May 12, not May 11.")
    reviewer.get_by_role("button", name="Ask for changes").click()
    reviewer.wait_for_selector(".review__verdicts")
    assert "Changes asked by an outside reviewer" in reviewer.inner_text(".review__verdicts")
    reviewer.screenshot(path=str(ARTIFACTS / "outside-review-390.png"), full_page=True)
    event = release.events.get(action="review-changes")
    assert event.note == "Legal: Jane Smith: The ceremony is on May 12, not May 11."
    # The newsroom edits the words: the reviewer's page says their answer was on earlier ones.
    make_quote(release, text="We will be there on May 12.")
    reviewer.reload()
    verdicts = reviewer.inner_text(".review__verdicts")
    assert "on earlier words: the release has changed since" in verdicts
    reviewer.screenshot(path=str(ARTIFACTS / "outside-review-outdated-390.png"), full_page=True)
    context.close()


def test_the_schedule_page_names_the_minute_in_the_zone_and_utc_as_it_is_typed(
    browser, live_server, approved_pair
):
    english, _french = approved_pair
    make_staff("Editors", username="editor", password=PASSWORD)
    page = log_in(browser, live_server.url, "editor")
    page.goto(live_server.url + f"/admin/releases/release/{english.pk}/schedule/")
    page.fill("#id_go_live", "2031-05-09T06:00")
    hint = page.locator(".schedule-time")
    assert "EDT" in hint.inner_text() and "(10:00 UTC)" in hint.inner_text()
    page.fill("#id_go_live", "2031-12-09T06:00")
    assert "EST" in hint.inner_text() and "(11:00 UTC)" in hint.inner_text()
    # A time the clocks skip names no minute: said as the server says it, not an hour off.
    page.fill("#id_go_live", "2031-03-09T02:30")
    assert hint.inner_text() == (
        "Sun, Mar 9, 2031, 02:30 does not exist in Eastern time (Toronto, Ottawa): the clocks "
        "jump forward an hour that night. Choose another time."
    )
    page.fill("#id_go_live", "2031-03-09T03:30")
    assert "EDT" in hint.inner_text() and "(07:30 UTC)" in hint.inner_text()
    page.screenshot(path=str(ARTIFACTS / "schedule-1280.png"), full_page=True)
    # Sent anyway: the server's refusal above the field is not repeated under it.
    page.fill("#id_go_live", "2031-03-09T02:30")
    page.get_by_role("button", name="Schedule").click()
    page.wait_for_selector(".errorlist")
    assert "does not exist" in page.inner_text(".errorlist")
    assert page.locator(".schedule-time").inner_text() == ""
    page.context.close()


def test_a_uk_desks_schedule_page_names_the_minute_in_british_english(
    browser, live_server, approved_pair, settings
):
    settings.ENGLISH_FORMATS = "en-GB"
    english, _french = approved_pair
    make_staff("Editors", username="editor", password=PASSWORD)
    page = log_in(browser, live_server.url, "editor")
    page.goto(live_server.url + f"/admin/releases/release/{english.pk}/schedule/")
    page.fill("#id_go_live", "2031-05-09T06:00")
    hint = page.locator(".schedule-time").inner_text()
    assert "9 May 2031" in hint and "EDT (10:00 UTC)" in hint, hint
    page.context.close()


def test_publishing_from_the_list_asks_on_one_page_with_the_warnings(browser, live_server):
    release = make_release(published=False, headline="Police Week Opens")
    publishing.submit_for_review(release=release, by=None)
    make_staff("Editors", username="editor", password=PASSWORD)
    page = log_in(browser, live_server.url, "editor")
    page.goto(live_server.url + "/admin/releases/release/")
    page.check(f"input[name=_selected_action][value='{release.pk}']")
    page.select_option("select[name=action]", "publish_now")
    page.click("button[name=index]")
    page.wait_for_selector("text=Publish these releases now?")
    assert "The release has no summary" in page.locator(".checklist").inner_text()
    page.screenshot(path=str(ARTIFACTS / "bulk-publish-1280.png"), full_page=True)
    assert not Release.objects.published().exists()
    page.check("#id_accept_warnings")
    page.get_by_role("button", name="Publish now").click()
    page.wait_for_selector("text=1 release(s) published.")
    assert Release.objects.published().filter(pk=release.pk).exists()
    page.context.close()
