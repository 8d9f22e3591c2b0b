"""How a release names the organisation inside a sentence, as its boilerplate's heading does:
“About the Canadian Association of Chiefs of Police”, “About Shelter”, « À propos de
l’Association canadienne des chefs de police ». Whether English takes “the” is the
organisation's data, typed in each language, never guessed; left empty, the name is used as
it always was."""

import json
import re
from html import unescape

import pytest
from django.core.management import call_command
from django.urls import reverse

from releases.models import Organisation
from tests.factories import make_organisation, make_release

pytestmark = pytest.mark.django_db

NAME_EN = "Canadian Association of Chiefs of Police"
NAME_FR = "Association canadienne des chefs de police"


def about_heading(html: str) -> str:
    """The text of the heading that names the boilerplate's section (its accessible name)."""
    section = re.search(r'<section class="release__boilerplate" aria-labelledby="([^"]+)"', html)
    assert section, "no boilerplate section"
    heading = re.search(rf'<h2 id="{section.group(1)}">(.*?)</h2>', html, re.S)
    return unescape(heading.group(1)).strip()


def text_version(client, release) -> str:
    return client.get(release.get_absolute_url().rstrip("/") + ".txt").text


def ninjs_boilerplate(client, release) -> str:
    address = release.get_absolute_url().rstrip("/") + ".ninjs.json"
    document = json.loads(client.get(address).content)
    return next(body["value"] for body in document["bodies"] if body["role"] == "boilerplate")


def test_english_reads_about_the_organisation_with_the_article_it_is_given(client):
    make_organisation(name_in_sentence_en=f"the {NAME_EN}")
    release = make_release()
    about = f"About the {NAME_EN}"
    assert about_heading(client.get(release.get_absolute_url()).text) == about
    assert f"{about}\nThe association represents police leaders." in text_version(client, release)
    assert ninjs_boilerplate(client, release).startswith(f"{about}\n\n")


def test_a_name_typed_without_an_article_reads_as_typed(client):
    make_organisation(name_en="Shelter", name_in_sentence_en="Shelter")
    release = make_release()
    assert about_heading(client.get(release.get_absolute_url()).text) == "About Shelter"


def test_french_puts_de_before_the_name_typed_with_its_article(client):
    make_organisation(
        name_in_sentence_en=f"the {NAME_EN}",
        name_in_sentence_fr="le Service de police de la Ville de Lévis",
        boilerplate_fr="Le Service protège la population.",
    )
    release = make_release(language="fr", headline="Travailler ensemble", slug="travailler")
    about = "À propos du Service de police de la Ville de Lévis"
    assert about_heading(client.get(release.get_absolute_url()).text) == about
    assert f"{about}\nLe Service protège la population." in text_version(client, release)


def test_left_empty_a_language_reads_the_name_as_before_never_the_other_languages(client):
    """English says “About Canadian …” as it always did; French guesses « de l’… » from its
    name and never borrows the English “the …”."""
    make_organisation(name_in_sentence_en=f"the {NAME_EN}", boilerplate_fr="L’association…")
    french = make_release(language="fr", headline="Travailler ensemble", slug="travailler")
    assert about_heading(client.get(french.get_absolute_url()).text) == f"À propos de l’{NAME_FR}"
    Organisation.objects.update(name_in_sentence_en="")
    english = make_release()
    assert about_heading(client.get(english.get_absolute_url()).text) == f"About {NAME_EN}"


def test_the_admin_asks_for_the_name_in_a_sentence_in_each_language(client, admin_user):
    client.force_login(admin_user)
    html = unescape(client.get(reverse("admin:releases_organisation_add")).text)
    assert 'name="name_in_sentence_en"' in html
    assert 'name="name_in_sentence_fr"' in html
    assert "“the Canadian Association of Chiefs of Police”, “Shelter”" in html
    assert "«\u00a0l’Association canadienne des chefs de police\u00a0»" in html
    french = unescape(
        client.get(reverse("admin:releases_organisation_add"), HTTP_ACCEPT_LANGUAGE="fr").text
    )
    assert "Nom dans une phrase (français)" in french


def test_the_demo_names_its_organisation_in_a_sentence_as_the_release_does():
    """The seed's release says “President of the Canadian Association of Chiefs of Police”."""
    call_command("load_demo", verbosity=0)
    organisation = Organisation.objects.get()
    assert organisation.name_in_sentence_en == f"the {NAME_EN}"
    assert organisation.name_in_sentence_fr == f"l’{NAME_FR}"
