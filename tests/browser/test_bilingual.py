"""A French reader and a bilingual editor in Chromium."""

import pytest
from django.core.management import call_command
from django.utils import translation

from releases.models import Organisation
from tests.browser.test_reading import DEMO_PATH
from tests.factories import make_campaign, make_release

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_site(live_server):
    call_command("load_demo", verbosity=0)
    return live_server.url


def test_a_reader_switches_to_french_and_finds_the_english_release(page, demo_site, screenshot):
    page.goto(demo_site + DEMO_PATH)
    page.locator(".language-switcher").get_by_role("link", name="Français").click()
    page.wait_for_url("**/fr/communiques/**")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == "Offert en anglais seulement"
    screenshot("releases-fr-english-only")
    page.get_by_role("link", name="Le lire en anglais").click()
    page.wait_for_url("**" + DEMO_PATH)
    assert "National Police Week" in page.locator("h1").inner_text()
    page.goto(demo_site + "/fr/communiques/")
    page.get_by_role("link", name="Voir les communiqués publiés en anglais").click()
    page.wait_for_url("**/en/releases/")
    assert "National Police Week" in page.locator("main").inner_text()


def test_an_editor_sees_both_languages_of_a_field_side_by_side(
    page, demo_site, admin_user, client, screenshot
):
    client.force_login(admin_user)
    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": demo_site}])
    organisation = Organisation.objects.get()
    page.goto(demo_site + f"/admin/releases/organisation/{organisation.pk}/change/")
    english = page.locator("#id_name_en").bounding_box()
    french = page.locator("#id_name_fr").bounding_box()
    assert abs(english["y"] - french["y"]) < 5 and french["x"] > english["x"] + english["width"]
    assert page.locator("label[for=id_name_fr]").inner_text().startswith("Name (français)")
    screenshot("admin-organisation-side-by-side")


def test_quotation_marks_follow_the_language_of_the_words(page, live_server):
    """A campaign's theme is quoted by the page (<q>): « Arrivez en vie » in French, with its
    no-break spaces, “Arrive alive” in English. The marks are the surrounding sentence's, not
    the quoted words': an English theme on a French page is in « », as French typography
    quotes foreign words."""
    campaign = make_campaign(theme_en="Arrive alive", theme_fr="Arrivez en vie cet hiver")
    make_release(campaign=campaign)
    other = make_campaign(theme_en="Working together")
    make_release(campaign=other)

    def marks(url: str) -> list[str]:
        page.goto(live_server.url + url)
        quotes = page.evaluate(
            "() => getComputedStyle(document.querySelector('.campaign-header__theme q')).quotes"
        )
        return quotes.split('" "')[:2]

    with translation.override("fr"):
        french, fallback = campaign.get_absolute_url(), other.get_absolute_url()
    assert marks(french) == ['"«\u00a0', "\u00a0»"]
    assert marks(campaign.get_absolute_url()) == ['"“', "”"]
    assert marks(fallback) == ['"«\u00a0', "\u00a0»"]
    assert page.locator(".campaign-header__theme q").get_attribute("lang") == "en"
