"""Search that means the same on SQLite and PostgreSQL.

SQLite: an FTS5 table of each release's stemmed, accent-folded words
(releases/search/fts.py), filled for every existing release.
PostgreSQL: the ``unaccent`` extension (in contrib; trusted, so a database owner may create
it) and the newsroom's text-search configurations, the built-in English, French and simple
ones with ``unaccent`` before their dictionaries, so that "securite" finds "sécurité"; every
vector is rebuilt with them and with the parts SQLite indexes too (summary, dateline,
honorifics, attributions).
"""

from django.db import migrations

from releases.search import fts
from releases.search.index import refresh_search_vectors

CONFIGS = {"newsroom_english": "english", "newsroom_french": "french", "newsroom_simple": "simple"}


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        schema_editor.execute(fts.CREATE_SQL)
    elif connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        for name, base in CONFIGS.items():
            dictionary = "simple" if base == "simple" else f"{base}_stem"
            schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")
            schema_editor.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {base})")
            schema_editor.execute(
                f"ALTER TEXT SEARCH CONFIGURATION {name} "
                f"ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, "
                f"hword_part WITH unaccent, {dictionary}"
            )
    else:
        return
    refresh_search_vectors(using=connection)


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        schema_editor.execute(fts.DROP_SQL)
    elif connection.vendor == "postgresql":
        # The vectors keep their words; 0005's statement rebuilds them on the next save.
        for name in CONFIGS:
            schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("releases", "0008_thin_release_rows")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
