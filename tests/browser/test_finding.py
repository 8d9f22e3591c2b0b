"""A journalist in Chromium: searches, narrows by a facet, removes the filter."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from releases.models import ReleaseType
from tests.factories import make_release

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server):
    call_command("load_demo", verbosity=0)
    may_2022 = datetime(2022, 5, 9, 10, tzinfo=ZoneInfo("America/Toronto"))
    make_release(
        headline="Statement on Police Partnerships",
        body="<p>Police and partners work together on harm reduction.</p>",
        release_type=ReleaseType.STATEMENT,
        publish_at=may_2022,
    )
    make_release(headline="Budget Priorities", body="<p>Nothing about that.</p>")
    return live_server.url


def test_journalist_searches_narrows_by_type_and_removes_the_filter(page, site, screenshot):
    page.goto(site + "/en/")
    page.get_by_role("link", name="Search", exact=True).click()
    page.get_by_label("Words to look for").fill("police")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/en/search/?q=police")
    results = page.locator(".search-results article")
    assert results.count() == 2
    assert (
        "2 releases containing “\u2068police\u2069”"
        in page.locator(".finder__sentence").inner_text()
    )
    screenshot("search-results")

    page.locator(".facets").get_by_role("link", name="Statement").click()
    page.wait_for_url("**/en/search/?q=police&type=statement")
    assert results.count() == 1
    assert (
        "1 statement containing “\u2068police\u2069”"
        in page.locator(".finder__sentence").inner_text()
    )
    screenshot("search-filtered")

    page.locator(".active-filters").get_by_role("link", name="Type: Statement").click()
    page.wait_for_url("**/en/search/?q=police")
    assert results.count() == 2
