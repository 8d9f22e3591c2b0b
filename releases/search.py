"""Finding public releases: full-text search, facet counts, archive months, related releases.

PostgreSQL does the real work: each release stores a weighted ``tsvector`` built in its own
language's text-search configuration (so “partnering” finds “partners” and “policière” finds
“policiers”), a GIN index serves ``websearch_to_tsquery``, ``ts_rank`` orders and ``ts_headline``
highlights. SQLite, for the quick start, falls back to a case-insensitive substring match on
headline and body. Every function here starts from ``Release.objects.published()``.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import reduce
from html import escape, unescape
from operator import or_

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import DEFAULT_DB_ALIAS, connection, connections, router
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import (
    Cast,
    Coalesce,
    Concat,
    ExtractMonth,
    ExtractYear,
    NullIf,
)
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from releases import caching
from releases.models import Campaign, Quote, Release, ReleaseType, Spokesperson, Topic

# Language code → PostgreSQL text-search configuration (stemmer and stop words).
SEARCH_CONFIGS = {"en": "english", "fr": "french"}
FALLBACK_SEARCH_CONFIG = "simple"
# Longer queries are cut: nobody types more, and ts_headline's cost grows with the query.
MAX_QUERY_LENGTH = 200
# Control characters never survive in stored text (releases.html strips them), so they can mark
# the highlighted words in ts_headline's output before the snippet is escaped.
HIGHLIGHT_START, HIGHLIGHT_STOP = "\x02", "\x03"

FACETS = ("type", "campaign", "topic", "spokesperson", "year", "language")
# Facet counts are the costly part of a list page (six GROUP BYs over every match), so they are
# cached briefly, through ``releases.caching``: any change of the newsroom's data makes them
# stale, and no count outlives the next go-live (an embargo lifts by the clock, writing nothing).
FACET_CACHE_SECONDS = 300


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


def clean_query(text: str) -> str:
    """What is searched for: at most ``MAX_QUERY_LENGTH`` characters, whitespace collapsed."""
    return " ".join((text or "").split())[:MAX_QUERY_LENGTH].strip()


@dataclass(frozen=True)
class ReleaseFilters:
    """What a list or search page shows; built from the validated query parameters."""

    language: str
    query: str = ""
    release_type: str = ""
    campaign: Campaign | None = None
    topic: Topic | None = None
    spokesperson: Spokesperson | None = None
    year: int | None = None


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


def _web_search_query(text: str, language: str) -> SearchQuery:
    return SearchQuery(text, config=search_config(language), search_type="websearch")


def _text_match(text: str, languages: Iterable[str]) -> Q:
    """Releases whose words match, each language searched with its own stemmer."""
    if uses_postgresql():
        return reduce(
            or_,
            (Q(language=code, search_vector=_web_search_query(text, code)) for code in languages),
        )
    return Q(headline__icontains=text) | Q(body__icontains=text)


def filter_releases(filters: ReleaseFilters, *, ignore: str = "") -> QuerySet:
    """Public releases matching every filter but ``ignore`` (a facet counts its own values as if
    it were not chosen, so a reader can switch from one value to another)."""
    releases = Release.objects.published()
    if ignore != "language":
        releases = releases.filter(language=filters.language)
    if filters.query:
        languages = [filters.language] if ignore != "language" else SEARCH_CONFIGS
        releases = releases.filter(_text_match(filters.query, languages))
    if filters.release_type and ignore != "type":
        releases = releases.filter(release_type=filters.release_type)
    if filters.campaign and ignore != "campaign":
        releases = releases.filter(campaign=filters.campaign)
    if filters.topic and ignore != "topic":
        releases = releases.filter(
            Exists(
                Release.topics.through.objects.filter(
                    release_id=OuterRef("pk"), topic_id=filters.topic.pk
                )
            )
        )
    if filters.spokesperson and ignore != "spokesperson":
        releases = releases.filter(
            Exists(
                Quote.objects.filter(
                    release_id=OuterRef("pk"), spokesperson_id=filters.spokesperson.pk
                )
            )
        )
    if filters.year and ignore != "year":
        releases = releases.filter(publication_date__year=filters.year)
    return releases


def find_releases(filters: ReleaseFilters) -> QuerySet:
    """The page's releases: newest first, or, with query words, most relevant first (recency
    breaks ties) with a highlighted ``snippet`` and ``headline_highlighted`` on PostgreSQL."""
    releases = filter_releases(filters).select_related("campaign").defer("body", "search_vector")
    if not (filters.query and uses_postgresql()):
        return releases.order_by("-publish_at", "-pk")
    query = _web_search_query(filters.query, filters.language)
    config = search_config(filters.language)
    body_text = Func(
        F("body"),
        Value(r"<[^>]+>"),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )
    return releases.annotate(
        rank=SearchRank(F("search_vector"), query),
        snippet=SearchHeadline(
            body_text,
            query,
            config=config,
            start_sel=HIGHLIGHT_START,
            stop_sel=HIGHLIGHT_STOP,
            max_fragments=2,
            min_words=12,
            max_words=30,
            fragment_delimiter=" … ",
        ),
        headline_highlighted=SearchHeadline(
            "headline",
            query,
            config=config,
            start_sel=HIGHLIGHT_START,
            stop_sel=HIGHLIGHT_STOP,
            highlight_all=True,
        ),
    ).order_by("-rank", "-publish_at", "-pk")


def highlight(text: str | None) -> SafeString:
    """ts_headline's output made safe: entities decoded, spaces collapsed, everything escaped,
    then the marked words wrapped in <mark>."""
    escaped = escape(" ".join(unescape(text or "").split()), quote=False)
    # Escaped above: the only markup added is <mark>.
    return mark_safe(escaped.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>"))


def _localized(field: str) -> Coalesce:
    """A translated field in the page's language, falling back to English when left empty."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    fallback = F(f"{field}_en")
    if language == "en":
        return Coalesce(fallback, Value(""), output_field=CharField())
    return Coalesce(
        NullIf(F(f"{field}_{language}"), Value("")), fallback, Value(""), output_field=CharField()
    )


