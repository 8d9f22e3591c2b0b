"""The staff's way in, in Chromium: sign-in and every step of the forgotten-password flow have
no axe-core or CSP violation and fit a 390 px phone."""

import re

import pytest
from django.core import mail

from tests.browser.test_accessibility import check_page
from tests.factories import make_organisation, make_staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server):
    make_organisation()
    make_staff("Editors", username="editor", email="editor@example.org")
    return live_server.url


def fits_a_phone(page):
    page.set_viewport_size({"width": 390, "height": 844})
    fits = page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})
    return fits


def test_sign_in_and_the_forgotten_password_flow_are_accessible(page, site, screenshot):
    check_page(page, site + "/admin/login/")
    assert (
        page.locator("#site-name")
        .inner_text()
        .startswith("Canadian Association of Chiefs of Police")
    )
    screenshot("login-1280")
    assert fits_a_phone(page)

    page.get_by_role("link", name="Forgotten your login credentials?").click()
    page.wait_for_url("**/password_reset/")
    check_page(page, page.url)
    screenshot("password-reset-1280")
    assert fits_a_phone(page)
    page.fill("#id_email", "editor@example.org")
    page.get_by_role("button", name="Reset my password").click()
    page.wait_for_url("**/password_reset/done/")
    check_page(page, page.url)
    assert fits_a_phone(page)

    link = re.search(r"https?://\S+/reset/\S+/", mail.outbox[0].body)[0]
    check_page(page, link)
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("password-new-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})
    page.fill("#id_new_password1", "a long and new passphrase 42")
    page.fill("#id_new_password2", "a long and new passphrase 42")
    page.get_by_role("button", name="Change my password").click()
    page.wait_for_url("**/reset/done/")
    check_page(page, page.url)
    assert fits_a_phone(page)
