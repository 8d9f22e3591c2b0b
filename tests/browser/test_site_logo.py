"""The logo an organisation uploads shows in the site's header, beside its name, on a desktop
and on a phone; without one, the header names it in words alone, as before."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from tests.browser.conftest import ARTIFACTS
from tests.factories import make_organisation, make_release
from tests.imagefiles import png_bytes

pytestmark = pytest.mark.django_db(transaction=True)

NAME = "Canadian Association of Chiefs of Police"


def logo_png() -> bytes:
    """A shield in gold and navy on a transparent square, as logos are uploaded."""
    image = Image.new("RGBA", (600, 600), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.polygon([(80, 60), (520, 60), (520, 330), (300, 560), (80, 330)], fill=(11, 40, 90))
    draw.polygon([(140, 120), (460, 120), (460, 310), (300, 480), (140, 310)], fill=(212, 160, 23))
    return png_bytes(image)


def with_logo():
    organisation = make_organisation()
    organisation.logo = SimpleUploadedFile("logo.png", logo_png(), content_type="image/png")
    organisation.save()
    return organisation


def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def header_logo(page):
    return page.locator(".site-header img")


@pytest.mark.parametrize("width", [1280, 375])
def test_the_uploaded_logo_shows_in_the_header_beside_the_name(browser, live_server, width):
    with_logo()
    release = make_release(headline="Police Week Opens")
    context = browser.new_context(locale="en-CA", viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        page.goto(live_server.url + release.get_absolute_url())
        page.screenshot(path=str(artifacts() / f"site-logo-{width}.png"))
        logo = header_logo(page)
        assert logo.count() == 1
        assert logo.is_visible()
        loaded = logo.evaluate("img => img.complete && img.naturalWidth")
        assert loaded >= 2 * int(logo.get_attribute("width"))  # sharp on a phone's screen
        box = logo.bounding_box()
        assert 32 <= box["height"] <= 56 and box["width"] == box["height"]
        # The header's link still says who it is, once: the logo beside it is not read twice.
        brand = page.get_by_role("link", name=f"{NAME} Newsroom", exact=True)
        assert brand.count() == 1
        header = page.locator(".site-header").bounding_box()
        assert header["height"] < (140 if width < 500 else 100)
        # On paper, the release's letterhead carries the logo above the name, the header none.
        assert not page.locator(".release__logo").is_visible()
        page.emulate_media(media="print")
        page.screenshot(path=str(artifacts() / f"site-logo-{width}-print.png"))
        assert not logo.is_visible()
        letterhead = page.locator(".release__logo")
        assert letterhead.is_visible()
        assert letterhead.get_attribute("src") == logo.get_attribute("src")
        assert page.locator(".release__organisation").inner_text() == NAME
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_without_a_logo_the_header_names_the_organisation_in_words(browser, live_server, width):
    make_organisation()
    context = browser.new_context(locale="en-CA", viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/en/")
        page.screenshot(path=str(artifacts() / f"site-no-logo-{width}.png"))
        assert header_logo(page).count() == 0
        assert page.get_by_role("link", name=f"{NAME} Newsroom", exact=True).count() == 1
    finally:
        context.close()
