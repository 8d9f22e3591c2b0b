"""Every list order and filter has an index: PostgreSQL's own plans at 100,000 releases.

The rows are inserted by one ``INSERT … SELECT generate_series`` (about two seconds), then
``ANALYZE``d, and the planner chooses freely (no ``enable_seqscan = off``): a sequential scan
in a plan below means PostgreSQL found no usable index for that page at that size.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from pagecache.pagination import ConstantCostPaginator
from releases.models import Release, Status
from releases.search.query import ReleaseFilters, find_releases
from releases.syndication.sitemaps import CampaignSitemap, _last_public_change
from tests.factories import make_campaign, make_topic

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
ROWS = 100_000


def insert_releases(campaign_ids: list[int], topic_id: int) -> None:
    """ROWS releases over ten years, both languages, every type, 2 % scheduled or drafts; one
    in fifty in a campaign and one in ten on the topic."""
    campaigns = "ARRAY[" + ",".join(map(str, campaign_ids)) + "]::bigint[]"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO releases_release (
                headline, subheadline, slug, release_type, language, translation_group,
                dateline_city, dateline_region, summary, body, status, publish_at,
                publication_date, withdrawn_reason, version, created_at, modified_at,
                campaign_id)
            SELECT 'Headline ' || n, '', 'headline-' || n,
                (ARRAY['news-release','media-advisory','statement','backgrounder'])[n %% 4 + 1],
                CASE WHEN n %% 2 = 0 THEN 'en' ELSE 'fr' END, gen_random_uuid(),
                'Ottawa', 'ON', '', '<p>Body.</p>',
                CASE WHEN n %% 50 = 0 THEN 'draft' WHEN n %% 97 = 0 THEN 'withdrawn'
                     ELSE 'published' END,
                at, (at AT TIME ZONE 'America/Toronto')::date, '', 1, now(), now(),
                CASE WHEN n %% 50 = 1 THEN ({campaigns})[(n / 50) %% {len(campaign_ids)} + 1] END
            FROM (
                SELECT n, now() - (n * interval '50 minutes') + interval '1 day' AS at
                FROM generate_series(1, %s) AS n
            ) AS generated
            """,
            [ROWS],
        )
        cursor.execute(
            "INSERT INTO releases_release_topics (release_id, topic_id) "
            "SELECT id, %s FROM releases_release WHERE id %% 10 = 0",
            [topic_id],
        )
        cursor.execute("ANALYZE releases_release; ANALYZE releases_release_topics")


def plan(queryset) -> str:
    return queryset.explain()


@pytest.fixture
def hot_paths():
    campaigns = [make_campaign() for _ in range(20)]
    topic = make_topic()
    insert_releases([c.pk for c in campaigns], topic.pk)
    listing = Release.objects.published().in_language("en").for_listing()
    archive = Release.objects.published(include_withdrawn=True).in_language("en").for_listing()
    paginator = ConstantCostPaginator(listing, 20, cache_key="explain")
    deep_anchor = listing.values_list("publish_at", "id")[39_980]
    a_day = timezone.localdate() - timedelta(days=400)
    detail = archive.filter(publication_date=a_day).first()
    year = a_day.year
    return {
        "list page 1": listing[:20],
        "list page 2,000 by keyset": listing.filter(paginator._from(deep_anchor))[:20],
        "list filtered by type": listing.filter(release_type="statement")[:20],
        "campaign page": listing.filter(campaign=campaigns[3])[:50],
        "topic page": listing.filter(topics=topic)[:20],
        "year archive": archive.filter(
            publication_date__gte=f"{year}-01-01", publication_date__lt=f"{year + 1}-01-01"
        )[:20],
        "release detail": archive.filter(publication_date=a_day, slug=detail.slug),
        "list filtered by year": find_releases(ReleaseFilters(language="en", year=year))[:20],
        "next go-live": Release.objects.filter(
            status__in=[Status.PUBLISHED, Status.WITHDRAWN], publish_at__gt=timezone.now()
        ).order_by("publish_at")[:1],
    }


def test_every_hot_path_uses_an_index_at_100_000_releases(hot_paths):
    plans = {name: plan(queryset) for name, queryset in hot_paths.items()}
    sequential = {name: text for name, text in plans.items() if "Seq Scan" in text}
    assert not sequential, "\n\n".join(f"{name}:\n{text}" for name, text in sequential.items())
    assert "release_campaign_listing_idx" in plans["campaign page"]
    assert "release_publish_at_idx" in plans["next go-live"]
    # The deep page starts at its key in the index instead of reading the rows before it.
    deep = plans["list page 2,000 by keyset"].replace('"', "")
    assert "Index Cond" in deep and "publish_at <=" in deep
    # A year's list reads the index from that year, not past every newer release.
    by_year = plans["list filtered by year"].replace('"', "")
    assert "Index Cond" in by_year and "publish_at >=" in by_year


def test_release_rows_keep_their_long_columns_out_of_line():
    """Lists and counts read many rows but never the body or the search vector: with both out
    of line (migration 0008), a page of the table holds many rows, not two."""
    rows = 500
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO releases_release (
                headline, subheadline, slug, release_type, language, translation_group,
                dateline_city, dateline_region, summary, body, status, publish_at,
                publication_date, withdrawn_reason, version, created_at, modified_at)
            SELECT 'Headline ' || n, '', 'headline-' || n, 'statement', 'en',
                gen_random_uuid(), 'Ottawa', 'ON', '',
                (SELECT string_agg('<p>Officers will meet residents at community centres '
                    || 'throughout the week, ' || md5(n::text || part::text) || '.</p>', ' ')
                 FROM generate_series(1, 40) AS part),
                'published', now(), current_date, '', 1, now(), now()
            FROM generate_series(1, %s) AS n
            """,
            [rows],
        )
        # A body of 4.5 kB compresses to 1.6 kB, which PostgreSQL's default keeps in the row.
        cursor.execute("SELECT avg(length(body)), avg(pg_column_size(body)) FROM releases_release")
        assert [round(size, -2) for size in cursor.fetchone()] == [4500, 1600]
        # The table's pages that hold them: four rows to a page would take 125.
        cursor.execute("SELECT count(DISTINCT (ctid::text::point)[0]) FROM releases_release")
        assert cursor.fetchone()[0] < rows / 20


def test_the_sitemaps_newest_changes_are_read_from_the_top_of_an_index(hot_paths):
    """The index of sitemaps dates each section by its newest public change: overall and for
    each campaign, the first public row down an index, not a sort of every release."""
    newest = plan(
        _last_public_change(Release.objects.published()).values_list("change", flat=True)[:1]
    )
    assert "release_last_change_idx" in newest and "Sort" not in newest
    by_campaign = plan(CampaignSitemap().items())
    assert "release_campaign_change_idx" in by_campaign and "Sort Key: (COALESCE" not in by_campaign
