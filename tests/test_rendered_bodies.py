"""Bodies rendered once and stored (releases.public.bodies): the page and the feeds print the
stored body while it matches what it was rendered from, and never an outdated one."""

import shutil

import pytest
from django.core.management import call_command
from django.db.models.functions import MD5
from django.utils import translation

from releases.models import Quote, Release, RenderedBody, Spokesperson
from releases.public import bodies
from releases.public.relations import QUOTES_WITH_SPOKESPEOPLE
from tests.alerts.support import run_tasks
from tests.factories import make_organisation, make_quote, make_release, make_spokesperson

pytestmark = pytest.mark.django_db

MARKER = "<p>Printed from the stored body.</p>"


@pytest.fixture(autouse=True)
def organisation():
    return make_organisation()


@pytest.fixture
def quoted():
    """A published release with a quote after its first paragraph."""
    release = make_release(body='<p>Officers met "residents".</p><p>They\'ll meet again.</p>')
    make_quote(release, text="We are listening", spokesperson=make_spokesperson(slug="chief"))
    return release


def stored_html(release) -> str:
    return RenderedBody.objects.get(release=release).html


def live_html(release) -> str:
    release = Release.objects.prefetch_related(QUOTES_WITH_SPOKESPEOPLE).get(pk=release.pk)
    with translation.override(release.language):
        return bodies.render_body(release)


def feed_content(client) -> str:
    """The newest entry's full text in the JSON feed."""
    return client.get("/en/feeds/releases.json").json()["items"][0]["content_html"]


def test_a_published_release_stores_its_body_as_its_page_prints_it(client, quoted):
    html = stored_html(quoted)
    assert html == live_html(quoted)
    assert '<strong class="dateline">Ottawa, ON,' in html
    assert "Officers met \u201cresidents\u201d." in html and "They\u2019ll meet again." in html
    assert "\u201cWe are listening,\u201d" in html and 'href="/en/spokespeople/chief/"' in html
    assert html in client.get(quoted.get_absolute_url()).text


def test_the_page_and_the_feeds_print_the_stored_body(client, quoted):
    RenderedBody.objects.filter(release=quoted).update(html=MARKER)
    assert MARKER in client.get(quoted.get_absolute_url()).text
    assert MARKER in feed_content(client)


def test_the_feeds_check_a_body_by_the_digest_the_database_computes(client):
    """The feeds ask the database for the body's MD5 rather than for the body: on SQLite and
    PostgreSQL alike it must be the digest of the same bytes, accents and emoji included, or
    every feed would render every body again."""
    body = "<p>L’été à Montréal : « Sécurité » 🚓 — ça\u00a0va.</p>"
    release = make_release(language="fr", body=body)
    in_database = Release.objects.annotate(digest=MD5("body")).get(pk=release.pk).digest
    assert in_database == bodies.body_digest(Release.objects.get(pk=release.pk).body)
    RenderedBody.objects.filter(release=release).update(html=MARKER)
    assert MARKER in client.get("/fr/fils/communiques.json").json()["items"][0]["content_html"]


def test_a_french_body_is_stored_in_french(client):
    release = make_release(language="fr", body='<p>Le thème est "Ensemble".</p>')
    make_quote(release, text="Nous écoutons.", spokesperson=make_spokesperson(slug="chef"))
    html = stored_html(release)
    assert "\u00ab\u00a0Ensemble\u00a0\u00bb" in html
    assert "\u00ab\u00a0Nous écoutons\u00a0\u00bb," in html and "a déclaré" in html
    assert 'href="/fr/porte-parole/chef/"' in html
    assert html in client.get(release.get_absolute_url()).text


@pytest.mark.parametrize(
    "change, now_printed",
    [
        (lambda r: Release.objects.filter(pk=r.pk).update(body="<p>New words.</p>"), "New words."),
        (
            lambda r: Release.objects.filter(pk=r.pk).update(dateline_city="Regina"),
            "Regina, ON,",
        ),
        (lambda r: Quote.objects.filter(release=r).update(text="We act"), "\u201cWe act,\u201d"),
        (
            lambda r: Quote.objects.filter(release=r).update(attribution="Chief A. Smith"),
            "Chief A. Smith",
        ),
        (lambda r: Quote.objects.filter(release=r).update(position=2), "meet again.</p>\n<figure"),
        (lambda r: Spokesperson.objects.update(slug="new-chief"), "/en/spokespeople/new-chief/"),
    ],
    ids=["body", "dateline", "quote words", "attribution", "quote moved", "spokesperson address"],
)
def test_a_change_that_sends_no_signal_never_shows_the_outdated_body(
    client, quoted, change, now_printed
):
    """``QuerySet.update()`` keeps the stored body as it was: readers get the new one anyway."""
    RenderedBody.objects.filter(release=quoted).update(html=stored_html(quoted) + MARKER)
    change(quoted)
    page = client.get(quoted.get_absolute_url()).text
    assert now_printed in page and MARKER not in page
    content = feed_content(client)
    assert now_printed in content and MARKER not in content


