"""The search index's write side: each release's weighted ``tsvector``, in its own language's
text-search configuration (PostgreSQL only; SQLite has no index)."""

from collections.abc import Iterable

from django.db import connection

# Language code → PostgreSQL text-search configuration (stemmer and stop words).
SEARCH_CONFIGS = {"en": "english", "fr": "french"}


FALLBACK_SEARCH_CONFIG = "simple"


def uses_postgresql() -> bool:
    return connection.vendor == "postgresql"


def search_config(language: str) -> str:
    return SEARCH_CONFIGS.get(language, FALLBACK_SEARCH_CONFIG)


# One statement rebuilds the vectors of the given releases from the release, its quotes, its
# campaign and the quoted spokespeople. Weights: A headline; B subheadline and quotes;
# C body, campaign name and spokespeople's names. HTML tags in the body are skipped by the
# text-search parser. Migration 0005_search_vector backfills with a copy of this statement.
_REFRESH_SQL = """
WITH document AS (
    SELECT r.id,
        (CASE r.language {config_cases} ELSE %s END)::regconfig AS config,
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
    WHERE {where}
)
UPDATE releases_release AS r
SET search_vector = setweight(to_tsvector(d.config, coalesce(d.headline, '')), 'A')
    || setweight(to_tsvector(d.config, d.secondary), 'B')
    || setweight(to_tsvector(d.config, d.tertiary), 'C')
FROM document d
WHERE r.id = d.id
"""


def refresh_search_vectors(release_ids: Iterable[int] | None = None) -> None:
    """Rebuild the stored search vector of these releases (all when ``None``).

    Called from releases/signals.py whenever a release, a quote, a campaign or a spokesperson
    is saved; a no-op on SQLite, which has no full-text search.
    """
    if not uses_postgresql():
        return
    config_cases = " ".join("WHEN %s THEN %s" for _ in SEARCH_CONFIGS)
    params: list = [item for pair in SEARCH_CONFIGS.items() for item in pair]
    params.append(FALLBACK_SEARCH_CONFIG)
    if release_ids is None:
        where = "TRUE"
    else:
        ids = [int(pk) for pk in release_ids if pk is not None]
        if not ids:
            return
        where = "r.id = ANY(%s)"
        params.append(ids)
    with connection.cursor() as cursor:
        cursor.execute(_REFRESH_SQL.format(config_cases=config_cases, where=where), params)
