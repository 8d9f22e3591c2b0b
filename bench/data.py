"""The bench databases: the site's, seeded to BENCH_COUNT releases, and the plain site's, a copy
of the same public rows."""

import io
import subprocess
from urllib.parse import urlsplit

from common import (
    COUNT,
    DATABASE_URL,
    ENV,
    PLAIN_DATABASE_URL,
    PYTHON,
    ROOT,
    manage,
    say,
)

# The long tail, cold only: a different address on every request (wrk cycles through
# TAIL_ADDRESSES of them), as when readers arrive at once from many links or with their own
# words. Kept fragments rarely help there, so these rows show what building a page costs.
TAIL_ADDRESSES = 4000
TAIL_WORDS = (
    "safety policing health cybercrime youth recruitment emergency indigenous drug victim "
    "training technology",
    "port alder millbrook cedar grey pinecrest riverbend tamsworth ashford harbour",
    "officers residents program partners schools volunteers data budgets findings board "
    "meeting detachment public funding forum report initiative community regional week",
)
# The deep list page measured: page 2,000 at 100,000 releases, the last page on fewer.
DEEP_PAGE = 2000
PER_PAGE = 20
COPY_BATCH = 5000
COPIED_COLUMNS = "id, headline, slug, summary, body, publish_at, language"


def _connect(url: str):
    import psycopg2  # the project's own driver, from .venv

    return psycopg2.connect(url)


def create_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    admin = _connect(url.replace(f"/{name}", "/postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def prepare_database() -> dict:
    create_database(DATABASE_URL)
    manage("migrate", "--noinput")
    connection = _connect(DATABASE_URL)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM releases_release")
        have = cursor.fetchone()[0]
    if have < COUNT:
        say(f"Seeding {COUNT - have} releases into {urlsplit(DATABASE_URL).path[1:]} (once)…")
        subprocess.run(
            [PYTHON, "manage.py", "seed_releases", "--count", str(COUNT - have)],
            cwd=ROOT,
            env=ENV,
            check=True,
        )
    # Seeding stores the bodies; a database seeded before, or by another version of the site,
    # has them rendered again here.
    say("Storing the bodies the database lacks or has outdated (render_bodies --outdated)…")
    subprocess.run(
        [PYTHON, "manage.py", "render_bodies", "--outdated"], cwd=ROOT, env=ENV, check=True
    )
    # A migration, the seeding or the bodies may have rewritten rows: measured before
    # autovacuum's turn, their dead copies would be read too (a whole table's, after a
    # migration that rewrites a column). Quick when nothing changed.
    say("Vacuuming the bench database…")
    connection.commit()  # VACUUM runs outside a transaction
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    public = "status = 'published' AND language = 'en' AND publish_at < now()"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, publication_date, slug FROM releases_release WHERE {public} "
            "ORDER BY publish_at DESC LIMIT 1 OFFSET 500"
        )
        detail_id, day, slug = cursor.fetchone()
        cursor.execute(
            "SELECT c.slug_en FROM releases_campaign c JOIN releases_release r "
            "ON r.campaign_id = c.id GROUP BY c.slug_en ORDER BY count(*) DESC LIMIT 1"
        )
        campaign = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM releases_release")
        total = cursor.fetchone()[0]
        cursor.execute(f"SELECT count(*) FROM releases_release WHERE {public}")
        english = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT publication_date, slug FROM releases_release WHERE {public} "
            "ORDER BY md5(slug) LIMIT %s",
            [TAIL_ADDRESSES],
        )
        details = [f"/en/releases/{day:%Y/%m/%d}/{slug}/" for day, slug in cursor.fetchall()]
    connection.close()
    deep_page = max(1, min(DEEP_PAGE, english // PER_PAGE))
    return {
        "detail": f"/en/releases/{day:%Y/%m/%d}/{slug}/",
        "detail_id": detail_id,
        "campaign": f"/en/campaigns/{campaign}/",
        "total": total,
        "deep_page": deep_page,
        "deep_list": f"/en/releases/?page={deep_page}",
        "details": details,
        "searches": search_addresses(),
    }


def search_addresses() -> list[str]:
    """Three-word searches, all different: a topic, a place and a word of the text."""
    topics, places, words = (group.split() for group in TAIL_WORDS)
    queries = [f"{t}+{p}+{w}" for w in words for p in places for t in topics]
    return [f"/en/search/?q={query}" for query in queries[:TAIL_ADDRESSES]]


def prepare_plain_database() -> int:
    """The plain site's database: created and migrated, then given the published releases it
    lacks (all of them the first time), copied with COPY in batches. Returns its row count."""
    create_database(PLAIN_DATABASE_URL)
    subprocess.run(
        [PYTHON, "-m", "django", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=ENV
        | {
            "DJANGO_SETTINGS_MODULE": "bench.plain.settings",
            "PLAIN_DATABASE_URL": PLAIN_DATABASE_URL,
        },
        check=True,
    )
    source, target = _connect(DATABASE_URL), _connect(PLAIN_DATABASE_URL)
    published = "status = 'published'"
    with source.cursor() as read, target.cursor() as write:
        write.execute("SELECT coalesce(max(id), 0) FROM items_item")
        last = write.fetchone()[0]
        read.execute(f"SELECT coalesce(max(id), 0) FROM releases_release WHERE {published}")
        source_last = read.fetchone()[0]
        if last > source_last:  # the bench database was seeded again: start over
            write.execute("TRUNCATE items_item")
            last = 0
        read.execute(f"SELECT count(*) FROM releases_release WHERE {published} AND id > %s", [last])
        missing = read.fetchone()[0]
        if missing:
            say(f"Copying {missing:,} published releases to the plain site's database (once)…")
        copied = 0
        while copied < missing:
            buffer = io.BytesIO()
            read.copy_expert(
                f"COPY (SELECT {COPIED_COLUMNS} FROM releases_release WHERE {published} "
                f"AND id > {int(last)} ORDER BY id LIMIT {COPY_BATCH}) TO STDOUT",
                buffer,
            )
            rows = buffer.getvalue().count(b"\n")
            if rows == 0:
                break
            buffer.seek(0)
            write.copy_expert(f"COPY items_item ({COPIED_COLUMNS}) FROM STDIN", buffer)
            target.commit()
            write.execute("SELECT max(id) FROM items_item")
            last = write.fetchone()[0]
            copied += rows
            say(f"  copied {copied:,} / {missing:,}")
        if copied:
            write.execute(
                "SELECT setval(pg_get_serial_sequence('items_item', 'id'), max(id)) FROM items_item"
            )
            target.commit()
            target.autocommit = True
            write.execute("VACUUM ANALYZE items_item")
        write.execute("SELECT count(*) FROM items_item")
        total = write.fetchone()[0]
    source.close()
    target.close()
    return total
