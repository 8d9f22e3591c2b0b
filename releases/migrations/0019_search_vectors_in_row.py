"""Search vectors stay in their release's row; bodies stay out of line.

A search ranks every match (``ts_rank`` reads each one's vector): kept out of line, in TOAST,
a vector cost four more page reads per match, through the TOAST table's index, and ranking
the 3,900 matches of a common word at 100,000 releases took 18 ms instead of 10. With
``STORAGE MAIN`` PostgreSQL compresses the vector and moves it out of the row only when the row
would not fit in a page (about 1.5 kB compressed here), while the body, which only one page at a
time reads, still goes out of line at ``toast_tuple_target`` (migration 0008).
The vectors already stored are written again in the new form (a statement of a few seconds
per 100,000 releases). A PostgreSQL storage setting: nothing to do on SQLite.
"""

from django.db import migrations


def vectors_in_row(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE releases_release ALTER COLUMN search_vector SET STORAGE MAIN"
        )
        # ``|| ''`` makes a new value, which PostgreSQL stores by the column's new rule (an
        # unchanged one would keep its place in TOAST).
        schema_editor.execute(
            "UPDATE releases_release SET search_vector = search_vector || ''::tsvector "
            "WHERE search_vector IS NOT NULL"
        )


def vectors_out_of_line(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE releases_release ALTER COLUMN search_vector SET STORAGE EXTENDED"
        )


class Migration(migrations.Migration):
    dependencies = [("releases", "0018_sitemap_change_indexes")]

    operations = [migrations.RunPython(vectors_in_row, vectors_out_of_line, elidable=False)]