def test_a_new_renderer_outdates_every_stored_body(client, quoted, settings, tmp_path):
    """A deployment that changes the translations (or the templates, or the code) prints
    bodies afresh until they are stored again."""
    RenderedBody.objects.filter(release=quoted).update(html=MARKER)
    before = bodies.fingerprint(quoted)
    locale = tmp_path / "locale"
    shutil.copytree(settings.LOCALE_PATHS[0], locale)
    catalogue = locale / "fr" / "LC_MESSAGES" / "django.mo"
    catalogue.write_bytes(catalogue.read_bytes() + b"\0")
    settings.LOCALE_PATHS = [str(locale)]
    bodies.renderer_fingerprint.cache_clear()
    try:
        assert bodies.fingerprint(quoted) != before
        assert MARKER not in client.get(quoted.get_absolute_url()).text
        other = make_release()  # stored by the new renderer: not outdated
        RenderedBody.objects.filter(release=other).update(html=MARKER)
        call_command("render_bodies", "--outdated", verbosity=0)
        assert stored_html(quoted) == live_html(quoted)
        assert stored_html(other) == MARKER
    finally:
        bodies.renderer_fingerprint.cache_clear()


def test_edits_through_the_application_store_the_body_again(quoted):
    quote = quoted.quotes.get()
    quote.text = "We act now"
    quote.save()
    assert "\u201cWe act now,\u201d" in stored_html(quoted)

    spokesperson = quote.spokesperson
    spokesperson.slug = "chief-of-police"
    spokesperson.save()
    run_tasks()  # in the background, once committed (tests/test_large_edits.py)
    assert "/en/spokespeople/chief-of-police/" in stored_html(quoted)

    quoted.body = "<p>Rewritten.</p>"
    quoted.save()
    assert "Rewritten." in stored_html(quoted) and "Officers met" not in stored_html(quoted)

    quote.delete()
    assert "We act now" not in stored_html(quoted)
    assert stored_html(quoted) == live_html(quoted)


def test_a_new_name_for_a_spokesperson_renders_no_body(quoted):
    """A body prints the attribution kept with the quote, not the spokesperson's name: only
    a new address renders the bodies that link to it again."""
    spokesperson = quoted.quotes.get().spokesperson
    RenderedBody.objects.filter(release=quoted).update(html=MARKER)
    spokesperson.name = "Bryan Larkin"
    spokesperson.save()
    assert stored_html(quoted) == MARKER


def test_a_draft_has_no_stored_body():
    """Its dateline says today, whichever day that is: it is rendered when read."""
    draft = make_release(published=False)
    assert not RenderedBody.objects.filter(release=draft).exists()
    assert bodies.store_bodies([draft.pk]) == 0


def test_render_bodies_stores_those_made_without_signals(quoted):
    RenderedBody.objects.all().delete()
    other = make_release()
    RenderedBody.objects.filter(release=other).update(html=MARKER)
    call_command("render_bodies", "--outdated", verbosity=0)
    assert stored_html(quoted) == live_html(quoted)
    assert stored_html(other) == MARKER  # --outdated leaves the current ones
    call_command("render_bodies", verbosity=0)
    assert stored_html(other) == live_html(other)


def test_a_release_with_quotes_and_no_stored_body_can_be_deleted(quoted):
    """Its quotes go first, each sending a signal: no body is stored again for the release
    being deleted (the row would outlive it, and the deletion would fail)."""
    RenderedBody.objects.all().delete()
    make_quote(quoted, text="A second quote", position=2)
    RenderedBody.objects.all().delete()
    quoted.delete()
    assert not Release.objects.filter(pk=quoted.pk).exists()
    assert not RenderedBody.objects.exists()
