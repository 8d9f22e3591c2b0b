"""The benchmark's fictional releases read like real ones: a headline fits its release's type,
and a French quote names its spokesperson as a French sentence does."""

import re
from collections import defaultdict

import pytest
from django.core.management import call_command

from releases.models import Quote, Release, ReleaseType, Spokesperson

pytestmark = pytest.mark.django_db

OPENINGS = {
    ReleaseType.MEDIA_ADVISORY: ("Media Advisory:", "Avis aux médias"),
    ReleaseType.STATEMENT: ("Statement on", "Déclaration sur"),
}


def test_seeded_headlines_agree_with_their_type_and_translations_share_it():
    call_command("seed_releases", count=120, verbosity=0)
    releases = list(Release.objects.all())
    for release in releases:
        for release_type, openings in OPENINGS.items():
            opens_so = release.headline.startswith(openings)
            assert opens_so == (release.release_type == release_type), release.headline
    types_by_group = defaultdict(set)
    for release in releases:
        types_by_group[release.translation_group].add(release.release_type)
    assert all(len(types) == 1 for types in types_by_group.values())
    assert {release.release_type for release in releases} == set(ReleaseType.values)


def test_seeded_french_headlines_give_each_topic_its_article():
    """« sur le recrutement », « sur les relations avec les Autochtones », « sur la santé
    mentale »: never « la recrutement » or « la relations avec les autochtones »."""
    call_command("seed_releases", count=600, verbosity=0)
    french = [r.headline for r in Release.objects.filter(language="fr")]
    assert any(" le recrutement" in headline for headline in french)
    assert any(" les relations avec les Autochtones" in headline for headline in french)
    assert any(" la santé mentale" in headline for headline in french)
    wrong = [
        headline
        for headline in french
        if re.search(r"\bla (recrutement|relations|services)\b|autochtones", headline)
    ]
    assert wrong == []


def test_seeded_french_quotes_say_le_chef_as_a_french_sentence_does():
    """« …, a déclaré le chef Alex Martin, président de l’Association de Lakeshore », as a quote
    typed in the admin reads; the English ones, “said Chief …, President of the …”."""
    call_command("seed_releases", count=120, verbosity=0)
    french = set(Quote.objects.filter(release__language="fr").values_list("attribution", flat=True))
    assert french and all(
        re.fullmatch(r"le chef (adjoint )?\w+ \w+, (vice-)?président de l’Association de \w+", a)
        for a in french
    ), french
    english = Quote.objects.filter(release__language="en").values_list("attribution", flat=True)
    assert all(re.match(r"(Deputy )?Chief \w+ \w+, (Vice-)?President of the ", a) for a in english)


def test_seeded_spokespeople_name_their_organisation_in_a_sentence():
    """As load_demo's do (migration 0034): their quotes are attributed from it, not from the
    guess made of the organisation's name when it is empty."""
    call_command("seed_releases", count=20, verbosity=0)
    people = Spokesperson.objects.values_list(
        "organisation_in_sentence_en", "organisation_in_sentence_fr"
    )
    assert set(people) == {
        ("the Lakeshore Association of Police Leaders", "l’Association de Lakeshore")
    }
    english = Quote.objects.filter(release__language="en").values_list("attribution", flat=True)
    assert english and all(
        a.endswith("President of the Lakeshore Association of Police Leaders") for a in english
    )
