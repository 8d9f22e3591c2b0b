"""Edits of what thousands of releases show (a spokesperson quoted in each, a campaign): only
what changes is done again, in statements short enough for the web server's statement timeout,
and the slowest part (rendering the bodies again) in the background."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from pagecache import caching
from releases import tasks
from releases.models import Release, RenderedBody, Spokesperson
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


def test_an_honorific_in_french_re_indexes_the_french_releases(client):
    person = make_spokesperson(name="Bryan Larkin", honorific_en="Chief", honorific_fr="Chef")
    release = make_release(headline="Semaine de la police", language="fr")
    make_quote(release, spokesperson=person, text="Les communautés sont plus sûres.")
    person.honorific_fr = "Commissaire"
    person.save()
    with translation.override("fr"):
        response = client.get(reverse("releases:search"), {"q": "commissaire"})
    assert [r.headline for r in response.context["releases"]] == ["Semaine de la police"]


def test_a_campaign_name_saved_by_its_own_field_name_re_indexes(client, quoted_often):
    """modeltranslation writes the active language's column for ``update_fields=["name"]``."""
    campaign = Release.objects.first().campaign
    with translation.override("en"):
        campaign.name = "Crime Prevention Week"
        campaign.save(update_fields=["name"])
    assert found(client, "prevention") == {f"Release {n}" for n in range(QUOTING)}


def test_saving_only_other_fields_or_empty_translations_re_indexes_nothing(quoted_often):
    quoted_often.bio = "Chief of the Durham Regional Police Service."
    with CaptureQueriesContext(connection) as queries:
        quoted_often.save(update_fields=["bio"])
        quoted_often.honorific_fr = None if quoted_often.honorific_fr == "" else ""
        quoted_often.save()
    assert release_writes(queries) == []


def admin_form_data(response) -> dict:
    """What the admin's change form would post back unchanged: its form's and inlines' values."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is True:
                data[form.add_prefix(name)] = "on"
            elif value is not None and value is not False:
                data[form.add_prefix(name)] = value
    return data


def test_an_officer_editing_a_biography_in_the_admin_re_indexes_nothing(
    client, quoted_often, editor
):
    client.force_login(editor)
    url = reverse("admin:releases_spokesperson_change", args=[quoted_often.pk])
    data = admin_form_data(client.get(url)) | {"bio_en": "Chief since 2015."}
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    assert response.status_code == 302, [
        (f.formset.errors, f.formset.non_form_errors())
        for f in response.context["inline_admin_formsets"]
    ]
    quoted_often.refresh_from_db()
    assert quoted_often.bio_en == "Chief since 2015."
    assert release_writes(queries) == []


def test_a_queue_that_is_down_costs_the_new_address_nothing_but_the_background_work(
    client, quoted_often, monkeypatch, settings, django_capture_on_commit_callbacks
):
    """The edit is kept and the commit's other work (the caches' invalidation) still runs;
    ``render_bodies --outdated`` renders the bodies instead. The queue: production's, RQ, on
    a Redis that refuses connections."""
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    with pytest.raises(Exception, match="(?i)connect"):
        tasks.store_bodies_quoting.enqueue(quoted_often.pk)
    committed_invalidations = []
    invalidate = caching.invalidate

    def recorded(scopes, **options):
        if not options.get("before_commit"):
            committed_invalidations.append(scopes)
        return invalidate(scopes, **options)

    monkeypatch.setattr(caching, "invalidate", recorded)
    quoted_often.slug = "chief-larkin"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        quoted_often.save()
    assert len(callbacks) == 2 and committed_invalidations
    assert Spokesperson.objects.get(pk=quoted_often.pk).slug == "chief-larkin"
    call_command("render_bodies", "--outdated", verbosity=0)
    assert all("/en/spokespeople/chief-larkin/" in b.html for b in RenderedBody.objects.all())
