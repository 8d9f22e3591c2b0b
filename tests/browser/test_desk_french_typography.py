"""The French desk in Chromium: the schedule page's preview writes the minute as the rest of the
French admin does."""

import pytest

from releases.models import Release
from releases.workflow import publishing
from tests.browser.conftest import ARTIFACTS, PASSWORD, sign_in
from tests.factories import make_release, make_staff

pytestmark = pytest.mark.django_db(transaction=True)

NBSP = "\u00a0"


def desk_page(browser, live_server, language: str):
    """A signed-in editor's page at 1280 px whose browser asks for ``language``."""
    locale = {"en": "en-CA", "fr": "fr-CA"}[language]
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    return sign_in(context.new_page(), live_server.url, "editor")


@pytest.fixture
def approved():
    release = make_release(published=False, headline="National Police Week")
    publishing.submit_for_review(release=release, by=None)
    publishing.approve(release=release, by=None)
    return release


def test_the_schedule_preview_writes_the_minute_as_the_french_desk_does(
    browser, live_server, approved
):
    make_staff("Editors", username="editor", password=PASSWORD)
    page = desk_page(browser, live_server, "fr")
    page.goto(live_server.url + f"/admin/releases/release/{approved.pk}/schedule/")
    hint = page.locator(".schedule-time")
    page.fill("#id_go_live", "2027-11-07T01:30")
    assert hint.inner_text() == (
        f"Devient public{NBSP}: dimanche 7 novembre 2027, 1{NBSP}h{NBSP}30 HAE "
        f"(5{NBSP}h{NBSP}30 UTC)"
    )
    page.fill("#id_go_live", "2031-12-01T09:05")
    assert hint.inner_text() == (
        f"Devient public{NBSP}: lundi 1er décembre 2031, 9{NBSP}h{NBSP}05 HNE "
        f"(14{NBSP}h{NBSP}05 UTC)"
    )
    page.fill("#id_go_live", "2027-03-14T02:30")
    assert hint.inner_text().startswith(
        f"Le dimanche 14 mars 2027 à 2{NBSP}h{NBSP}30 n’existe pas dans le fuseau America/Toronto"
    )
    page.screenshot(path=str(ARTIFACTS / "schedule-fr-1280.png"), full_page=True)
    assert Release.objects.get(pk=approved.pk).publish_at is None
    page.context.close()
