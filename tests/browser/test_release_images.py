"""A reader on a phone and on a desktop sees the release's photos, sized for the screen."""

import pytest
from django.core.management import call_command

from releases.models import Release, ReleaseImage
from tests.imagefiles import jpeg_bytes, photo, store_document, store_image

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def release_with_photos(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", verbosity=0)
    release = Release.objects.get()
    store_image(
        ReleaseImage,
        release=release,
        data=jpeg_bytes(photo(2000, 1200), gps=True),
        alt_text="Officers and students at a community event",
        caption="Officers meet students during National Police Week.",
        credit="CACP",
    )
    for position in range(1, 4):
        store_image(
            ReleaseImage,
            release=release,
            position=position,
            data=jpeg_bytes(photo(1200, 800)),
            alt_text=f"Gallery photo {position}",
            caption=f"Gallery photo {position}",
        )
    store_document(release, title="Fact sheet")
    return live_server.url + release.get_absolute_url()


CUMULATIVE_LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 300);
})"""


def test_a_phone_gets_the_small_webp_and_nothing_shifts_as_images_load(
    browser, release_with_photos
):
    context = browser.new_context(
        locale="en-CA", viewport={"width": 390, "height": 844}, device_scale_factor=1
    )
    page = context.new_page()
    page.goto(release_with_photos)
    lead = page.locator(".release__lead-image img")
    lead.evaluate("img => img.decode()")
    current = lead.evaluate("img => img.currentSrc")
    assert current.endswith(".webp") and "/rendition-400." in current
    assert lead.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.evaluate(CUMULATIVE_LAYOUT_SHIFT) < 0.01
    gallery = page.locator(".gallery img")
    assert gallery.count() == 3
    assert gallery.first.get_attribute("loading") == "lazy"
    page.screenshot(path=_artifact("release-images-phone"), full_page=True)
    context.close()


def test_a_desktop_reader_sees_the_lead_photo_gallery_documents_and_press_kit(
    page, release_with_photos, screenshot
):
    page.goto(release_with_photos)
    lead = page.locator(".release__lead-image img")
    lead.evaluate("img => img.decode()")
    assert lead.evaluate("img => img.currentSrc").endswith(".webp")
    assert "Photo: CACP" in page.locator(".release__lead-image figcaption").inner_text()
    page.locator(".gallery").scroll_into_view_if_needed()
    page.locator(".gallery img").last.evaluate("img => img.decode()")
    assert page.get_by_role("link", name="Fact sheet").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download press kit").click()
    assert download.value.suggested_filename.endswith("-press-kit.zip")
    screenshot("release-images-desktop")


def _artifact(name):
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    return str(ARTIFACTS / f"{name}.png")
