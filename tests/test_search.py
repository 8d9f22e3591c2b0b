"""Finding releases: full-text search, facets and filters, archive months, related releases."""

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from releases.models import CountedRelease, Release, ReleaseType, Status
from releases.search import counts
from releases.search import facets as search_facets
from releases.search import index as search_index
from releases.search import matches as search_matches
from releases.search import query as search_query
from releases.workflow import publishing
from tests.factories import (
    make_campaign,
    make_many_releases,
    make_organisation,
    make_quote,
    make_release,
    make_spokesperson,
    make_topic,
)

pytestmark = pytest.mark.django_db

TORONTO = ZoneInfo("America/Toronto")


def facet_values(view, name: str) -> list[search_facets.FacetValue]:
    """The counts beside one facet of a list page, as the page computed them."""
    return search_facets.facet_counts(view.filters)[name]


def at(year, month=5, day=9, hour=10):
    return datetime(year, month, day, hour, tzinfo=TORONTO)


def search(client, language="en", **params):
    with translation.override(language):
        return client.get(reverse("releases:search"), params)


def headlines(response) -> list[str]:
    return [release.headline for release in response.context["releases"]]


# Full-text search (PostgreSQL and SQLite alike)


def test_english_search_finds_other_forms_of_a_word(client):
    make_release(headline="Police Week", body="<p>Our partners in every province.</p>")
    make_release(headline="Unrelated", body="<p>Nothing here.</p>")
    assert headlines(search(client, q="partnering")) == ["Police Week"]


def test_french_search_finds_the_masculine_plural_from_the_feminine(client):
    make_release(
        headline="Semaine de la police",
        body="<p>Les policiers et les policières du pays.</p>",
        language="fr",
        slug="semaine",
    )
    make_release(headline="Autre chose", body="<p>Rien.</p>", language="fr", slug="autre")
    assert headlines(search(client, "fr", q="policière")) == ["Semaine de la police"]


def test_search_stays_in_the_pages_language_and_counts_the_other_one(client):
    make_release(headline="Police partners", language="en")
    make_release(headline="Partenaires de la police", language="fr", slug="partenaires")
    response = search(client, q="police")
    assert headlines(response) == ["Police partners"]
    languages = {v.label: v.count for v in facet_values(response.context["view"], "language")}
    assert languages == {"English": 1, "French": 1}
    french = search(client, q="police", language="fr")
    assert headlines(french) == ["Partenaires de la police"]


def test_headline_matches_rank_above_body_matches_and_newer_wins_ties(client, now):
    make_release(headline="Annual report", body="<p>Harm reduction works.</p>")
    make_release(
        headline="Harm reduction strategy",
        body="<p>Text.</p>",
        publish_at=now - timedelta(days=30),
    )
    make_release(
        headline="Harm reduction strategy update",
        body="<p>Text.</p>",
        publish_at=now - timedelta(days=2),
    )
    assert headlines(search(client, q="harm reduction")) == [
        "Harm reduction strategy update",
        "Harm reduction strategy",
        "Annual report",
    ]


def test_matching_words_are_highlighted_and_the_rest_escaped(client):
    make_release(
        headline="Working with partners",
        body="<p>Police &amp; community partners met in <strong>Ottawa</strong>.</p>",
    )
    response = search(client, q="partner")
    assert "<mark>partners</mark> met in Ottawa" in response.text
    assert "Working with <mark>partners</mark>" in response.text
    assert "Police &amp; community" in response.text


def test_quotes_campaign_and_spokesperson_names_are_searchable_and_kept_current(client):
    campaign = make_campaign(name_en="National Police Week")
    release = make_release(headline="A week", campaign=campaign)
    person = make_spokesperson(name="Bryan Larkin")
    assert headlines(search(client, q="larkin")) == []
    make_quote(release, spokesperson=person, text="Communities are safer together.")
    assert headlines(search(client, q="larkin")) == ["A week"]
    assert headlines(search(client, q="safer communities")) == ["A week"]
    person.name = "Bryan Smith"
    person.save()
    assert headlines(search(client, q="smith")) == ["A week"]
    campaign.name_en = "Crime Prevention Week"
    campaign.save()
    assert headlines(search(client, q="prevention")) == ["A week"]
    release.headline = "A renamed release"
    release.save()
    assert headlines(search(client, q="renamed")) == ["A renamed release"]


