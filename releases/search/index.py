"""The search index's write side: each release's weighted words, in its own language.

PostgreSQL keeps a ``tsvector`` per release, built with the newsroom's text-search
configurations (English and French Snowball stemmers after ``unaccent``, created by migration
0009_sqlite_fts); SQLite keeps the same words, stemmed and folded in Python, in an FTS5 table
(releases/search/fts.py). Both index the same parts with the same weights."""

from collections.abc import Iterable

from django.db import connection

from releases.search import fts

# Language code → PostgreSQL text-search configuration: the built-in one's stop words and
# stemmer, after ``unaccent`` (so "securite" finds "sécurité").
SEARCH_CONFIGS = {"en": "newsroom_english", "fr": "newsroom_french"}


FALLBACK_SEARCH_CONFIG = "newsroom_simple"


def uses_postgresql() -> bool:
    return connection.vendor == "postgresql"


def search_config(language: str) -> str:
    return SEARCH_CONFIGS.get(language, FALLBACK_SEARCH_CONFIG)


# One statement rebuilds the vectors of the given releases from the release, its quotes, its
# campaign and the quoted spokespeople. Weights: A headline; B subheadline, summary and
# quotes; C body, campaign name, spokespeople (honorific, name, attribution) and dateline.
# HTML tags in the body are skipped by the text-search parser. releases/search/fts.py reads
# the same parts for SQLite: change both together (tests/test_search_parity.py checks them).
_REFRESH_SQL = """
WITH document AS (
    SELECT r.id,
        (CASE r.language {config_cases} ELSE %s END)::regconfig AS config,
        r.headline,
        concat_ws(' ', r.subheadline, r.summary,
            (SELECT string_agg(q.text, ' ' ORDER BY q.position, q.id)
                FROM releases_quote q WHERE q.release_id = r.id)
        ) AS secondary,
        concat_ws(' ', r.body,
            CASE WHEN r.language = 'fr' THEN coalesce(nullif(c.name_fr, ''), c.name_en)
                 ELSE c.name_en END,
            (SELECT string_agg(concat_ws(' ',
                    CASE WHEN r.language = 'fr'
                         THEN coalesce(nullif(s.honorific_fr, ''), s.honorific_en)
                         ELSE s.honorific_en END,
                    s.name, q.attribution), ' ' ORDER BY q.position, q.id)
                FROM releases_quote q
                JOIN releases_spokesperson s ON s.id = q.spokesperson_id
                WHERE q.release_id = r.id),
            r.dateline_city, r.dateline_region
        ) AS tertiary
    FROM releases_release r
    LEFT JOIN releases_campaign c ON c.id = r.campaign_id
    WHERE {where}
)
UPDATE releases_release AS r
SET search_vector = setweight(to_tsvector(d.config, coalesce(d.headline, '')), 'A')
    || setweight(to_tsvector(d.config, d.secondary), 'B')
    || setweight(to_tsvector(d.config, d.tertiary), 'C')
FROM document d
WHERE r.id = d.id
"""


# Releases re-indexed per statement: a spokesperson quoted in thousands of releases is
# re-indexed in statements that each end well within the web server's statement timeout
# (DATABASE_STATEMENT_TIMEOUT, 5 s), rather than one that is cancelled with the edit.
REFRESH_BATCH = 500


def refresh_search_vectors(release_ids: Iterable[int] | None = None, *, using=None) -> None:
    """Rebuild the indexed words of these releases (all when ``None``).

    Called from releases/signals.py whenever a release or a quote is saved (and a release
    deleted), or the name of a campaign or the name or honorific of a quoted spokesperson
    changes, and by migration 0009 to rebuild everything. ``using`` is a connection (the
    default one unless given).
    """
    using = using or connection
    if using.vendor == "sqlite":
        fts.refresh(using, release_ids)
        return
    if using.vendor != "postgresql":
        return
    config_cases = " ".join("WHEN %s THEN %s" for _ in SEARCH_CONFIGS)
    params: list = [item for pair in SEARCH_CONFIGS.items() for item in pair]
    params.append(FALLBACK_SEARCH_CONFIG)
    with using.cursor() as cursor:
        if release_ids is None:
            cursor.execute(_REFRESH_SQL.format(config_cases=config_cases, where="TRUE"), params)
            return
        ids = sorted({int(pk) for pk in release_ids if pk is not None})
        statement = _REFRESH_SQL.format(config_cases=config_cases, where="r.id = ANY(%s)")
        for start in range(0, len(ids), REFRESH_BATCH):
            cursor.execute(statement, [*params, ids[start : start + REFRESH_BATCH]])
