"""A reader in Chromium: from the home page to the sample release and its quote."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)
DEMO_PATH = (
    "/en/releases/2021/05/09/national-police-week-working-together-to-keep-our-communities-safe/"
)


@pytest.fixture
def demo_site(live_server):
    call_command("load_demo", verbosity=0)
    return live_server.url


def test_reader_follows_the_sample_release_from_home_and_sees_the_quote(
    page, demo_site, screenshot
):
    page.goto(demo_site + "/")
    assert page.url.endswith("/en/")
    page.get_by_role(
        "link", name="National Police Week: Working Together to Keep Our Communities Safe"
    ).click()
    page.wait_for_url("**/en/releases/2021/05/09/*/")
    assert page.locator("h1").inner_text() == (
        "National Police Week: Working Together to Keep Our Communities Safe"
    )
    quote = page.locator("figure.quote")
    assert "Across the nation" in quote.locator("blockquote").inner_text()
    assert "Chief Bryan Larkin" in quote.locator("figcaption").inner_text()
    assert page.locator(".release__distribution").inner_text() == "FOR IMMEDIATE RELEASE"
    screenshot("release-desktop")

    quote.get_by_role("link").click()
    page.wait_for_url("**/en/spokespeople/bryan-larkin/")
    assert "Across the nation" in page.locator("main").inner_text()


def test_release_fits_a_phone_without_sideways_scrolling(page, demo_site, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(demo_site + DEMO_PATH)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390
    screenshot("release-phone")


def test_release_prints_without_site_chrome(page, demo_site):
    page.goto(demo_site + DEMO_PATH)
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert page.locator(".release__end-mark").is_visible()
