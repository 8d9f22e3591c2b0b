"""Finding public releases by words and filters, ranked and highlighted.

PostgreSQL: a GIN index serves ``websearch_to_tsquery``, ``ts_rank`` orders and
``ts_headline`` highlights. SQLite (the quick start): an FTS5 table of the same stemmed,
accent-folded words serves the same query; Python ranks as ``ts_rank`` does and highlights
the same words (releases/search/fts.py, words.py). Every release found here
comes through ``Release.objects.published()`` (``filter_releases``)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property, reduce
from html import escape, unescape
from operator import or_

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorExact,
    SearchVectorField,
)
from django.db.models import (
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.db.models.lookups import Exact
from django.utils.safestring import SafeString, mark_safe

from releases.models import Campaign, Quote, Release, Spokesperson, Topic
from releases.search import fts, words
from releases.search.index import SEARCH_CONFIGS, search_config, uses_postgresql

# Longer queries are cut: nobody types more, and ts_headline's cost grows with the query.
MAX_QUERY_LENGTH = 200
# Control characters never survive in stored text (releases.text.html strips them), so they can mark
# the highlighted words in ts_headline's output before the snippet is escaped.
HIGHLIGHT_START, HIGHLIGHT_STOP = "\x02", "\x03"


def clean_query(text: str) -> str:
    """What is searched for: whitespace collapsed, and at most ``MAX_QUERY_LENGTH``
    characters, cut at the end of a word (a word longer than that is cut where it must be)."""
    text = " ".join((text or "").split())
    if len(text) <= MAX_QUERY_LENGTH:
        return text
    cut = text[: MAX_QUERY_LENGTH + 1].rsplit(" ", 1)[0]
    return (cut if " " in text[: MAX_QUERY_LENGTH + 1] else text[:MAX_QUERY_LENGTH]).strip()


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


def web_search_query(text: str, language: str) -> SearchQuery:
    # "Police-Week" searches for "Police Week": a hyphenated word would otherwise be a lexeme
    # of its own, which a text that spells it in two words does not contain.
    return SearchQuery(
        words.split_hyphens(text), config=search_config(language), search_type="websearch"
    )


def _fts_match(text: str, language: str) -> Q:
    """SQLite: releases of ``language`` whose FTS5 row matches the query's lexemes."""
    expression = words.parse_query(text, language).expression
    if expression is None:  # only stop words or signs: nothing (as PostgreSQL finds)
        return Q(pk__isnull=True)  # never true, but compiles (facets write it out as SQL)
    return Q(language=language, pk__in=RawSQL(fts.MATCHING_IDS_SQL, [expression]))


def _in_language(code: str) -> Q:
    """``language = code``, written so that PostgreSQL checks it on the rows the full-text
    index finds rather than intersecting them with half the table's language index first
    (which cost a common word's search 20-30 ms at 100,000 releases)."""
    return Q(Exact(Concat(F("language"), Value("")), Value(code)))


def _text_match(text: str, languages: Iterable[str]) -> Q:
    """Releases whose words match, each language searched with its own stemmer."""
    if uses_postgresql():
        return reduce(
            or_,
            (
                _in_language(code) & Q(search_vector=web_search_query(text, code))
                for code in languages
            ),
        )
    return reduce(or_, (_fts_match(text, code) for code in languages))


# The parts of the index that name a release (headline; subheadline, summary and quotes), as
# PostgreSQL weighs them and SQLite's full-text table keeps them in columns.
TITLE_WEIGHTS = "{a,b}"
TITLE_COLUMNS = "{headline secondary}"


def words_in_titles(text: str) -> Q:
    """Releases in any state whose headline, subheadline, summary or quotes hold the words of
    ``text``, read as the public search reads them, in each release's language: folded
    (“securite” and “SÉCURITÉ” find “Sécurité”) and stemmed. The admin's search, through the
    search index rather than a computation on every row."""
    text = clean_query(text)
    if uses_postgresql():
        found = reduce(
            or_,
            (
                Q(language=code) & _titles_hold(web_search_query(text, code))
                for code in SEARCH_CONFIGS
            ),
        )
        return Q(pk__in=Release.objects.filter(found).values("pk"))
    expressions = {code: words.parse_query(text, code).expression for code in SEARCH_CONFIGS}
    matches = [
        Q(language=code, pk__in=RawSQL(fts.MATCHING_IDS_SQL, [f"{TITLE_COLUMNS} : ({found})"]))
        for code, found in expressions.items()
        if found is not None
    ]
    return reduce(or_, matches) if matches else Q(pk__isnull=True)  # none: never true


