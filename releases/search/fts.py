"""Full-text search on SQLite (the quick start): an FTS5 table of stemmed, accent-folded words.

``releases_release_fts`` holds, for each release (its rowid is the release's id), the
lexemes of the same three weighted parts as PostgreSQL's vector (releases/search/index.py):
headline; subheadline, summary and quotes; body, campaign, spokespeople and dateline.
Words are folded and stemmed in Python (releases/search/words.py) in the release's
language, so the table needs no tokenizer of its own. Migration 0009_sqlite_fts creates the
table; ``refresh`` is called wherever PostgreSQL's vector is rebuilt. Ranking is
PostgreSQL's ``ts_rank``, recomputed in Python (releases/search/ranking.py), and so is the
highlighting: SQL functions registered on every SQLite connection."""

import re
from collections.abc import Iterable
from html import unescape

from django.db import transaction
from django.db.backends.signals import connection_created
from django.dispatch import receiver

from releases.search import ranking, words

TABLE = "releases_release_fts"
CREATE_SQL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    "headline, secondary, tertiary, tokenize = 'unicode61 remove_diacritics 0')"
)
DROP_SQL = f"DROP TABLE IF EXISTS {TABLE}"
BATCH = 500

# Ids of the releases whose words match (the MATCH expression, from words.parse_query).
MATCHING_IDS_SQL = f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s"
# A release's relevance for the query as typed (%s) in a language (%s), as ts_rank gives it.
RANK_SQL = (
    f"(SELECT newsroom_rank(headline, secondary, tertiary, %s, %s) FROM {TABLE}"
    " WHERE rowid = releases_release.id)"
)

_RELEASES_SQL = """
SELECT r.id, r.language, r.headline, r.subheadline, r.summary, r.body,
    r.dateline_city, r.dateline_region, c.name_en, c.name_fr
FROM releases_release r LEFT JOIN releases_campaign c ON c.id = r.campaign_id
WHERE r.id IN ({ids})
"""
_QUOTES_SQL = """
SELECT q.release_id, q.text, q.attribution, s.name, s.honorific_en, s.honorific_fr
FROM releases_quote q JOIN releases_spokesperson s ON s.id = q.spokesperson_id
WHERE q.release_id IN ({ids})
ORDER BY q.position, q.id
"""
TAG = re.compile(r"<[^>]+>")


def _documents(cursor, ids: list[int]) -> dict[int, tuple[str, str, str, str]]:
    """{release id: (language, headline, secondary, tertiary)}, as PostgreSQL's vector has
    them (releases/search/index.py's _REFRESH_SQL)."""
    placeholders = ", ".join("%s" for _ in ids)
    quotes: dict[int, list[tuple]] = {}
    cursor.execute(_QUOTES_SQL.format(ids=placeholders), ids)
    for release_id, *quote in cursor.fetchall():
        quotes.setdefault(release_id, []).append(tuple(quote))
    cursor.execute(_RELEASES_SQL.format(ids=placeholders), ids)
    documents = {}
    for row in cursor.fetchall():
        pk, language, headline, subheadline, summary, body, city, region, name_en, name_fr = row
        campaign = (name_fr or name_en) if language == "fr" else name_en
        said = quotes.get(pk, [])
        secondary = [subheadline, summary, *(text for text, *_ in said)]
        # PostgreSQL's parser skips tags and entities ("&amp;" is no word): so here.
        tertiary = [unescape(TAG.sub(" ", body or "")), campaign]
        for _, attribution, name, honorific_en, honorific_fr in said:
            honorific = (honorific_fr or honorific_en) if language == "fr" else honorific_en
            tertiary += [honorific, name, attribution]
        tertiary += [city, region]
        documents[pk] = (
            language,
            headline or "",
            " ".join(part for part in secondary if part),
            " ".join(part for part in tertiary if part),
        )
    return documents


def refresh(connection, release_ids: Iterable[int] | None = None) -> None:
    """Rebuild the rows of these releases (all when ``None``); a release that no longer
    exists loses its row. ``connection`` is a Django SQLite connection (or a schema editor's).
    One transaction: in autocommit, SQLite would sync the file after every row."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if release_ids is None:
            cursor.execute(f"DELETE FROM {TABLE}")
            cursor.execute("SELECT id FROM releases_release")
            ids = [pk for (pk,) in cursor.fetchall()]
        else:
            ids = sorted({int(pk) for pk in release_ids if pk is not None})
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            documents = _documents(cursor, batch)
            cursor.executemany(f"DELETE FROM {TABLE} WHERE rowid = %s", [(pk,) for pk in batch])
            cursor.executemany(
                f"INSERT INTO {TABLE} (rowid, headline, secondary, tertiary)"
                " VALUES (%s, %s, %s, %s)",
                [
                    (pk, *(words.index_text(part, language) for part in parts))
                    for pk, (language, *parts) in documents.items()
                ],
            )


# SQL functions for highlighting, given the query as typed and the language it is read in.
def _headline(text, query, language, start, stop):
    wanted = words.parse_query(query or "", language or "").highlighted
    return words.mark_words(text or "", language or "", wanted, start, stop)


def _snippet(html, query, language, start, stop):
    wanted = words.parse_query(query or "", language or "").highlighted
    text = " ".join(TAG.sub(" ", html or "").split())
    return words.snippet(text, language or "", wanted, start, stop)


def _rank(headline, secondary, tertiary, query, language):
    return ranking.rank((headline, secondary, tertiary), query or "", language or "")


def _fold(text):
    return None if text is None else words.fold(text)


@receiver(connection_created)
def register_functions(sender, connection, **kwargs):
    """``newsroom_rank``, ``newsroom_headline`` and ``newsroom_snippet`` on every SQLite
    connection, and ``newsroom_fold`` for the admin's searches (releases/search/folded.py)."""
    if connection.vendor == "sqlite":
        raw = connection.connection
        raw.create_function("newsroom_rank", 5, _rank, deterministic=True)
        raw.create_function("newsroom_headline", 5, _headline, deterministic=True)
        raw.create_function("newsroom_snippet", 5, _snippet, deterministic=True)
        raw.create_function("newsroom_fold", 1, _fold, deterministic=True)
