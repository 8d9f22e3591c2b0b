"""Search means the same on SQLite (the quick start) and PostgreSQL (production): the same
queries over the same releases give the same results in the same order.

The suite runs on one database per run, so the table in tests/search_cases.py is checked
on whichever runs; on PostgreSQL, a child process also builds the same releases in a fresh
SQLite database and its results must equal PostgreSQL's, query by query."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from releases.search.query import ReleaseFilters, find_releases
from tests import search_cases

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def cases():
    search_cases.build()
    return search_cases.run()


@pytest.mark.parametrize(("language", "query"), list(search_cases.CASES))
def test_each_query_finds_the_expected_releases_in_order(cases, language, query):
    assert cases[f"{language}:{query}"] == search_cases.CASES[(language, query)]


@pytest.mark.postgres
def test_sqlite_gives_the_same_results_as_postgresql(cases, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tests.search_cases", str(tmp_path / "parity.sqlite3")],
        cwd=ROOT,
        env=os.environ | {"DATABASE_URL": f"sqlite:///{tmp_path / 'parity.sqlite3'}"},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    on_sqlite = json.loads(result.stdout)
    assert connection.vendor == "postgresql"
    assert on_sqlite == cases


DEMO_QUERIES = [
    "Larkin",
    "Bryan Larkin",
    "Chief",
    "Ottawa",
    "chiefs of police",
    "week police",
    "partnering",
    "Police-Week",
    "COMMUNITIES",
]


@pytest.mark.parametrize("query", DEMO_QUERIES)
def test_the_demo_release_is_found_by_its_people_places_and_other_forms_of_its_words(query):
    call_command("load_demo", verbosity=0)
    found = find_releases(ReleaseFilters(language="en", query=query))
    assert [release.slug for release in found] == [
        "national-police-week-working-together-to-keep-our-communities-safe"
    ]


def test_results_mark_the_matching_words_in_the_headline_and_snippet(cases):
    (release,) = find_releases(ReleaseFilters(language="fr", query="securite policiere"))
    assert release.headline_highlighted.count("\x02") == 0  # "Rapport annuel"
    assert "\x02sécurité\x03 routière" in release.snippet
    assert "\x02policières\x03" in release.snippet


def test_a_deleted_release_leaves_the_index(cases):
    from releases.models import Release

    Release.objects.filter(slug="police-week").get().delete()
    assert search_cases.run()["en:partnering"] == []