@pytest.mark.postgres
def test_the_gin_index_serves_the_search_query():
    """On a table this small the planner's choice hangs on details, so the test makes it
    deterministic: a thousand rows (so the GIN index beats a bitmap scan of the listing index,
    all the language and status filters can offer), the GIN pending list flushed (rows indexed
    by fresh UPDATEs wait in it, and the planner prices scanning it), fresh statistics, and
    sequential scans off (``SET LOCAL``: this transaction only). What it proves is that the
    query's shape (the language's configuration, ``@@`` on the stored column) lets PostgreSQL
    use the index; the 100,000-row benchmark shows it choosing the index unforced."""
    from releases.search.index import refresh_search_vectors
    from releases.search.query import ReleaseFilters, find_releases

    make_release(headline="Partners")
    published = make_release(headline="Template")
    make_many_releases(
        1000, like=published, body="<p>Ordinary words about budgets and meetings.</p>"
    )
    refresh_search_vectors()
    filters = ReleaseFilters(language="en", query="partnering")
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list('release_search_vector_idx')")
        cursor.execute("ANALYZE releases_release")
        cursor.execute("SET LOCAL enable_seqscan = off")

        def plan(sql, params) -> str:
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())

        results = plan(*find_releases(filters).query.sql_with_params())
        facets = plan(
            *search_matches.matching_statement(filters.query, "en").query.sql_with_params()
        )
    gin_scan = "Bitmap Index Scan on release_search_vector_idx"
    assert gin_scan in results, results
    # The facet counts read the index once (at most once per language's words), not once per
    # facet: six GROUP BYs each searching it would scan it six times or more.
    assert 1 <= facets.count(gin_scan) <= len(search_index.SEARCH_CONFIGS), facets


@pytest.mark.postgres
def test_ranking_the_matches_reads_their_rows_alone():
    """Every match's vector is read to rank it: kept in the row (migration 0019) it costs no
    page beyond the row's own, where out of line (TOAST) it cost three or four more per match,
    through the TOAST table's index. Bitmap scans (as at 100,000 releases): the pages the scan
    read, less its index's, are the heap pages it visited and nothing else."""
    from releases.search.index import refresh_search_vectors

    vocabulary = random.Random(18)
    # 300 words a stemmer keeps as they are: a vector of several kilobytes, well over the
    # 1 kB (``toast_tuple_target``) past which other long columns leave the row.
    words = [
        "".join(vocabulary.choice("bcdfghjklmnpqrstvwxz") for _ in range(7)) for _ in range(300)
    ]
    published = make_release(headline="Road safety week")
    make_many_releases(40, like=published, body=f"<p>Safety {' '.join(words)}.</p>")
    refresh_search_vectors()
    counts.rebuild()  # the kept values, and the rows' copies of them
    assert Release.objects.filter(counted_values__isnull=True).count() == 0
    statement = search_matches.matching_statement("safety", "en")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = statement.query.sql_with_params()
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]

    def nodes(node):
        yield node
        for child in node.get("Plans", []):
            yield from nodes(child)

    def pages(node):
        return node["Shared Hit Blocks"] + node["Shared Read Blocks"]

    ranked = [
        node
        for node in nodes(plan[0]["Plan"])
        if node["Node Type"] == "Bitmap Heap Scan" and node["Actual Rows"] == 41
    ]
    assert len(ranked) == 1, plan
    scan = ranked[0]
    heap_pages = scan["Exact Heap Blocks"] + scan["Lossy Heap Blocks"]
    index_pages = sum(pages(index) for index in scan["Plans"])
    assert pages(scan) - index_pages <= heap_pages, plan
    # Nor does reading each match's facet values (0022, 0023), above the scan: the whole
    # statement reads the rows' pages, the indexes' and those of the other language's part.
    # (a lookup per match would read 41 pages at least).
    other_part = sum(pages(node) for node in plan[0]["Plan"]["Plans"][1:])
    assert pages(plan[0]["Plan"]) - other_part - index_pages - heap_pages < 10, plan


# Search words on both databases (SQLite falls back to a substring match)


def test_search_finds_headline_words_on_any_database(client):
    make_release(headline="Police Week begins")
    make_release(headline="Budget statement")
    assert headlines(search(client, q="police")) == ["Police Week begins"]