def _titles_hold(query: SearchQuery) -> Q:
    """PostgreSQL: the index finds the releases whose words match; their titles' words (the
    vector's first two weights) are checked on those alone."""
    titles = Func(
        F("search_vector"),
        Value(TITLE_WEIGHTS),
        function="ts_filter",
        output_field=SearchVectorField(),
    )
    return Q(search_vector=query) & Q(SearchVectorExact(titles, query))


def filter_releases(filters: ReleaseFilters, *, ignore: str = "") -> QuerySet:
    """Public releases matching every filter but ``ignore`` (a facet counts its own values as if
    it were not chosen, so a reader can switch from one value to another)."""
    releases = Release.objects.published()
    if ignore != "language" and not (filters.query and uses_postgresql()):
        releases = releases.filter(language=filters.language)  # else in _text_match
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
        releases = releases.filter(
            publication_date__year=filters.year, **_publish_at_around_year(filters.year)
        )
    return releases


def _publish_at_around_year(year: int) -> dict:
    """A publication time bound that every release dated in ``year`` meets: its publication
    date is its publication time's day in the newsroom's zone, never more than a day from
    UTC's. Redundant for the rows found, it lets a year's list read the public-order index from that
    year on, instead of walking past every newer release (its rows cost half as much for 2021
    at 100,000 releases, more for older years)."""
    return {
        "publish_at__gte": datetime(year, 1, 1, tzinfo=UTC) - timedelta(days=1),
        "publish_at__lt": datetime(year + 1, 1, 1, tzinfo=UTC) + timedelta(days=1),
    }


class RankedReleases:
    """Search results ranked from the search's matches (``releases.search.matches``): the ids in
    order, found with the facet counts' matches, and a page's rows fetched by id. Sliced as a
    paginator slices a queryset."""

    def __init__(self, releases: QuerySet, ranked_ids: Callable[[], list[int]]):
        self.releases, self.ranked_ids = releases, ranked_ids

    @cached_property
    def ids(self) -> list[int]:
        return self.ranked_ids()

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1 or None][0]
        ids = self.ids[index]
        found = {release.pk: release for release in self.releases.filter(pk__in=ids)}
        return [found[pk] for pk in ids if pk in found]

    def __iter__(self):
        return iter(self[:])


def find_releases(filters: ReleaseFilters, matches=None) -> QuerySet | RankedReleases:
    """The page's releases: newest first, or, with query words, most relevant first (recency
    breaks ties) with a highlighted ``snippet`` and ``headline_highlighted``. On PostgreSQL,
    given the search's ``matches`` (``releases.search.matches.Matches``), the ranking is theirs
    and a page reads only its own rows."""
    if not filters.query:
        return filter_releases(filters).for_listing()
    releases = filter_releases(filters).without_bodies()
    if not uses_postgresql():
        return _find_on_sqlite(releases.select_related("campaign").with_event_status(), filters)
    if matches is not None:
        page = Release.objects.published().without_bodies().select_related("campaign")
        page = page.with_event_status()
        return RankedReleases(_highlighted(page, filters), matches.ranked_ids)
    # Ranked, the thousands of matches are sorted before the page is cut: joined to their
    # campaigns there, PostgreSQL (expecting a few rows) would join each match to every
    # campaign, doubling the statement's time. The page's 20 campaigns come in a query of
    # their own.
    query = web_search_query(filters.query, filters.language)
    return (
        _highlighted(releases.prefetch_related("campaign"), filters)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "-publish_at", "-pk")
    )


def _highlighted(releases: QuerySet, filters: ReleaseFilters) -> QuerySet:
    """PostgreSQL: with the query's words marked in the headline and a snippet of the body."""
    query = web_search_query(filters.query, filters.language)
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
    )


def _find_on_sqlite(releases: QuerySet, filters: ReleaseFilters) -> QuerySet:
    expression = words.parse_query(filters.query, filters.language).expression
    if expression is None:
        return releases.none()

    def marked(function: str, field: str) -> Func:
        return Func(
            F(field),
            Value(filters.query),
            Value(filters.language),
            Value(HIGHLIGHT_START),
            Value(HIGHLIGHT_STOP),
            function=function,
            output_field=TextField(),
        )

    return releases.annotate(
        rank=RawSQL(fts.RANK_SQL, [filters.query, filters.language]),
        snippet=marked("newsroom_snippet", "body"),
        headline_highlighted=marked("newsroom_headline", "headline"),
    ).order_by("-rank", "-publish_at", "-pk")


def highlight(text: str | None) -> SafeString:
    """ts_headline's output made safe: entities decoded, spaces collapsed, everything escaped,
    then the marked words wrapped in <mark>."""
    escaped = escape(" ".join(unescape(text or "").split()), quote=False)
    # Escaped above: the only markup added is <mark>.
    return mark_safe(escaped.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>"))
