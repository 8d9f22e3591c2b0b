import os
import socket
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.utils import timezone

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"


def pytest_configure(config):
    """Compile the translation catalogues when a .po is newer than its .mo, as
    `make compilemessages` does, so a plain `pytest` after editing a catalogue sees it. Only
    the main process does it: pytest-xdist's workers start after it and read the same files."""
    if hasattr(config, "workerinput"):
        return
    stale = [
        po
        for po in LOCALE_DIR.glob("*/LC_MESSAGES/*.po")
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale:
        from babel.messages.frontend import CommandLineInterface

        CommandLineInterface().run(
            [
                "pybabel",
                "--quiet",
                "compile",
                "--domain=django djangojs",
                f"--directory={LOCALE_DIR}",
            ]
        )


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    on_postgres = "postgres" in os.environ.get("DATABASE_URL", "")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))
    result = yield
    # In a pytest-xdist worker, after xdist has named each grouped test's group in its id:
    # stop rather than let the shared-Redis tests run on several workers at once, as they
    # would, silently, with pytest 9.2 (pytest-dev/pytest-xdist#1386).
    if config.getoption("loadgroup", default=False):
        lost = [
            item.nodeid
            for item in items
            if (group := item.get_closest_marker("xdist_group"))
            and not item.nodeid.endswith(f"@{group.args[0]}")
        ]
        if lost:
            raise pytest.UsageError(
                f"pytest-xdist did not group {lost[0]} (and {len(lost) - 1} more)"
            )
    return result


@pytest.fixture(autouse=True)
def _default_language():
    """A request under /fr/ leaves French active in this thread; every test starts in the
    default language, whatever ran before it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


# Production's cache, reached through CACHE_URL exactly as production configures it.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

# Tests that use the Redis server every test shares (the cache database above, the alerts'
# queue) run one after another in one pytest-xdist worker (`make test` runs `--dist
# loadgroup`): they flush its databases, and a flush reaches every process that keeps Redis
# entries in front of it (client-side tracking), whichever database it reads.
SHARED_REDIS = pytest.mark.xdist_group("shared-redis")


def redis_answers(url: str) -> bool:
    parts = urlsplit(url)
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((parts.hostname, parts.port or 6379)) == 0


@pytest.fixture(params=["local memory", pytest.param("redis", marks=SHARED_REDIS)])
def cache_backend(request, settings):
    """A test that uses this runs twice: on the default local-memory cache and on Redis (with
    each process's recent entries in front of it, as in production)."""
    import environ

    if request.param == "redis":
        if not redis_answers(TEST_REDIS_URL):
            if os.environ.get("NEWSROOM_REQUIRE_REDIS"):
                pytest.fail(f"no Redis at {TEST_REDIS_URL}, and NEWSROOM_REQUIRE_REDIS is set (CI)")
            pytest.skip(f"needs Redis at {TEST_REDIS_URL}")
        settings.CACHES = {"default": environ.Env.cache_url_config(TEST_REDIS_URL)}
    cache.clear()
    yield request.param
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads of a test go to its own temporary folder, never into the project."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def now():
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def tomorrow(now):
    return now + timedelta(days=1)


@pytest.fixture
def author(db):
    """A member of the Authors group: writes and submits."""
    from tests.factories import make_staff

    return make_staff("Authors")


@pytest.fixture
def editor(db):
    """A member of the Editors group: reviews, schedules, publishes, corrects, withdraws."""
    from tests.factories import make_staff

    return make_staff("Editors")


@pytest.fixture
def demo(db):
    """The demo newsroom, loaded by the same command `make run` uses."""
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    from releases.models import Release

    return Release.objects.get()