def test_only_public_releases_are_searched_or_counted(client, tomorrow):
    make_release(headline="Police public")
    make_release(headline="Police draft", published=False)
    make_release(headline="Police embargoed", publish_at=tomorrow)
    withdrawn = make_release(headline="Police withdrawn")
    Release.objects.filter(pk=withdrawn.pk).update(status=Status.WITHDRAWN)
    response = search(client, q="police")
    assert headlines(response) == ["Police public"]
    assert "1 release containing “\u2068police\u2069”" in response.text
    counts = facet_values(response.context["view"], "type")
    assert [(v.label, v.count) for v in counts] == [("News release", 1)]


BAD_QUERIES = [
    '"unbalanced',
    "police & | ! :*",
    "& | ! :*",
    "!",
    "-",
    ":*",
    "police:*",
    "((police",
    "x" * 5000,
    "<script>alert(1)</script>",
    "police\x00week",
    "' OR 1=1 --",
]


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_queries_give_a_normal_page_and_are_never_echoed_raw(client, query):
    make_release(headline="Police Week")
    response = search(client, q=query)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text
    assert len(response.context["filters"].query) <= 200


@pytest.mark.parametrize(
    "params",
    [
        {"type": "press-kit"},
        {"campaign": "no-such-campaign"},
        {"topic": "<b>x</b>"},
        {"spokesperson": "nobody\x00"},
        {"year": "twenty"},
        {"year": "9" * 5000},
        {"language": "de"},
    ],
)
def test_unknown_filter_values_are_ignored_with_a_notice(client, params):
    make_release(headline="Still listed")
    for url in ("/en/releases/", "/en/search/"):
        response = client.get(url, params)
        assert response.status_code == 200
        assert "Still listed" in response.text
        assert "were not recognised and have been ignored" in response.text
        assert "<b>x</b>" not in response.text


# Facets and filters


@pytest.fixture
def shelf():
    """Releases across two years, types, campaigns, topics and spokespeople."""
    week = make_campaign(name_en="Police Week", slug="police-week", edition=2021)
    health = make_topic(name_en="Mental health", slug="mental-health")
    larkin = make_spokesperson(name="Bryan Larkin", slug="bryan-larkin")
    first = make_release(headline="Police Week opens", campaign=week, publish_at=at(2021))
    first.topics.add(health)
    make_quote(first, spokesperson=larkin)
    make_release(
        headline="Police statement", release_type=ReleaseType.STATEMENT, publish_at=at(2021, 6)
    )
    second = make_release(headline="Police Week again", campaign=week, publish_at=at(2021, 7))
    second.topics.add(health)
    make_release(headline="Police budget", publish_at=at(2022))
    make_release(headline="Harm reduction", publish_at=at(2022, 3))
    make_release(headline="Police draft", published=False, campaign=week)
    return {"campaign": week, "topic": health, "spokesperson": larkin}


def test_facets_count_each_value_and_ignore_their_own_choice(client, shelf):
    response = client.get("/en/releases/", {"type": "news-release", "year": "2021"})
    view = response.context["view"]
    assert headlines(response) == ["Police Week again", "Police Week opens"]
    assert [(v.label, v.count) for v in facet_values(view, "type")] == [
        ("News release", 2),
        ("Statement", 1),
    ]
    assert [(v.value, v.count) for v in facet_values(view, "year")] == [("2022", 2), ("2021", 2)]
    assert [(v.label, v.count) for v in facet_values(view, "campaign")] == [("Police Week 2021", 2)]
    assert [(v.label, v.count) for v in facet_values(view, "topic")] == [("Mental health", 2)]
    assert [(v.label, v.count) for v in facet_values(view, "spokesperson")] == [("Bryan Larkin", 1)]