def _campaign_label(path: str = "") -> Concat:
    """A campaign's name in the page's language and its edition ("Police Week 2021"); with no
    edition, a trailing space that ``_count_facets`` strips. ``path`` leads to the campaign."""
    return Concat(_localized(f"{path}name"), Value(" "), Cast(f"{path}edition", CharField()))


def _facet_cache_key(filters: ReleaseFilters) -> str:
    return caching.key_for(
        "facets",
        repr(
            (
                translation.get_language(),
                filters.language,
                filters.query,
                filters.release_type,
                filters.campaign and filters.campaign.pk,
                filters.topic and filters.topic.pk,
                filters.spokesperson and filters.spokesperson.pk,
                filters.year,
            )
        ),
    )


def facet_counts(filters: ReleaseFilters) -> dict[str, list[FacetValue]]:
    """For each facet, its values with the number of matching public releases: one query
    (a UNION ALL of one GROUP BY per facet), cached for ``FACET_CACHE_SECONDS`` under the rules
    of ``releases.caching`` (stale after any change, never kept past the next go-live)."""
    return caching.remember(
        _facet_cache_key(filters), lambda: _count_facets(filters), FACET_CACHE_SECONDS
    )


def _count_facets(filters: ReleaseFilters) -> dict[str, list[FacetValue]]:
    if filters.query:
        rows = _count_facets_of_matches(filters)
    else:
        rows = _count_facets_by_part(filters)
    type_labels = dict(ReleaseType.choices)
    language_labels = dict(settings.LANGUAGES)
    facets: dict[str, list[FacetValue]] = {facet: [] for facet in FACETS}
    for facet, key, label, count in rows:
        if key in (None, ""):
            continue
        label = (label or "").strip() or key
        if facet == "type":
            label = str(type_labels.get(key, key))
        elif facet == "language":
            label = str(language_labels.get(key, key))
        facets[facet].append(FacetValue(key, label, count))
    for facet, values in facets.items():
        if facet == "year":
            values.sort(key=lambda v: v.value, reverse=True)
        else:
            values.sort(key=lambda v: (-v.count, v.label.casefold()))
    return facets


def _count_facets_by_part(filters: ReleaseFilters) -> list[tuple[str, str, str, int]]:
    """(facet, value, label, count) rows: a UNION ALL of one GROUP BY per facet, each over the
    public releases that match every filter but its own. Without query words each part reads
    an index of its own, cheaper than copying every public release once to count it six ways."""
    no_label = Value("", output_field=CharField())
    groupings = {
        "type": (F("release_type"), no_label),
        "campaign": (F("campaign__slug"), _campaign_label("campaign__")),
        "topic": (F("topics__slug"), _localized("topics__name")),
        "spokesperson": (F("quotes__spokesperson__slug"), F("quotes__spokesperson__name")),
        "year": (Cast(ExtractYear("publication_date"), CharField()), no_label),
        "language": (F("language"), no_label),
    }
    parts = [
        filter_releases(filters, ignore=facet)
        .order_by()
        .values(
            facet=Value(facet, output_field=CharField()),
            key=Cast(value, CharField()),
            label=Cast(label, CharField()),
        )
        # Only the facets reached through a to-many join can meet a release twice.
        .annotate(n=Count("pk", distinct=facet in ("topic", "spokesperson")))
        .values_list("facet", "key", "label", "n")
        for facet, (value, label) in groupings.items()
    ]
    return list(parts[0].union(*parts[1:], all=True))


