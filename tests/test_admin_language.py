"""Staff choose the admin's language themselves: a French-speaking officer on an English
workstation (the browser sends English) works in French, and the choice stays."""

import re

import pytest
from django.urls import reverse

from releases.models import Release
from tests.factories import make_organisation, make_staff, release_admin_form

pytestmark = pytest.mark.django_db
ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-CA,en;q=0.9"}


@pytest.fixture(autouse=True)
def organisation():
    return make_organisation()


def switch_form(html: str) -> str:
    found = re.search(r'<form[^>]*class="admin-language"[^>]*>.*?</form>', html, re.S)
    assert found, "no language switch"
    return found.group(0)


def test_an_english_browser_can_switch_the_admin_to_french_and_it_stays(client):
    client.force_login(make_staff("Editors"))
    page = client.get(reverse("admin:index"), **ENGLISH_BROWSER).text
    assert '<html lang="en"' in page
    form = switch_form(page)
    assert 'name="csrfmiddlewaretoken"' in form
    french = r'<button[^>]*name="language"[^>]*value="fr"[^>]*lang="fr"[^>]*>Français'
    assert re.search(french, form)
    change_list = reverse("admin:releases_release_changelist")
    response = client.post(
        reverse("admin-language"), {"language": "fr", "next": change_list}, **ENGLISH_BROWSER
    )
    assert response.status_code == 302 and response.url == change_list
    page = client.get(change_list, **ENGLISH_BROWSER).text
    assert '<html lang="fr"' in page and "Communiqués" in page
    # Every later page too, and the way back names English in English.
    page = client.get(reverse("admin:index"), **ENGLISH_BROWSER).text
    assert '<html lang="fr"' in page
    assert re.search(r'value="en"[^>]*lang="en"[^>]*>English', switch_form(page))


def test_the_sign_in_page_offers_the_switch_too(client):
    page = client.get(reverse("admin:login"), **ENGLISH_BROWSER).text
    assert 'value="fr"' in switch_form(page)
    client.post(reverse("admin-language"), {"language": "fr", "next": reverse("admin:login")})
    assert '<html lang="fr"' in client.get(reverse("admin:login"), **ENGLISH_BROWSER).text


@pytest.mark.parametrize(
    ("data", "goes_to"),
    [
        ({"language": "de", "next": "/admin/"}, "/admin/"),
        ({"language": "fr", "next": "https://attacker.example/"}, "/"),
        ({"language": "fr", "next": "//attacker.example/"}, "/"),
        ({"language": "", "next": ""}, "/"),
    ],
)
def test_a_bad_choice_changes_nothing_and_never_leaves_the_site(client, data, goes_to):
    response = client.post(reverse("admin-language"), data)
    assert response.status_code == 302 and response.url == goes_to
    if data["language"] != "fr":
        assert '<html lang="en"' in client.get(reverse("admin:login"), **ENGLISH_BROWSER).text


def chosen_language(html: str) -> str:
    select = re.search(r'<select name="language"[^>]*>.*?</select>', html, re.S).group(0)
    return re.search(r'<option value="(\w+)" selected>', select).group(1)


@pytest.mark.parametrize("admin_language", ["en", "fr"])
def test_a_new_release_starts_in_the_language_the_admin_speaks(client, admin_language):
    client.force_login(make_staff("Editors"))
    client.cookies["django_language"] = admin_language
    add = reverse("admin:releases_release_add")
    assert chosen_language(client.get(add, **ENGLISH_BROWSER).text) == admin_language
    # A link that names the language (“Add the French version”) still decides.
    other = "en" if admin_language == "fr" else "fr"
    assert chosen_language(client.get(f"{add}?language={other}").text) == other


def test_an_empty_web_address_is_made_from_the_headline_as_its_help_says(client):
    client.force_login(make_staff("Editors"))
    response = client.post(
        reverse("admin:releases_release_add"),
        release_admin_form(headline="Sécurité routière : la police rappelle les règles", slug=""),
    )
    assert response.status_code == 302, response.text
    assert Release.objects.get().slug == "securite-routiere-la-police-rappelle-les-regles"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_web_address_with_other_signs_is_refused_in_the_words_of_its_help(client, language):
    client.force_login(make_staff("Editors"))
    client.cookies["django_language"] = language
    response = client.post(
        reverse("admin:releases_release_add"), release_admin_form(slug="police week!")
    )
    assert response.status_code == 200
    said = {
        "en": "Use only lowercase letters, numbers and hyphens, e.g. national-police-week.",
        "fr": "N’utilisez que des minuscules, des chiffres et des traits d’union, "
        "p.\u00a0ex. semaine-de-la-police.",
    }
    assert said[language] in response.text
    assert not Release.objects.exists()


def test_capitals_in_a_web_address_are_lowered_not_refused(client):
    client.force_login(make_staff("Editors"))
    client.post(reverse("admin:releases_release_add"), release_admin_form(slug="Police-Week"))
    assert Release.objects.get().slug == "police-week"


def test_an_underscore_is_refused_as_the_help_says(client):
    client.force_login(make_staff("Editors"))
    response = client.post(
        reverse("admin:releases_release_add"), release_admin_form(slug="police_week")
    )
    assert "Use only lowercase letters, numbers and hyphens" in response.text
    assert not Release.objects.exists()


def test_a_headline_without_latin_letters_asks_for_a_web_address(client):
    """Inuktitut syllabics make no address: the form says so, not “cannot be blank”."""
    client.force_login(make_staff("Editors"))
    response = client.post(
        reverse("admin:releases_release_add"), release_admin_form(headline="ᐅᖃᐅᓯᖅ", slug="")
    )
    assert "The headline has no letters a web address can be made from" in response.text
    assert not Release.objects.exists()


def test_the_choice_is_the_admins_alone(client, settings):
    """The public site's “/” still follows the reader's browser."""
    response = client.post(reverse("admin-language"), {"language": "fr", "next": "/admin/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie["path"] == f"/{settings.ADMIN_URL}"
    assert cookie["samesite"] == "Lax"
