"""An organisation chooses its colours in the admin, and a reader's Chromium draws the header,
the links and the badges' tints in them at once; a colour too light for the pale panels is
refused, naming the worst and its ratio."""

from datetime import date

import pytest
from django.contrib.auth.models import User

from tests.browser.conftest import PASSWORD, log_in
from tests.factories import make_campaign, make_organisation, make_release

pytestmark = pytest.mark.django_db(transaction=True)

DEFAULT_BRAND = "rgb(11, 61, 110)"
GREEN, GREEN_RGB = "#1b5e20", "rgb(27, 94, 32)"
GREEN_TINT_RGB = "rgb(228, 236, 228)"  # #e4ece4: releases.colours.tint_of(GREEN)
CLARET, CLARET_RGB = "#8e0000", "rgb(142, 0, 0)"


def colour_of(page, selector: str, prop: str) -> str:
    return page.locator(selector).first.evaluate(
        f"element => getComputedStyle(element).{prop}", None
    )


def test_colours_chosen_in_the_admin_show_on_the_public_site(page, browser, live_server):
    organisation = make_organisation()
    upcoming = make_campaign(start_date=date(2999, 5, 9), end_date=date(2999, 5, 15))
    make_release(headline="Police Week Opens", campaign=upcoming)
    User.objects.create_superuser("boss", "boss@example.org", PASSWORD)

    page.goto(live_server.url + "/en/")  # a reader, before the change (the page is cached)
    assert colour_of(page, ".site-header", "backgroundColor") == DEFAULT_BRAND
    assert colour_of(page, "main a", "color") == DEFAULT_BRAND

    admin = log_in(browser, live_server.url, "boss")
    admin.goto(f"{live_server.url}/admin/releases/organisation/{organisation.pk}/change/")
    admin.fill("#id_brand_colour", "#767676")  # 4.54:1 on white, too light on the panels
    admin.click("input[name=_save]")
    assert (
        "#767676 has a contrast ratio of 3.88:1 with the pale red of a cancelled event"
        in admin.locator(".errorlist").inner_text()
    )
    admin.fill("#id_brand_colour", GREEN)
    admin.fill("#id_accent_colour", CLARET)
    admin.click("input[name=_save]")
    admin.wait_for_url(f"**/admin/releases/organisation/{organisation.pk}/change/")
    assert "was changed successfully" in admin.locator(".messagelist").inner_text()
    admin.context.close()

    page.reload()
    assert colour_of(page, ".site-header", "backgroundColor") == GREEN_RGB
    assert colour_of(page, ".site-header", "color") == "rgb(255, 255, 255)"
    link = page.locator("main a").first
    assert colour_of(page, "main a", "color") == GREEN_RGB
    link.hover()
    assert colour_of(page, "main a", "color") == CLARET_RGB
    theme = page.locator('meta[name="theme-color"]').get_attribute("content")
    assert theme == GREEN

    page.goto(f"{live_server.url}/en/campaigns/{upcoming.slug}/")
    assert colour_of(page, ".badge--upcoming", "backgroundColor") == GREEN_TINT_RGB
    assert colour_of(page, ".badge--upcoming", "color") == GREEN_RGB


def test_the_live_preview_wears_the_organisations_colours(browser, live_server):
    from playwright.sync_api import expect

    make_organisation(brand_colour=GREEN)
    release = make_release(published=False, headline="Police Week")
    User.objects.create_superuser("boss", "boss@example.org", PASSWORD)
    admin = log_in(browser, live_server.url, "boss")
    admin.set_viewport_size({"width": 1600, "height": 1000})
    admin.goto(f"{live_server.url}/admin/releases/release/{release.pk}/change/")
    masthead = admin.locator(".live-preview__page .release__masthead")  # in its shadow root
    expect(masthead).to_have_css("border-bottom-color", GREEN_RGB)
    admin.context.close()