def _count_facets_of_matches(filters: ReleaseFilters) -> list[tuple[str, str, str, int]]:
    database = router.db_for_read(Release)  # a replica, for public reads, like the ORM's
    with connections[database].cursor() as cursor:
        cursor.execute(*facets_of_matches_sql(filters, using=database))
        return cursor.fetchall()


def facets_of_matches_sql(
    filters: ReleaseFilters, using: str = DEFAULT_DB_ALIAS
) -> tuple[str, list]:
    """The SQL and parameters that give the rows of ``_count_facets_by_part`` for query words:
    the matching public releases, in every language, are found once (one read of the GIN
    index) and kept in a common table expression with the columns the facets filter on; each
    facet then counts the rows that meet every chosen filter but its own. Six GROUP BYs that
    each search the index again cost up to five times as much (tests/test_search.py compares
    the two ways' counts)."""
    unfiltered = ReleaseFilters(language=filters.language, query=filters.query)
    columns = {"year": ExtractYear("publication_date")}
    if filters.topic:
        columns["in_topic"] = Exists(
            Release.topics.through.objects.filter(release_id=OuterRef("pk"), topic=filters.topic)
        )
    if filters.spokesperson:
        columns["in_spokesperson"] = Exists(
            Quote.objects.filter(release_id=OuterRef("pk"), spokesperson=filters.spokesperson)
        )
    matches = (
        filter_releases(unfiltered, ignore="language")
        .order_by()
        .values("id", "language", "release_type", "campaign_id", **columns)
    )
    matches_sql, params = matches.query.get_compiler(using=using).as_sql()
    params = list(params)
    chosen = {
        "language": ("m.language = %s", [filters.language]),
        "type": ("m.release_type = %s", [filters.release_type]) if filters.release_type else None,
        "campaign": ("m.campaign_id = %s", [filters.campaign.pk]) if filters.campaign else None,
        "topic": ("m.in_topic", []) if filters.topic else None,
        "spokesperson": ("m.in_spokesperson", []) if filters.spokesperson else None,
        "year": ("m.year = %s", [filters.year]) if filters.year else None,
    }

    def labelled(queryset) -> tuple[str, list]:
        """Rows (id, slug, label) as the ORM writes them: the same labels as the other way."""
        sql, label_params = queryset.order_by().query.get_compiler(using=using).as_sql()
        return f"({sql})", list(label_params)

    campaigns = labelled(Campaign.objects.values("id", "slug", label=_campaign_label()))
    topics = labelled(Topic.objects.values("id", "slug", label=_localized("name")))
    people = labelled(Spokesperson.objects.values("id", "slug", label=F("name")))
    release_topics = Release.topics.through._meta.db_table
    quotes = Quote._meta.db_table
    # Each facet's statement, with {where} for the chosen filters, and its labels' parameters.
    selects = {
        "type": (
            "SELECT m.release_type, '', COUNT(*) FROM matches m {where} GROUP BY m.release_type",
            [],
        ),
        "campaign": (
            "SELECT c.slug, c.label, x.n FROM (SELECT m.campaign_id, COUNT(*) AS n"
            " FROM matches m {where} GROUP BY m.campaign_id) x"
            f" JOIN {campaigns[0]} c ON c.id = x.campaign_id",
            campaigns[1],
        ),
        "topic": (
            "SELECT t.slug, t.label, x.n FROM (SELECT rt.topic_id, COUNT(*) AS n"
            f" FROM matches m JOIN {release_topics} rt ON rt.release_id = m.id"
            " {where} GROUP BY rt.topic_id) x"
            f" JOIN {topics[0]} t ON t.id = x.topic_id",
            topics[1],
        ),
        # A release may quote the same person twice.
        "spokesperson": (
            "SELECT s.slug, s.label, x.n FROM (SELECT q.spokesperson_id,"
            f" COUNT(DISTINCT m.id) AS n FROM matches m JOIN {quotes} q"
            " ON q.release_id = m.id {where} GROUP BY q.spokesperson_id) x"
            f" JOIN {people[0]} s ON s.id = x.spokesperson_id",
            people[1],
        ),
        "year": (
            "SELECT CAST(m.year AS TEXT), '', COUNT(*) FROM matches m {where} GROUP BY m.year",
            [],
        ),
        "language": (
            "SELECT m.language, '', COUNT(*) FROM matches m {where} GROUP BY m.language",
            [],
        ),
    }
    parts = []
    for facet, (select, label_params) in selects.items():
        conditions = [chosen[other] for other in FACETS if other != facet and chosen[other]]
        where = " AND ".join(condition for condition, _ in conditions)
        parts.append(
            f"SELECT %s, part.* FROM ({select.replace('{where}', where and 'WHERE ' + where)}) part"
        )
        # In the order of the placeholders: the facet's name, its filters, its labels.
        params.append(facet)
        params.extend(value for _, values in conditions for value in values)
        params.extend(label_params)
    return f"WITH matches AS ({matches_sql}) " + " UNION ALL ".join(parts), params


