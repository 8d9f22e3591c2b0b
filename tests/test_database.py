"""The read-replica router, and a backup that restores."""

import os
import shutil
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from releases.models import Release
from tests.factories import make_release

ROOT = Path(__file__).resolve().parents[1]
ROUTER = "newsroom.db_router.ReplicaRouter"


def reads_releases(sql: str) -> bool:
    """A query for the page's releases. The page cache's own look at what goes public next
    (publication times only) is made on the primary: it decides what every cache keeps, and a
    lagging replica could miss a release scheduled a moment ago."""
    return '"releases_release"."headline"' in sql or '"releases_release"."id"' in sql


@pytest.fixture
def replica_router(settings):
    settings.DATABASE_ROUTERS = [ROUTER]
    settings.REPLICA_LAG_ALLOWANCE = 0


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_anonymous_public_reads_go_to_the_replica_and_staff_reads_to_the_primary(
    client, admin_user, replica_router
):
    release = make_release(headline="Routed")
    with (
        CaptureQueriesContext(connections["replica"]) as replica,
        CaptureQueriesContext(connections["default"]) as primary,
    ):
        response = client.get(release.get_absolute_url())
    assert response.status_code == 200 and "Routed" in response.text
    assert any("releases_release" in q["sql"] for q in replica.captured_queries)
    assert not any(reads_releases(q["sql"]) for q in primary.captured_queries)

    client.force_login(admin_user)
    with CaptureQueriesContext(connections["replica"]) as replica:
        assert client.get(release.get_absolute_url()).status_code == 200
        assert client.get("/admin/releases/release/").status_code == 200
    assert replica.captured_queries == []


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_a_search_counts_its_facets_on_the_replica_too(client, replica_router):
    make_release(headline="Routed search")
    with (
        CaptureQueriesContext(connections["replica"]) as replica,
        CaptureQueriesContext(connections["default"]) as primary,
    ):
        response = client.get("/en/search/", {"q": "routed"})
    assert response.context["paginator"].count == 1
    assert any("releases_release" in q["sql"] for q in replica.captured_queries)
    assert not any(reads_releases(q["sql"]) for q in primary.captured_queries)


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_writes_and_migrations_always_use_the_primary(replica_router):
    from django.db import router

    from newsroom.db_router import public_reads

    with public_reads():
        assert router.db_for_read(Release) == "replica"
        assert router.db_for_write(Release) == "default"
        release = make_release()
    assert release._state.db == "default"
    assert router.db_for_read(Release) == "default"
    assert router.allow_migrate("default", "releases")
    assert not router.allow_migrate("replica", "releases")


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_a_body_stored_during_public_reads_is_read_from_the_primary(replica_router):
    """A release saved while reads go to the replica (a script, a request that writes) has
    its body rendered from the primary: the replica may not have the release yet."""
    from newsroom.db_router import public_reads
    from releases.models import RenderedBody
    from releases.public import bodies

    with public_reads(), CaptureQueriesContext(connections["replica"]) as replica:
        release = make_release(body="<p>Written on the primary.</p>")
    assert not any("releases_release" in q["sql"] for q in replica.captured_queries)
    stored = RenderedBody.objects.get(release=release)
    assert "Written on the primary." in stored.html
    assert stored.fingerprint == bodies.fingerprint(release)


def test_a_replica_url_in_the_environment_switches_the_router_on():
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(sorted(settings.DATABASES), settings.DATABASE_ROUTERS, "
        "settings.DATABASES['replica']['HOST'])"
    )
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "SECRET_KEY": "x",
        "DATABASE_URL": "postgres://app@primary.internal:5432/newsroom",
        "DATABASE_REPLICA_URL": "postgres://app@replica.internal:5432/newsroom",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.split() == [
        "['default',",
        "'replica']",
        f"['{ROUTER}']",
        "replica.internal",
    ], result.stderr


# Two writers on the quick start's SQLite file, as the server and the alerts dispatcher are:
# the first reads, then writes while the second holds its write uncommitted.
SQLITE_WRITERS = """
import threading
import django
django.setup()
from django.db import connection, transaction
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER)")
    cursor.execute("INSERT INTO counter VALUES (1, 0)")
connection.close()
writing, errors = threading.Event(), []
def read_then_write():
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT n FROM counter")
            writing.wait(timeout=1)
            cursor.execute("UPDATE counter SET n = n + 1")
    except Exception as error:
        errors.append(repr(error))
    finally:
        connection.close()
def write():
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE counter SET n = n + 1")
            writing.set()
    except Exception as error:
        errors.append(repr(error))
    finally:
        connection.close()
threads = [threading.Thread(target=read_then_write), threading.Thread(target=write)]
threads[0].start(); threads[1].start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT n FROM counter")
    print(errors, cursor.fetchone()[0])
"""


def test_two_writers_on_the_quick_starts_sqlite_take_turns_instead_of_failing(tmp_path):
    """Deferred transactions failed at once with "database is locked" (the quick start's
    dispatcher logged it beside an editor's publishing): each now waits its turn."""
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "SECRET_KEY": "x",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'quick.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", SQLITE_WRITERS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "[] 2", result.stderr


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_pg_dump_backup_restores_into_an_empty_database(tmp_path):
    for binary in ("pg_dump", "pg_restore", "createdb", "dropdb"):
        if not shutil.which(binary):
            pytest.skip(f"{binary} is not installed")
    make_release(headline="Kept in the backup", body="<p>Every word.</p>")
    source = connection.settings_dict
    options = ["-h", source["HOST"] or "127.0.0.1", "-p", str(source["PORT"] or 5432)]
    options += ["-U", source["USER"]]
    dump = tmp_path / "newsroom.dump"
    restored = f"restore_{uuid.uuid4().hex[:12]}"
    subprocess.run(
        ["pg_dump", *options, "--format=custom", "--file", str(dump), source["NAME"]], check=True
    )
    subprocess.run(["createdb", *options, restored], check=True)
    try:
        subprocess.run(
            ["pg_restore", *options, "--no-owner", "--exit-on-error", "-d", restored, str(dump)],
            check=True,
        )
        psql = ["psql", *options, "-d", restored, "-tAc"]
        headline = subprocess.run(
            [*psql, "SELECT headline, body FROM releases_release"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        assert headline == "Kept in the backup|<p>Every word.</p>"
        migrations = subprocess.run(
            [*psql, "SELECT count(*) FROM django_migrations"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        assert int(migrations) > 0
    finally:
        subprocess.run(["dropdb", *options, "--if-exists", restored], check=True)


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_just_after_a_change_public_reads_use_the_primary(client, replica_router, settings):
    settings.REPLICA_LAG_ALLOWANCE = 30
    settings.PAGE_CACHE_SECONDS = 0  # every request reaches a database
    release = make_release(headline="Just changed")
    with CaptureQueriesContext(connections["replica"]) as replica:
        assert client.get(release.get_absolute_url()).status_code == 200
    assert replica.captured_queries == []
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        with CaptureQueriesContext(connections["replica"]) as replica:
            # A page not read yet: the release page's own rows are kept by now.
            assert "Just changed" in client.get("/en/releases/").text
    assert any("releases_release" in q["sql"] for q in replica.captured_queries)
