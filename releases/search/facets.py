"""Facet counts for the list and search pages (type, campaign, topic, spokesperson, year,
language), and the sentence that says what a list shows."""

from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
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

from pagecache import caching
from releases.models import Campaign, Quote, Release, ReleaseType, Spokesperson, Topic
from releases.search import counts
from releases.search.query import ReleaseFilters, filter_releases

FACETS = ("type", "campaign", "topic", "spokesperson", "year", "language")
# Facet counts are the costly part of a list page (six GROUP BYs over every match), so they are
# cached briefly, through ``pagecache.caching``: any change of the newsroom's data makes them
# stale, and no count outlives the next go-live (an embargo lifts by the clock, writing nothing).
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
    of ``pagecache.caching`` (stale after any change, never kept past the next go-live)."""
    return caching.remember(
        _facet_cache_key(filters),
        lambda: _count_facets(filters),
        FACET_CACHE_SECONDS,
        scopes=["site", "counts"],
    )


def _count_facets(filters: ReleaseFilters) -> dict[str, list[FacetValue]]:
    chosen = counts.single_filter(filters)
    if filters.query:
        rows = _count_facets_of_matches(filters)
    elif chosen is not None:
        rows = counts.facet_rows(filters, chosen, _small_table_labels())
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


def _small_table_labels() -> dict:
    """The label of a campaign, a topic and a spokesperson, as the facets show them."""
    return {"campaign": _campaign_label(), "topic": _localized("name"), "spokesperson": F("name")}


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
