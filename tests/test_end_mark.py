"""What ends a release is its language's: “ENDS” for an English release of a UK charity, « FIN »
for a French one, on the page, in the feeds and in the wire text."""

from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from tests.factories import make_organisation, make_release

pytestmark = pytest.mark.django_db

MIGRATION = "0033_translated_end_mark"


@pytest.fixture
def releases():
    make_organisation(end_mark_en="ENDS", end_mark_fr="FIN")
    return {
        "en": make_release(headline="Food bank opens", language="en"),
        "fr": make_release(headline="La banque alimentaire ouvre", language="fr"),
    }


def end_mark_of(html: str) -> str:
    return html.split('<p class="release__end-mark">', 1)[1].split("</p>", 1)[0]


@pytest.mark.parametrize("language, mark", [("en", "ENDS"), ("fr", "FIN")])
def test_a_release_ends_with_its_languages_mark(client, releases, language, mark):
    release = releases[language]

    page = client.get(release.get_absolute_url()).text
    text = client.get(release.get_absolute_url().rstrip("/") + ".txt").text
    feed = client.get(
        {"en": "/en/feeds/releases.atom", "fr": "/fr/fils/communiques.atom"}[language]
    )

    assert end_mark_of(page) == mark
    assert f"\n{mark}\n" in text and "-30-" not in text
    assert f"&lt;p&gt;{mark}&lt;/p&gt;" in feed.text and "-30-" not in feed.text


def test_a_language_without_its_own_mark_takes_the_default_languages(client):
    make_organisation(end_mark_en="ENDS", end_mark_fr="")
    release = make_release(language="fr")
    assert end_mark_of(client.get(release.get_absolute_url()).text) == "ENDS"


def test_the_migration_keeps_the_one_mark_there_was_in_each_language():
    """« -30- » marks a French release too: the mark there was is each language's."""
    migration = import_module(f"releases.migrations.{MIGRATION}")
    apps = MigrationLoader(connection).project_state(("releases", MIGRATION)).apps
    organisation = make_organisation()
    apps.get_model("releases", "Organisation").objects.filter(pk=organisation.pk).update(
        end_mark="###", end_mark_en=None, end_mark_fr=None
    )

    migration.keep_the_mark_in_both_languages(apps, None)

    organisation.refresh_from_db()
    assert (organisation.end_mark_en, organisation.end_mark_fr) == ("###", "###")
