"""A release row keeps every column but the body: only the body goes out of line (TOAST).

Migration 0008 (``toast_tuple_target = 1024``) sent the body and the search vector out of line
so that the short columns lists read stayed in the row. Since the vector stays in the row
(0019), a row no longer fits in 1 kB, and PostgreSQL sent out of line whatever else it could:
the headline, summary and subheadline every list card reads, and the facet values a search
reads for each of its thousands of matches (0022), each then a TOAST lookup (3 pages). With
``STORAGE MAIN`` on every column but the body, PostgreSQL moves them out only when a row would
not fit in a page. The values already out of line are written again, in one statement. A
PostgreSQL storage setting: nothing to do on SQLite.
"""

from django.db import migrations

# Columns a long text could have sent out of line, and how a new value is made of each (an
# unchanged one would keep its place in TOAST).
SHORT_COLUMNS = {
    "headline": "headline || ''",
    "subheadline": "subheadline || ''",
    "slug": "slug || ''",
    "release_type": "release_type || ''",
    "language": "language || ''",
    "dateline_city": "dateline_city || ''",
    "dateline_region": "dateline_region || ''",
    "summary": "summary || ''",
    "status": "status || ''",
    "withdrawn_reason": "withdrawn_reason || ''",
    "counted_values": "counted_values || '[]'::jsonb",
}


def short_columns_in_rows(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    storage = ", ".join(f"ALTER COLUMN {column} SET STORAGE MAIN" for column in SHORT_COLUMNS)
    schema_editor.execute(f"ALTER TABLE releases_release {storage}")
    rewritten = ", ".join(f"{column} = {value}" for column, value in SHORT_COLUMNS.items())
    schema_editor.execute(f"UPDATE releases_release SET {rewritten}")


def short_columns_out_of_line(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    storage = ", ".join(f"ALTER COLUMN {column} SET STORAGE EXTENDED" for column in SHORT_COLUMNS)
    schema_editor.execute(f"ALTER TABLE releases_release {storage}")


class Migration(migrations.Migration):
    dependencies = [("releases", "0022_counted_values_in_rows")]

    operations = [
        migrations.RunPython(short_columns_in_rows, short_columns_out_of_line, elidable=False)
    ]
