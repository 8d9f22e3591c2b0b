"""The matches of a search, found once for its page. One statement gives every public release
matching the words, in every language, with the facet values kept for it (``CountedRelease``)
and, in the page's language, its rank: the facets are counted (releases/search/facets.py) and
the results ordered (``find_releases``) from the same rows, rather than two statements each
reading the full-text index and thousands of rows."""

import json
from collections.abc import Iterable
from functools import cached_property

from django.contrib.postgres.search import SearchRank
from django.db import connections, router
from django.db.models import F, IntegerField, QuerySet, TextField, Value, Window
from django.db.models.functions import Cast, RowNumber

from releases.models import Release
from releases.search import counts
from releases.search.index import SEARCH_CONFIGS, uses_postgresql
from releases.search.query import ReleaseFilters, filter_releases, web_search_query

# (id, language, kept facet values as JSON text, place in the results or None)
Row = tuple[int, str, str, int | None]


def matching_statement(
    query: str, ranked_language: str = "", valued_languages: Iterable[str] | None = None
) -> QuerySet:
    """(id, language, kept facet values as JSON text, place) of the public releases matching
    ``query``, each language searched with its own words. The place, in ``ranked_language``
    only (PostgreSQL), numbers the matches most relevant first, the newest first among equals,
    as ``find_releases`` orders them: PostgreSQL sorts them, and the client reads a number
    rather than a rank and a time. One part per language, so that PostgreSQL checks each
    release's vector once, in the index, rather than again in an OR of the languages.
    The kept values are read for ``valued_languages`` (all when ``None``); the others' are ""
    (a common word's thousands of matches in the other language cost a lookup each)."""
    parts = []
    for code in SEARCH_CONFIGS:
        if valued_languages is None or code in valued_languages:
            values = _kept_values()
        else:
            values = Value("", output_field=TextField())
        if code == ranked_language:
            rank = SearchRank(F("search_vector"), web_search_query(query, code))
            place = Window(
                RowNumber(), order_by=[rank.desc(), F("publish_at").desc(), F("pk").desc()]
            )
        else:
            place = Value(None, output_field=IntegerField())
        parts.append(
            filter_releases(ReleaseFilters(language=code, query=query))
            .order_by()
            .values_list("pk", "language", values, place)
        )
    return parts[0].union(*parts[1:], all=True)


def _kept_values() -> Cast:
    """A release's facet values as they are kept (``CountedRelease``), as JSON text: their
    copy in its own row (``Release.counted_values``)."""
    return Cast(F("counted_values"), TextField())


def read_rows(statement: QuerySet) -> list[Row]:
    """The rows of ``statement`` (``Row``), read as the cursor gives them (thousands of rows
    of plain values: no per-row conversions of the ORM). The few releases gone public by the
    clock since the counts caught up have no kept values yet: theirs are read, and then
    counted for the next readers (``counts.count_for_readers``)."""
    using = router.db_for_read(Release)
    with connections[using].cursor() as cursor:
        cursor.execute(*statement.query.get_compiler(using=using).as_sql())
        rows = cursor.fetchall()
    missing = [pk for pk, _, values, _ in rows if values is None]
    if not missing:
        return rows
    read = counts.values_of(missing)
    counts.count_for_readers(missing)
    return [
        (pk, language, json.dumps(read[pk][1]) if values is None else values, place)
        for pk, language, values, place in rows
        if values is not None or pk in read
    ]


def with_every_value(filters: ReleaseFilters) -> list[Row]:
    """The public releases, in every language, with every value ``filters`` choose (no query
    words), with their kept values: what a list with two filters counts its other facets
    from, rather than grouping the releases once per facet."""
    return read_rows(
        filter_releases(filters, ignore="language")
        .order_by()
        .values_list("pk", "language", _kept_values(), Value(None, output_field=IntegerField()))
    )


class Matches:
    """The matches of ``filters``' words, read once (``rows``) when first needed."""

    def __init__(self, filters: ReleaseFilters):
        self.filters = filters

    @cached_property
    def rows(self) -> list[Row]:
        """The rows of ``matching_statement``, with the kept values of the matches the facets
        count by value: the page's language's, and every language's when a facet value is
        chosen (the language facet then counts the matches with that value); without, the
        other languages' matches only count as many."""
        ranked = self.filters.language if uses_postgresql() else ""
        valued = None if len(counts.chosen_values(self.filters)) > 1 else [self.filters.language]
        return read_rows(matching_statement(self.filters.query, ranked, valued))

    def values(self) -> list[tuple[str, str]]:
        """(language, facet values as JSON text) of each match, as the facets count them."""
        return [(language, values) for _, language, values, _ in self.rows]

    def ranked_ids(self) -> list[int]:
        """The results' ids (PostgreSQL), most relevant first and the newest first among equals,
        as ``find_releases`` orders them in SQL: the matches in the page's language that have
        every chosen facet value."""
        chosen = counts.chosen_values(self.filters)
        language = chosen.pop("language")
        results = [row for row in self.rows if row[1] == language and row[3] is not None]
        if chosen:
            results = [row for row in results if counts.has_every(row[2], chosen.items())]
        results.sort(key=lambda row: row[3])
        return [row[0] for row in results]
