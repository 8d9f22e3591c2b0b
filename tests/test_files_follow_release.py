"""Files follow their release: taken down with it, and never cached for good while it is fresh
(a release is most often taken down in its first days, and a CDN cannot be told)."""

from datetime import timedelta

import pytest
import time_machine

from releases.media.files import FRESH_RELEASE
from releases.models import ReleaseImage
from releases.workflow import publishing
from tests.factories import make_release
from tests.imagefiles import store_document, store_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def release_with_files(now):
    release = make_release(publish_at=now - timedelta(hours=1))
    image = store_image(ReleaseImage, release=release, alt_text="Lead")
    document = store_document(release, title="Fact sheet")
    return release, [image.src, image.original_url, document.get_absolute_url()]


def test_no_file_of_a_fresh_release_is_cached_immutable(client, release_with_files, now):
    release, urls = release_with_files
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "immutable" not in response["Cache-Control"], url
        assert "max-age=300" in response["Cache-Control"], url
    with time_machine.travel(release.publish_at + FRESH_RELEASE + timedelta(minutes=1)):
        rendition = client.get(urls[0])
    assert rendition["Cache-Control"] == "public, max-age=31536000, immutable"


@pytest.mark.parametrize("take_down", ["unpublish", "withdraw-then-unpublish"])
def test_files_of_a_release_taken_down_as_published_in_error_are_no_longer_served(
    client, release_with_files, take_down
):
    release, urls = release_with_files
    for url in urls:
        assert client.get(url).status_code == 200, url
    if take_down == "withdraw-then-unpublish":
        release = publishing.withdraw(release=release, by=None, reason="Wrong figures.")
    publishing.unpublish(release=release, by=None, note="Published in error.")
    for url in urls + [release.get_press_kit_url()]:
        assert client.get(url).status_code == 404, url