def test_the_facet_panel_prints_names_escaped_and_marks_the_chosen_value(client, shelf):
    """The panel's items are written in Python (a hundred of them): a name is escaped as the
    template would, each link keeps the other filters, and the chosen value says so."""
    odd = make_topic(name_en='Guns & "ghost" <b>parts</b>', slug="ghost-guns")
    make_release(headline="Police Week ghost", publish_at=at(2021, 8)).topics.add(odd)
    response = client.get("/en/releases/", {"year": "2021"})
    panel = response.text.split('<aside class="facets"')[1].split("</aside>")[0]
    assert (
        '<li><a href="/en/releases/?year=2021&amp;topic=ghost-guns">'
        "Guns &amp; &quot;ghost&quot; &lt;b&gt;parts&lt;/b&gt;</a> "
        '<span class="facet__count">(1)</span></li>'
    ) in panel
    assert (
        '<li><a href="/en/releases/?" aria-current="true" class="facet__active">2021</a> '
        '<span class="facet__count">(4)</span></li>'
    ) in panel
    assert "<b>parts" not in response.text


def test_french_facets_name_values_in_french_or_else_in_english(client):
    week = make_campaign(
        name_en="Police Week", name_fr="Semaine de la police", slug="semaine", edition=2021
    )
    named = make_topic(name_en="Mental health", name_fr="Santé mentale", slug="sante-mentale")
    unnamed = make_topic(name_en="Road safety", slug="road-safety")
    larkin = make_spokesperson(name="Bryan Larkin", slug="bryan-larkin")
    release = make_release(headline="La Semaine commence", language="fr", campaign=week)
    release.topics.add(named, unnamed)
    make_quote(release, spokesperson=larkin)
    view = client.get("/fr/communiques/").context["view"]
    assert [v.label for v in facet_values(view, "campaign")] == ["Semaine de la police 2021"]
    assert [v.label for v in facet_values(view, "topic")] == ["Road safety", "Santé mentale"]
    assert [v.label for v in facet_values(view, "spokesperson")] == ["Bryan Larkin"]


@pytest.mark.parametrize("path", ["/en/releases/", "/en/search/?q=police"])
def test_each_edition_of_a_campaign_is_its_own_facet_value(client, shelf, path):
    later = make_campaign(
        name_en="Police Week", name_fr="Semaine de la police", slug="police-week-2022", edition=2022
    )
    make_release(headline="Police Week returns", campaign=later, publish_at=at(2022, 5))
    view = client.get(path).context["view"]
    assert [(v.value, v.label) for v in facet_values(view, "campaign")] == [
        ("police-week", "Police Week 2021"),
        ("police-week-2022", "Police Week 2022"),
    ]


def test_filters_combine_with_words_and_say_so_in_a_sentence(client, shelf):
    response = search(client, q="police", type="news-release", year="2021")
    assert headlines(response) == ["Police Week again", "Police Week opens"]
    assert "2 news releases from 2021 containing “\u2068police\u2069”" in response.text


@pytest.mark.parametrize(
    ("param", "value", "expected"),
    [
        ("campaign", "police-week", ["Police Week again", "Police Week opens"]),
        ("topic", "mental-health", ["Police Week again", "Police Week opens"]),
        ("spokesperson", "bryan-larkin", ["Police Week opens"]),
        ("year", "2022", ["Police budget", "Harm reduction"]),
        ("type", "statement", ["Police statement"]),
    ],
)
def test_each_filter_narrows_the_list(client, shelf, param, value, expected):
    assert headlines(client.get("/en/releases/", {param: value})) == expected


def test_active_filters_are_shown_with_links_that_remove_them(client, shelf):
    response = client.get("/en/releases/", {"campaign": "police-week", "year": "2021"})
    active = response.context["active_filters"]
    assert [(a["name"], a["value"]) for a in active] == [
        ("Campaign", str(shelf["campaign"])),
        ("Year", "2021"),
    ]
    assert active[0]["remove_url"] == "?year=2021"
    assert active[1]["remove_url"] == "?campaign=police-week"
    assert 'href="/en/releases/?year=2021"' in response.text


def test_filters_are_kept_across_pages(client, now):
    for n in range(25):
        make_release(
            headline=f"Statement {n}",
            release_type=ReleaseType.STATEMENT,
            publish_at=now - timedelta(hours=n + 1),
        )
    make_release(headline="Other type")
    response = client.get("/en/releases/", {"type": "statement"})
    assert 'href="?type=statement&amp;page=2"' in response.text
    second = client.get("/en/releases/", {"type": "statement", "page": 2})
    assert len(second.context["releases"]) == 5
    assert "Other type" not in second.text


