"""The French desk in Chromium: the release list fits a 1280 px screen in both languages, and
the schedule page's preview writes the minute as the rest of the French admin does."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from releases.models import Release, ReleaseType
from releases.workflow import publishing
from tests.browser.conftest import ARTIFACTS, PASSWORD, sign_in
from tests.factories import make_campaign, make_release, make_staff

pytestmark = pytest.mark.django_db(transaction=True)

NBSP = "\u00a0"


def desk_page(browser, live_server, language: str):
    """A signed-in editor's page at 1280 px whose browser asks for ``language``."""
    locale = {"en": "en-CA", "fr": "fr-CA"}[language]
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    return sign_in(context.new_page(), live_server.url, "editor")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_release_list_fits_a_1280_px_screen_in_both_languages(browser, live_server, language):
    call_command("load_demo", verbosity=0)
    campaign = make_campaign(name_en="Community Safety and Well-being Awareness Month")
    for n, release_type in enumerate(ReleaseType):
        english = make_release(
            headline=f"Working Together to Keep Communities Safe Across the Country, Part {n}",
            release_type=release_type,
            campaign=campaign,
            publish_at=timezone.now() + timedelta(days=n + 1),
        )
        make_release(
            published=False,
            language="fr",
            headline=f"Travailler ensemble pour la sécurité de nos communautés, partie {n}",
            release_type=release_type,
            translation_group=english.translation_group,
            campaign=campaign,
        )
    make_staff("Editors", username="editor", password=PASSWORD)
    page = desk_page(browser, live_server, language)
    page.goto(live_server.url + "/admin/releases/release/")
    headers = page.locator("#result_list thead th").all_inner_texts()
    # The list scrolls sideways inside its box rather than widen the page: what is past the
    # box's right edge is hidden until one scrolls, and nobody does.
    box = page.evaluate(
        "(() => { const box = document.querySelector('#changelist .results');"
        " return {right: box.getBoundingClientRect().right, scroll: box.scrollWidth,"
        " client: box.clientWidth}; })()"
    )
    right = page.evaluate(
        "Math.max(...[...document.querySelectorAll('#result_list th, #result_list td')]"
        ".map(cell => cell.getBoundingClientRect().right))"
    )
    page.screenshot(path=str(ARTIFACTS / f"release-list-{language}-1280.png"), full_page=True)
    assert box["scroll"] <= box["client"] and right <= box["right"] + 0.5, (headers, box, right)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    names = {"en": ("LANGUAGE", "PUBLIC", "STATUS"), "fr": ("LANGUE", "PUBLIC", "STATUT")}
    assert all(name in [h.strip().upper() for h in headers] for name in names[language])
    page.context.close()


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
        f"Le dimanche 14 mars 2027 à 2{NBSP}h{NBSP}30 n’existe pas à l’heure de l’Est "
        "(Toronto, Ottawa)"
    )
    page.screenshot(path=str(ARTIFACTS / "schedule-fr-1280.png"), full_page=True)
    assert Release.objects.get(pk=approved.pk).publish_at is None
    page.context.close()
