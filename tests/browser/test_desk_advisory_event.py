"""In Chromium: the release form shows its Event section as soon as the type chosen is a media
advisory, saved or not, and hides it from other types unless it holds an event."""

import pytest

from releases.models import ReleaseType
from tests.browser.conftest import PASSWORD, sign_in
from tests.factories import make_advisory, make_staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def author_page(page, live_server):
    make_staff("Authors", username="author", password=PASSWORD)
    return sign_in(page, live_server.url, "author")


def test_the_event_section_follows_the_type_chosen(author_page, live_server):
    author_page.goto(live_server.url + "/admin/releases/release/add/")
    section = author_page.locator("#advisory_event-group")
    section.wait_for(state="attached")
    assert not section.is_visible()

    author_page.select_option("#id_release_type", ReleaseType.MEDIA_ADVISORY)
    assert section.is_visible()
    section.locator(".add-row a").click()
    zone = author_page.locator("#id_advisory_event-0-time_zone")
    assert zone.is_visible()
    # The copy of the empty form keeps the zones, their groups and the newsroom's own chosen.
    assert zone.input_value() == "America/Toronto"
    assert zone.locator("optgroup").count() == 2
    assert zone.locator("option").count() > 400

    # An event typed before the type changes stays in sight: the server says why it refuses it.
    author_page.select_option("#id_release_type", ReleaseType.NEWS_RELEASE)
    assert section.is_visible()


def test_a_saved_event_stays_in_sight_to_be_removed_on_another_type(author_page, live_server):
    advisory = make_advisory(published=False)
    author_page.goto(live_server.url + f"/admin/releases/release/{advisory.pk}/change/")
    section = author_page.locator("#advisory_event-group")
    assert section.is_visible()
    author_page.select_option("#id_release_type", ReleaseType.NEWS_RELEASE)
    assert section.is_visible()