@pytest.mark.parametrize("count", [1, 30])
def test_list_and_search_pages_need_few_queries_however_many_releases(
    client, django_assert_max_num_queries, count
):
    campaign = make_campaign()
    topic = make_topic()
    for n in range(count):
        release = make_release(headline=f"Police news {n}", campaign=campaign)
        release.topics.add(topic)
        make_quote(release)
    filters = {"campaign": campaign.slug, "topic": topic.slug, "year": "2021"}
    # The list reads its kept counts (three small reads: the counts, what went public since,
    # the labels) where the search groups its matches in one statement.
    with django_assert_max_num_queries(7):
        client.get("/en/releases/")
    with django_assert_max_num_queries(6):
        client.get("/en/search/", {"q": "police", **filters})


# Archives


def test_year_and_month_archives_list_months_with_their_counts(client):
    for month, day in [(1, 5), (5, 9), (5, 10), (5, 11)]:
        make_release(publish_at=at(2021, month, day))
    make_release(publish_at=at(2022, 1, 5))
    make_release(published=False)
    year = client.get("/en/releases/2021/")
    assert [(m.month, n) for m, n in year.context["months"]] == [(1, 1), (5, 3)]
    assert 'January <span class="facet__count">(1)</span>' in year.text
    month = client.get("/en/releases/2021/05/")
    assert [(m.month, n) for m, n in month.context["months"]] == [(1, 1), (5, 3)]
    assert 'aria-current="page">May' in month.text


@pytest.mark.parametrize("months", [1, 12])
def test_archive_month_counts_cost_the_same_queries_for_one_month_or_twelve(
    client, django_assert_max_num_queries, months
):
    for month in range(1, months + 1):
        make_release(publish_at=at(2021, month, 5))
    with django_assert_max_num_queries(6):
        client.get("/en/releases/2021/")
    with django_assert_max_num_queries(6):
        client.get("/en/releases/2021/01/")


# Related releases


def test_related_releases_prefer_the_campaign_then_shared_topics(
    client, django_assert_max_num_queries, tomorrow
):
    campaign = make_campaign()
    health, safety = make_topic(), make_topic()
    release = make_release(headline="This one", campaign=campaign)
    release.topics.add(health, safety)
    make_release(headline="Same campaign", campaign=campaign)
    both = make_release(headline="Two shared topics")
    both.topics.add(health, safety)
    one = make_release(headline="One shared topic")
    one.topics.add(safety)
    make_release(headline="Unrelated")
    make_release(headline="Draft in campaign", campaign=campaign, published=False)
    make_release(headline="Embargoed in campaign", campaign=campaign, publish_at=tomorrow)
    make_release(headline="French twin", campaign=campaign, language="fr", slug="fr-twin")
    more = make_release(headline="Older shared topic")
    more.topics.add(health)

    from releases.search.related import related_releases

    release = Release.objects.prefetch_related("topics").get(pk=release.pk)
    with django_assert_max_num_queries(1):
        related = related_releases(release)
    assert [r.headline for r in related] == [
        "Same campaign",
        "Two shared topics",
        "Older shared topic",
    ]
    response = client.get(release.get_absolute_url())
    assert "Related releases" in response.text
    assert "Same campaign" in response.text and "Draft in campaign" not in response.text


def test_a_release_with_no_campaign_or_topics_shows_no_related_section(client):
    release = make_release()
    make_release()
    assert "Related releases" not in client.get(release.get_absolute_url()).text


def test_publishing_keeps_the_release_findable(client, tomorrow):
    release = make_release(headline="Scheduled police news", publish_at=tomorrow)
    assert headlines(search(client, q="police")) == []
    publishing.publish(release=release, at=tomorrow - timedelta(days=2))
    assert headlines(search(client, q="police")) == ["Scheduled police news"]


def test_search_page_is_linked_from_every_page(client):
    assert f'href="{reverse("releases:search")}"' in client.get("/en/").text


def test_facet_counts_are_cached_until_something_is_saved(client, django_assert_max_num_queries):
    release = make_release(headline="Police statement", release_type=ReleaseType.STATEMENT)
    make_release(headline="Police news")
    first = client.get("/en/releases/")
    statements = [v.count for v in facet_values(first.context["view"], "type")]
    assert statements == [1, 1]
    with django_assert_max_num_queries(3):
        client.get("/en/releases/")
    release.status = Status.WITHDRAWN
    release.save()
    after = client.get("/en/releases/")
    assert [(v.label, v.count) for v in facet_values(after.context["view"], "type")] == [
        ("News release", 1)
    ]


