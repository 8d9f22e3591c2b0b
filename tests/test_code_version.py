"""An upgrade's pages show at once: a value cached by one version of the code is never read by
another, while a change made under either makes the other's values stale."""

import os
import subprocess
import sys

import pytest

from pagecache import caching
from pagecache.codeversion import _sources_digest, code_version
from pagecache.middleware import CACHE_STATUS_HEADER
from releases.models import Release
from tests.factories import make_release

pytestmark = pytest.mark.django_db


def rename_silently(release, headline):
    """A change no cache is told of: what a new template would do to a kept page."""
    Release.objects.filter(pk=release.pk).update(headline=headline)


def test_a_page_kept_by_the_old_code_is_not_served_by_the_new(client, settings, cache_backend):
    release = make_release(headline="As the old templates print it")
    settings.CODE_VERSION = "old"
    assert client.get("/en/releases/")[CACHE_STATUS_HEADER] == "miss"
    rename_silently(release, "As the new templates print it")
    old = client.get("/en/releases/")
    assert old[CACHE_STATUS_HEADER] == "hit" and "As the old templates" in old.text

    settings.CODE_VERSION = "new"
    new = client.get("/en/releases/")
    assert new[CACHE_STATUS_HEADER] == "miss"
    assert "As the new templates print it" in new.text


def test_a_change_made_under_the_new_code_makes_the_old_codes_pages_stale(
    client, settings, cache_backend
):
    """During a deploy, servers of both versions answer: a change made on one is seen on both."""
    release = make_release(headline="Before the correction")
    for version in ("old", "new"):
        settings.CODE_VERSION = version
        assert "Before the correction" in client.get("/en/releases/").text
    settings.CODE_VERSION = "new"
    release.headline = "After the correction"
    release.save()  # tells the caches, as an edit in the admin does

    settings.CODE_VERSION = "old"
    old = client.get("/en/releases/")
    assert old[CACHE_STATUS_HEADER] != "hit"
    assert "After the correction" in old.text


def test_the_code_version_follows_the_templates(settings, tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    page = templates / "page.html"
    page.write_text("<p>{{ release.headline }}</p>")
    settings.CODE_VERSION = ""
    settings.BASE_DIR = tmp_path
    settings.TEMPLATES = [settings.TEMPLATES[0] | {"DIRS": [templates]}]
    before = code_version()
    assert code_version() == before  # read once per process

    page.write_text("<p>{{ release.headline|upper }}</p>")
    _sources_digest.cache_clear()  # a new process, after the upgrade
    code_version.cache_clear()
    assert code_version() != before


def test_a_deployment_may_name_its_version(settings):
    settings.CODE_VERSION = "release-2026.12"
    assert code_version().startswith("release-2026.12:")
    named = caching.key_for("page", "/en/")
    settings.CODE_VERSION = "release-2027.01"
    assert caching.key_for("page", "/en/") != named


@pytest.mark.parametrize(
    ("setting", "value"), [("TIME_ZONE", "Europe/London"), ("ENGLISH_FORMATS", "en-GB")]
)
def test_a_page_kept_before_the_newsroom_changed_how_it_writes_dates_is_not_served(
    client, settings, setting, value
):
    """A new time zone or English is a new way of writing every page: no page written the old
    way is served after it, with no ``invalidate_caches`` to remember."""
    release = make_release(headline="Written the old way")
    client.get("/en/releases/")
    rename_silently(release, "Written the new way")
    setattr(settings, setting, value)
    page = client.get("/en/releases/")
    assert page[CACHE_STATUS_HEADER] == "miss" and "Written the new way" in page.text


def in_another_process(script: str) -> str:
    """What ``script`` prints, run by a Python process of its own on the test settings."""
    return subprocess.run(
        [sys.executable, "-c", script],
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "tests.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_process_works_out_the_same_version(language):
    """Processes share the cache (gunicorn's workers, ``manage.py`` commands): each must name
    this code the same, whatever the language of the request that first asks, or none would
    read what another kept."""
    script = (
        "import django; django.setup(); from django.utils import translation; "
        f"translation.activate('{language}'); "
        "from pagecache.caching import key_for; print(key_for('page', '/en/'))"
    )
    assert in_another_process(script) == caching.key_for("page", "/en/")


def test_the_web_server_names_its_code_when_it_loads_it():
    """gunicorn's master loads the application before forking its workers: the version is read
    from the files as they were then, not at a first request after an in-place upgrade."""
    script = (
        "import newsroom.wsgi; from pagecache.codeversion import code_version; "
        "print(code_version.cache_info().currsize)"
    )
    assert in_another_process(script) == "1"
