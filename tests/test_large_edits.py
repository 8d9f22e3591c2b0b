"""Edits of what thousands of releases show (a spokesperson quoted in each, a campaign): only
what changes is done again, in statements short enough for the web server's statement timeout,
and the slowest part (rendering the bodies again) in the background."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from releases.models import Release, RenderedBody
from releases.public import bodies
from releases.search import fts
from releases.search import index as search_index
from tests.alerts.support import run_tasks
from tests.factories import (
    make_campaign,
    make_organisation,
    make_quote,
    make_release,
    make_spokesperson,
)

pytestmark = pytest.mark.django_db

QUOTING = 5


@pytest.fixture
def quoted_often():
    """A spokesperson quoted in ``QUOTING`` releases of one campaign."""
    make_organisation()
    campaign = make_campaign(name_en="National Police Week")
    person = make_spokesperson(name="Bryan Larkin", slug="bryan-larkin")
    for number in range(QUOTING):
        release = make_release(headline=f"Release {number}", campaign=campaign)
        make_quote(release, spokesperson=person, text="Communities are safer together.")
    return person


def found(client, words: str) -> set[str]:
    with translation.override("en"):
        response = client.get(reverse("releases:search"), {"q": words})
    return {release.headline for release in response.context["releases"]}


def release_writes(queries) -> list[str]:
    """The statements that re-indexed releases or stored their bodies."""
    writes = (
        "UPDATE releases_release AS r",  # releases.search.index (PostgreSQL)
        f"INSERT INTO {fts.TABLE}",  # releases.search.fts (SQLite)
        'INSERT INTO "releases_renderedbody"',
    )
    return [q["sql"] for q in queries.captured_queries if any(w in q["sql"] for w in writes)]


def test_an_edit_that_changes_nothing_its_releases_show_rewrites_none_of_them(quoted_often):
    quoted_often.bio = "Chief of the Durham Regional Police Service."
    campaign = Release.objects.first().campaign
    campaign.description_en = "A week of open houses."
    with CaptureQueriesContext(connection) as queries:
        quoted_often.save()
        campaign.save()
    assert release_writes(queries) == []


def test_a_rename_reindexes_every_quoting_release_a_few_at_a_time(
    client, quoted_often, monkeypatch
):
    monkeypatch.setattr(search_index, "REFRESH_BATCH", 2)
    assert found(client, "smith") == set()
    quoted_often.name = "Bryan Smith"
    with CaptureQueriesContext(connection) as queries:
        quoted_often.save()
    if connection.vendor == "postgresql":  # each statement re-indexes two releases at most
        assert len(release_writes(queries)) == 3
    assert found(client, "smith") == {f"Release {n}" for n in range(QUOTING)}


def test_a_campaign_renamed_is_found_by_its_new_name(client, quoted_often):
    campaign = Release.objects.first().campaign
    campaign.name_en = "Crime Prevention Week"
    campaign.save()
    assert found(client, "prevention") == {f"Release {n}" for n in range(QUOTING)}


def test_a_new_address_for_a_spokesperson_renders_the_bodies_again_in_the_background(
    client, quoted_often
):
    release = Release.objects.first()
    quoted_often.slug = "chief-larkin"
    with CaptureQueriesContext(connection) as queries:
        quoted_often.save()
    assert release_writes(queries) == []
    # Outdated, not rendered in the request: the pages render them as they are read.
    outdated = bodies.bodies_to_render(Release.objects.all(), outdated_only=True)
    assert outdated.count() == QUOTING
    assert 'href="/en/spokespeople/chief-larkin/"' in client.get(release.get_absolute_url()).text
    assert run_tasks() == 1  # once committed (run_tasks runs what the commit would)
    assert not outdated.exists()
    for stored in RenderedBody.objects.select_related("release"):
        assert "/en/spokespeople/chief-larkin/" in stored.html
        assert stored.fingerprint == bodies.fingerprint(
            Release.objects.prefetch_related("quotes__spokesperson").get(pk=stored.release_id)
        )