@pytest.mark.postgres
def test_seeded_benchmark_releases_are_searchable(client):
    call_command("seed_releases", count=30, verbosity=0)
    assert not Release.objects.filter(search_vector__isnull=True).exists()
    release = Release.objects.published().filter(language="en").order_by("-publish_at").first()
    word = max(release.headline.split(), key=len)
    response = client.get("/en/search/", {"q": word})
    assert release.get_absolute_url() in response.text


def valued(rows):
    """Facet rows that name a value (a release with no campaign counts under none)."""
    return sorted(row for row in rows if row[1] not in (None, ""))


def test_facet_counts_for_query_words_equal_one_count_per_facet(shelf):
    """With query words, the matches are found once and counted six ways; the counts must be
    those of six separate GROUP BYs, whatever filters are chosen and whatever the language."""
    call_command("seed_releases", count=60, verbosity=0)
    sample = (
        Release.objects.published()
        .filter(language="en", campaign__isnull=False, quotes__isnull=False, topics__isnull=False)
        .first()
    )
    word = max(sample.headline.split(), key=len)
    choices = [
        {},
        {"release_type": sample.release_type},
        {"campaign": sample.campaign, "year": sample.publication_date.year},
        {"topic": shelf["topic"]},
        {"spokesperson": shelf["spokesperson"], "release_type": ReleaseType.NEWS_RELEASE},
        {"topic": sample.topics.first(), "spokesperson": sample.quotes.first().spokesperson},
    ]
    compared = 0
    for page_language, language in [("en", "en"), ("fr", "fr"), ("fr", "en")]:
        with translation.override(page_language):
            for query in (word, "police", "nothing-matches-this"):
                for chosen in choices:
                    filters = search_query.ReleaseFilters(language=language, query=query, **chosen)
                    once = valued(search_facets._count_facets_of_matches(filters))
                    by_part = valued(search_facets._count_facets_by_part(filters))
                    assert once == by_part, (page_language, language, query, chosen)
                    compared += bool(once)
    assert compared > 20


def test_search_pages_follow_the_ranking_of_the_sql_statement(client, settings, now):
    """The results come ranked from the matches the facets count (PostgreSQL): page after page,
    in the order of ``find_releases``' own ranked statement, ties broken by recency."""
    settings.PAGE_CACHE_SECONDS = 0
    for n in range(25):
        make_release(
            headline=f"Police news {n}" if n % 3 else f"News {n}",
            body="<p>" + "police " * (n % 4) + "words</p>",
            publish_at=now - timedelta(days=n % 5, hours=n),
        )
    filters = search_query.ReleaseFilters(language="en", query="police")
    ranked = [release.headline for release in search_query.find_releases(filters)]
    shown = headlines(search(client, q="police")) + headlines(search(client, q="police", page=2))
    assert shown == ranked and len(ranked) > 20


@pytest.mark.parametrize(
    "params, languages",
    [
        ({"q": "police"}, [("en", 5), ("fr", 1)]),
        ({"q": "police", "type": "news-release", "topic": "mental-health"}, [("en", 3)]),
        ({"q": "police", "campaign": "police-week", "year": "2022"}, [("en", 1)]),
        ({"q": "police", "language": "fr", "spokesperson": "bryan-larkin"}, [("en", 2)]),
    ],
)
def test_search_page_counts_equal_a_grouping_of_its_matches(
    client, settings, shelf, django_assert_max_num_queries, params, languages
):
    """The counts a search page shows are those of grouping its matches facet by facet (each
    ignoring its own choice), a release not counted yet among them, in a fixed number of
    queries."""
    settings.PAGE_CACHE_SECONDS = 0
    later = make_release(
        headline="Police later",
        campaign=shelf["campaign"],
        publish_at=timezone.now() + timedelta(days=1),
    )
    later.topics.add(shelf["topic"])
    make_quote(later, spokesperson=shelf["spokesperson"])
    make_release(headline="Police en français", language="fr", publish_at=at(2022))
    # Gone public by the clock since the counts last caught up: a plain UPDATE stands in for
    # time (and for its day), sending no signal.
    Release.objects.filter(pk=later.pk).update(
        publish_at=at(2022), publication_date=at(2022).date()
    )
    assert not CountedRelease.objects.filter(release_id=later.pk).exists()
    # One to look up each chosen campaign, topic or spokesperson: none per match or facet.
    looked_up = len({"campaign", "topic", "spokesperson"} & set(params))
    if connection.vendor == "postgresql":
        # The first reader reads the values of the release not counted yet (three queries)
        # and counts it; the next one reads the kept values alone.
        client.get("/en/search/", params)
        assert CountedRelease.objects.filter(release_id=later.pk).exists()
    budget = 7 if connection.vendor == "postgresql" else 10
    with django_assert_max_num_queries(budget + looked_up):
        response = client.get("/en/search/", params)
    view = response.context["view"]
    shown = {
        facet: sorted((value.value, value.count) for value in values)
        for facet, values in view.facets_of(view.filters).items()
        if values
    }
    grouped = {}
    for facet, key, _label, n in search_facets._count_facets_by_part(view.filters):
        if key not in (None, ""):
            grouped.setdefault(facet, []).append((str(key), n))
    assert shown == {facet: sorted(rows) for facet, rows in grouped.items()}
    assert shown["language"] == languages  # the release not counted yet among them