def result_sentence(count: int, filters: ReleaseFilters) -> str:
    """“3 news releases from 2021 containing “police””, escaped and ready to print."""
    nouns = {
        ReleaseType.NEWS_RELEASE: ngettext(
            "%(count)s news release", "%(count)s news releases", count
        ),
        ReleaseType.MEDIA_ADVISORY: ngettext(
            "%(count)s media advisory", "%(count)s media advisories", count
        ),
        ReleaseType.STATEMENT: ngettext("%(count)s statement", "%(count)s statements", count),
        ReleaseType.BACKGROUNDER: ngettext(
            "%(count)s backgrounder", "%(count)s backgrounders", count
        ),
    }
    noun = nouns.get(filters.release_type) or ngettext(
        "%(count)s release", "%(count)s releases", count
    )
    parts = [noun % {"count": count}]
    if filters.year:
        parts.append(gettext("from %(year)s") % {"year": filters.year})
    if filters.campaign:
        parts.append(gettext("in the campaign %(campaign)s") % {"campaign": filters.campaign})
    if filters.topic:
        parts.append(gettext("about %(topic)s") % {"topic": filters.topic})
    if filters.spokesperson:
        parts.append(gettext("quoting %(name)s") % {"name": filters.spokesperson})
    if filters.language != translation.get_language():
        language = dict(settings.LANGUAGES).get(filters.language, filters.language)
        parts.append(gettext("in %(language)s") % {"language": language})
    if filters.query:
        parts.append(gettext("containing “%(query)s”") % {"query": filters.query})
    return format_html("{}", " ".join(parts))


def month_counts(releases: QuerySet) -> list[tuple[date, int]]:
    """The months that have releases among ``releases``, with how many, in one query."""
    rows = (
        releases.order_by()
        .values(
            year=ExtractYear("publication_date", output_field=IntegerField()),
            month=ExtractMonth("publication_date", output_field=IntegerField()),
        )
        .annotate(n=Count("pk"))
        .order_by("year", "month")
    )
    return [(date(row["year"], row["month"], 1), row["n"]) for row in rows]


def month_counts_by_language(releases: QuerySet) -> dict[str, list[tuple[date, int]]]:
    """Like ``month_counts``, for every language at once: {language: [(month, count), …]}.
    One query tells an archive both its months and which languages have releases then."""
    rows = (
        releases.order_by()
        .values(
            "language",
            year=ExtractYear("publication_date", output_field=IntegerField()),
            month=ExtractMonth("publication_date", output_field=IntegerField()),
        )
        .annotate(n=Count("pk"))
        .order_by("language", "year", "month")
    )
    by_language: dict[str, list[tuple[date, int]]] = {}
    for row in rows:
        by_language.setdefault(row["language"], []).append(
            (date(row["year"], row["month"], 1), row["n"])
        )
    return by_language


RELATED_CANDIDATES = 200


def related_releases(release: Release, limit: int = 3) -> list[Release]:
    """Up to ``limit`` public releases in the same language: same campaign first, then those
    sharing the most topics, newest first. One query; the release's topics should be
    prefetched."""
    topic_ids = [topic.pk for topic in release.topics.all()]
    if not release.campaign_id and not topic_ids:
        return []
    shared_topics = Release.topics.through.objects.filter(
        release_id=OuterRef("pk"), topic_id__in=topic_ids
    )
    shared_count = (
        shared_topics.order_by().values("release_id").annotate(n=Count("*")).values("n")[:1]
    )
    related = Q(Exists(shared_topics))
    if release.campaign_id:
        related |= Q(campaign_id=release.campaign_id)
    # Ranked among the newest related releases only: a common topic may be shared by
    # thousands, and ranking them all would cost a scan of every one.
    candidates = (
        Release.objects.published()
        .filter(related, language=release.language)
        .exclude(pk=release.pk)
        .order_by("-publish_at", "-pk")
        .values("pk")[:RELATED_CANDIDATES]
    )
    return list(
        Release.objects.filter(pk__in=candidates)
        .select_related("campaign")
        .defer("body", "search_vector")
        .annotate(
            same_campaign=Case(
                When(campaign_id=release.campaign_id, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
            if release.campaign_id
            else Value(0, output_field=IntegerField()),
            shared_topics=Coalesce(Subquery(shared_count), Value(0)),
        )
        .order_by("-same_campaign", "-shared_topics", "-publish_at", "-pk")[:limit]
    )
