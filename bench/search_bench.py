"""Throwaway benchmark for issue 5: median time of a search and of a filtered list page.

Fills a PostgreSQL database (NOT the test one) with N releases in bulk SQL, builds the search
vectors, then times the two pages through Django's test client (views, queries and templates):

    createdb -h 127.0.0.1 -U postgres newsroom_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench SECRET_KEY=bench
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/search_bench.py --seed 100000
    .venv/bin/python bench/search_bench.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault(
    "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
)

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from releases.search import refresh_search_vectors  # noqa: E402

WORDS_EN = (
    "police community safety partners training mental health crisis response officers "
    "leadership national week public trust harm reduction drugs cannabis road safety youth "
    "violence prevention cyber crime fraud investigation equity inclusion indigenous rural "
    "budget federal province municipal report survey data recruitment wellness"
).split()
WORDS_FR = (
    "police communauté sécurité partenaires formation santé mentale crise intervention "
    "policiers policières leadership nationale semaine confiance réduction méfaits drogues "
    "cannabis routière jeunes violence prévention cybercriminalité fraude enquête équité"
).split()


def say(text: str) -> None:
    sys.stdout.write(f"{text}\n")
    sys.stdout.flush()


def seed(count: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO releases_campaign (name, name_en, name_fr, edition, slug, theme,
                theme_en, start_date, end_date, description, hashtag)
            SELECT 'Campaign ' || g, 'Campaign ' || g, 'Campagne ' || g, 2000 + g,
                'bench-campaign-' || g, '', '', DATE '2015-01-01' + g * 30,
                DATE '2015-01-07' + g * 30, '', ''
            FROM generate_series(1, 40) g;
            INSERT INTO releases_topic (name, name_en, name_fr, slug)
            SELECT 'Topic ' || g, 'Topic ' || g, 'Sujet ' || g, 'bench-topic-' || g
            FROM generate_series(1, 30) g;
            INSERT INTO releases_spokesperson (honorific, honorific_en, name, slug, title,
                title_en, organisation_name, organisation_name_en, bio, bio_en)
            SELECT 'Chief', 'Chief', 'Person ' || g, 'bench-person-' || g, 'President',
                'President', 'Association', 'Association', '', ''
            FROM generate_series(1, 25) g;
            """
        )
        cursor.execute(
            """
            WITH words AS (SELECT %s::text[] AS en, %s::text[] AS fr)
            INSERT INTO releases_release (headline, subheadline, slug, release_type, language,
                translation_group, dateline_city, dateline_region, summary, body, campaign_id,
                status, publish_at, publication_date, withdrawn_reason, version, created_at,
                modified_at)
            SELECT
                initcap(lang_words[1 + g %% 20] || ' ' || lang_words[1 + (g * 7) %% 25] || ' '
                    || lang_words[1 + (g * 13) %% 23]) || ' ' || g,
                '', 'bench-' || g,
                (ARRAY['news-release','media-advisory','statement','backgrounder'])[1 + g %% 4],
                lang, gen_random_uuid(), 'Ottawa', 'ON', '',
                -- 160 filler words from a 5,000-word vocabulary, plus two topical words,
                -- so a topical search matches a few per cent of releases, as in real life.
                '<p>' || lang_words[1 + g %% 20] || ' ' || lang_words[1 + (g * 7) %% 25]
                || ' ' || (SELECT string_agg('w' || ((g * 31 + w * 7919) %% 5000), ' ')
                    FROM generate_series(1, 160) w) || '.</p>',
                (SELECT id FROM releases_campaign ORDER BY id OFFSET g %% 40 LIMIT 1),
                CASE WHEN g %% 50 = 0 THEN 'draft' ELSE 'published' END,
                now() - (g || ' hours')::interval,
                (now() - (g || ' hours')::interval)::date,
                '', 1, now(), now()
            FROM generate_series(1, %s) g,
                LATERAL (SELECT CASE WHEN g %% 2 = 0 THEN 'en' ELSE 'fr' END AS lang) l,
                LATERAL (SELECT CASE WHEN l.lang = 'en' THEN en ELSE fr END AS lang_words
                         FROM words) lw;
            """,
            [WORDS_EN, WORDS_FR, count],
        )
        cursor.execute(
            """
            INSERT INTO releases_release_topics (release_id, topic_id)
            SELECT r.id, t.id FROM releases_release r
            JOIN releases_topic t ON t.id IN (
                (SELECT min(id) FROM releases_topic) + r.id % 30,
                (SELECT min(id) FROM releases_topic) + (r.id * 7) % 30)
            ON CONFLICT DO NOTHING;
            INSERT INTO releases_quote (release_id, spokesperson_id, text, attribution, position)
            SELECT r.id, (SELECT min(id) FROM releases_spokesperson) + r.id % 25,
                'We are working with our partners to keep communities safe.', 'Chief', 1
            FROM releases_release r WHERE r.id % 3 = 0;
            """
        )
    started = time.perf_counter()
    refresh_search_vectors()
    say(f"search vectors built in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE releases_release")
        cursor.execute("ANALYZE releases_release_topics")
        cursor.execute("ANALYZE releases_quote")


def median_ms(client: Client, url: str, runs: int = 15) -> float:
    """Median of ``runs`` requests; with --cold the facet-count cache is emptied before each."""
    client.get(url)  # warm up
    timings = []
    for _ in range(runs):
        if "--cold" in sys.argv:
            cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings)


def explain(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ANALYZE {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> None:
    if "--seed" in sys.argv:
        seed(int(sys.argv[sys.argv.index("--seed") + 1]))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM releases_release")
        say(f"{cursor.fetchone()[0]} releases")
    client = Client()
    urls = [
        "/en/search/?q=harm+reduction",
        "/en/search/?q=partnering",
        "/en/search/?q=w17",
        "/fr/search/?q=policière",
        "/en/search/?q=police+training&type=statement&year=2024",
        "/en/releases/?type=statement&year=2024",
        "/en/releases/?campaign=bench-campaign-7&topic=bench-topic-3",
        "/en/releases/",
    ]
    for url in urls:
        say(f"{median_ms(client, url):7.1f} ms  {url}")
    if "--explain" in sys.argv:
        from releases.search import ReleaseFilters, find_releases

        queryset = find_releases(ReleaseFilters(language="en", query="harm reduction"))[:20]
        say(explain(*queryset.query.sql_with_params()))


if __name__ == "__main__":
    main()