@pytest.mark.parametrize(
    "path, params",
    [
        ("/en/releases/", {}),
        ("/en/releases/", {"type": "news-release", "topic": "mental-health"}),
        ("/en/search/", {"q": "police"}),
        ("/en/search/", {"q": "police", "campaign": "police-week", "year": "2021"}),
    ],
)
def test_a_list_takes_its_length_from_its_facet_counts(client, settings, shelf, path, params):
    """The list's length is its language's facet count: right, and without a COUNT(*)."""
    settings.PAGE_CACHE_SECONDS = 0
    make_release(headline="Police en français", language="fr")
    expected = search_query.filter_releases(
        search_query.ReleaseFilters(
            language="en",
            query=params.get("q", ""),
            release_type=params.get("type", ""),
            campaign=shelf["campaign"] if "campaign" in params else None,
            topic=shelf["topic"] if "topic" in params else None,
            year=int(params["year"]) if "year" in params else None,
        )
    ).count()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    assert response.context["paginator"].count == expected > 0
    assert not [q for q in queries if q["sql"].startswith("SELECT COUNT(*)")]


def test_words_searched_for_are_isolated_from_the_pages_direction(client):
    """Words in a right-to-left script, echoed in the chip that removes them and the result
    sentence, are set apart (Unicode's first-strong isolate), so they cannot reorder the text
    around them; the box takes its direction from what is typed. The title, which becomes the
    tab's, a bookmark's and a shared link's, has the words as typed, no invisible marks."""
    make_release(headline="Police week")
    page = client.get("/en/search/", {"q": "שלום police"}).text
    assert "<title>Search: שלום police</title>" in page
    assert ": “\u2068שלום police\u2069”" in page.split('class="chip"')[1]
    assert 'name="q" value="שלום police" dir="auto"' in page
    sentence = page.split('class="finder__sentence"')[1].split("</p>")[0]
    assert "“\u2068שלום police\u2069”" in sentence


def test_the_search_pages_title_has_no_invisible_marks(client):
    make_organisation()
    make_release(headline="National Police Week")
    page = client.get("/en/search/", {"q": "police week"}).text
    title = page.split("<title>")[1].split("</title>")[0]
    assert title == "Search: police week · CACP"
    head = page.split("</head>")[0]
    assert "\u2068" not in head and "\u2069" not in head


def test_search_results_are_typeset_like_the_lists(client):
    """Results read “L’Association”, as every list and page does, not “L'Association”."""
    make_release(
        language="fr",
        headline="L'Association salue le budget",
        body="<p>L'Association « salue » l'annonce d'aujourd'hui.</p>",
    )
    make_release(headline="The Chief's budget", body="<p>The chief's remarks on the budget.</p>")
    french = client.get("/fr/recherche/?q=association").text
    english = client.get("/en/search/?q=budget").text
    assert "L’<mark>Association</mark>" in french and "L'<mark>" not in french
    assert "l’annonce" in french and "l'annonce" not in french
    assert "Chief’s" in english and "Chief's" not in english
