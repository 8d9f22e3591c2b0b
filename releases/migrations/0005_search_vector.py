"""The stored full-text search vector of a release, and on PostgreSQL its GIN index.

SQLite (the quick start) gets a harmless untyped column and nothing else: the GIN index and the
backfill run only on PostgreSQL.
"""

import django.contrib.postgres.search
from django.db import migrations

INDEX_NAME = "release_search_vector_idx"

# A snapshot of releases.search._REFRESH_SQL when this migration was written (migrations must
# not depend on code that changes later).
BACKFILL_SQL = """
WITH document AS (
    SELECT r.id,
        (CASE r.language WHEN 'en' THEN 'english' WHEN 'fr' THEN 'french' ELSE 'simple' END
        )::regconfig AS config,
        r.headline,
        concat_ws(' ', r.subheadline,
            (SELECT string_agg(q.text, ' ') FROM releases_quote q WHERE q.release_id = r.id)
        ) AS secondary,
        concat_ws(' ', r.body,
            CASE WHEN r.language = 'fr' THEN coalesce(nullif(c.name_fr, ''), c.name_en)
                 ELSE c.name_en END,
            (SELECT string_agg(s.name, ' ') FROM releases_quote q
                JOIN releases_spokesperson s ON s.id = q.spokesperson_id
                WHERE q.release_id = r.id)
        ) AS tertiary
    FROM releases_release r
    LEFT JOIN releases_campaign c ON c.id = r.campaign_id
)
UPDATE releases_release AS r
SET search_vector = setweight(to_tsvector(d.config, coalesce(d.headline, '')), 'A')
    || setweight(to_tsvector(d.config, d.secondary), 'B')
    || setweight(to_tsvector(d.config, d.tertiary), 'C')
FROM document d
WHERE r.id = d.id
"""


def create_index_and_backfill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON releases_release USING gin (search_vector)"
    )
    schema_editor.execute(BACKFILL_SQL)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):

    dependencies = [
        ("releases", "0004_media_images_documents"),
    ]

    operations = [
        migrations.AddField(
            model_name="release",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create_index_and_backfill, drop_index),
    ]
