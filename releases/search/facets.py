"""Facet counts for the list and search pages (type, campaign, topic, spokesperson, year,
language), and the sentence that says what a list shows."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    CharField,
    Count,
    F,
    Value,
)
from django.db.models.functions import (
    Cast,
    Coalesce,
    Concat,
    ExtractYear,
    NullIf,
)
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from modeltranslation.utils import build_localized_fieldname

from pagecache import caching
from releases.models import Campaign, ReleaseType, Topic
from releases.models.slugs import slug_in
from releases.search import counts
from releases.search import matches as search_matches
from releases.search.query import ReleaseFilters, filter_releases
from releases.text.languages import language_in_sentence
from releases.text.numbers import count_writer
from releases.text.typography import isolated

FACETS = ("type", "campaign", "topic", "spokesperson", "year", "language")
# Facet counts are the costly part of a list page (read from kept counts, or counted from the
# kept values of its matches), so they are cached briefly, through ``pagecache.caching``: any
# change of the newsroom's data makes them stale, and no count outlives the next go-live (an
# embargo lifts by the clock, writing nothing).
FACET_CACHE_SECONDS = 300


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


def _localized(field: str) -> Coalesce:
    """A translated field in the page's language, falling back to English when left empty."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    fallback = F(f"{field}_en")
    if language == "en":
        return Coalesce(fallback, Value(""), output_field=CharField())
    localized = F(build_localized_fieldname(field, language))
    return Coalesce(NullIf(localized, Value("")), fallback, Value(""), output_field=CharField())


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


def facet_counts(
    filters: ReleaseFilters, matches: search_matches.Matches | None = None
) -> dict[str, list[FacetValue]]:
    """For each facet, its values with the number of matching public releases (``_count_facets``
    says how each kind of list counts them), cached for ``FACET_CACHE_SECONDS`` under the rules
    of ``pagecache.caching`` (stale after any change, never kept past the next go-live)."""
    return caching.remember(
        _facet_cache_key(filters),
        lambda: _count_facets(filters, matches),
        FACET_CACHE_SECONDS,
        scopes=["site", "counts"],
    )


def _count_facets(
    filters: ReleaseFilters, matches: search_matches.Matches | None = None
) -> dict[str, list[FacetValue]]:
    """Query words: from the search's matches. One filter at most: kept counts. Two: kept
    counts and the kept values of the releases with both. More: one GROUP BY per facet, each
    over the releases with all the other values (few)."""
    chosen = counts.single_filter(filters)
    if filters.query:
        rows = _count_facets_of_matches(filters, matches)
    elif chosen is not None:
        rows = counts.facet_rows(filters, chosen)
    elif len(counts.chosen_pairs(filters)) == 2:
        rows = _count_facets_of_two_filters(filters)
    else:
        rows = _count_facets_by_part(filters)
    type_labels = ReleaseType.translated_labels()
    language_labels = dict(settings.LANGUAGES)
    facets: dict[str, list[FacetValue]] = {facet: [] for facet in FACETS}
    for facet, key, label, count in rows:
        if key in (None, ""):
            continue
        label = (label or "").strip() or key
        if facet == "type":
            label = type_labels.get(key, key)
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
    # The page's language's slug (``releases.models.slugs``): the filters' links name it.
    language = translation.get_language() or settings.LANGUAGE_CODE
    groupings = {
        "type": (F("release_type"), no_label),
        "campaign": (slug_in(Campaign, language, "campaign__"), _campaign_label("campaign__")),
        "topic": (slug_in(Topic, language, "topics__"), _localized("topics__name")),
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


def _count_facets_of_two_filters(filters: ReleaseFilters) -> list[tuple[str, str, str, int]]:
    """The rows of ``_count_facets_by_part`` for a list with two filters (a topic and a year,
    say): each filter's facet is counted within the other's value (kept counts), and the other
    facets from the kept values of the releases with both values, in every language (the
    language facet counts them all). Grouped once per facet, the list read every release of
    the topic and every release of the year, twice each."""
    kept = counts.each_within_the_other(filters)
    both = [
        (language, values) for _, language, values, _ in search_matches.with_every_value(filters)
    ]
    found = counts.count_matches(both, counts.chosen_values(filters)) | kept
    return counts.labelled_rows(found)


def _count_facets_of_matches(
    filters: ReleaseFilters, matches: search_matches.Matches | None = None
) -> list[tuple[str, str, str, int]]:
    """The rows of ``_count_facets_by_part`` for query words, from the search's matches in every
    language with the facet values kept for each (``CountedRelease``), counted here six ways:
    the full-text index is read once. Six GROUP BYs that each search the index again, or a
    join per facet over the matches, cost several times as much (tests/test_search.py compares
    the two ways' counts)."""
    matches = matches or search_matches.Matches(filters)
    found = counts.count_matches(matches.values(), counts.chosen_values(filters))
    return counts.labelled_rows(found)


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
    parts = [noun % {"count": count_writer()(count)}]
    if filters.year:
        parts.append(gettext("from %(year)s") % {"year": filters.year})
    if filters.campaign:
        parts.append(gettext("in the campaign %(campaign)s") % {"campaign": filters.campaign})
    if filters.topic:
        parts.append(gettext("about %(topic)s") % {"topic": filters.topic})
    if filters.spokesperson:
        parts.append(gettext("quoting %(name)s") % {"name": filters.spokesperson})
    if filters.language != translation.get_language():
        language = language_in_sentence(filters.language)
        parts.append(gettext("in %(language)s") % {"language": language})
    if filters.query:
        parts.append(gettext("containing “%(query)s”") % {"query": isolated(filters.query)})
    return format_html("{}", " ".join(parts))
