"""Facet counts kept up to date as releases change, so that a list never counts the table.

Every published release adds one to a ``FacetCount`` row for each pair of its facet values
(its type, campaign, topics, quoted spokespeople, year, and "total"), under its language: so
the counts of a list with at most one filter are rows to read, not releases to group (and
those of a list with two, each filter's facet within the other's value).
``refresh()`` runs in the transaction that changes a release (``releases.signals``): it
compares what the release adds now with what it added before (``CountedRelease``) and moves
only the counts that differ, in one statement. ``rebuild()`` counts everything again, for bulk
loads that send no signal (``seed_releases``) and the ``recount_facets`` command.

A release scheduled for later counts from its minute. ``CountedUntil`` says up to when the
counts have caught up with releases that went public by the clock: readers add the few that
went public since (found by index), so an embargo lifts by the clock alone. Every write catches
up (``catch_up()``), and so does the first reader to find such releases, where it can without
waiting (``count_for_readers()``): the readers after it read rows alone.
"""

import logging
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from operator import itemgetter

from django.conf import settings
from django.db import DatabaseError, connection, connections, router, transaction
from django.db.models import (
    Exists,
    F,
    OuterRef,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from modeltranslation.utils import build_localized_fieldname

from releases.models import (
    Campaign,
    CountedRelease,
    CountedUntil,
    FacetCount,
    Quote,
    Release,
    Spokesperson,
    Topic,
)
from releases.models.slugs import slug_sql
from releases.sql import quoted_table

TOTAL = ("total", "")
# The facets a release is counted by, besides its language (the "language" facet counts the
# totals of each language).
COUNTED_FACETS = ("type", "campaign", "topic", "spokesperson", "year")
BATCH = 2000
# How long a reader catching the counts up waits for a lock before it leaves them to others.
READER_LOCK_TIMEOUT = "50ms"

Values = list[tuple[str, str]]

logger = logging.getLogger(__name__)


def _counted(releases):
    """The releases the counts count: the public ones (the one visibility rule)."""
    return releases.published()


def _primary() -> str:
    """Where the counts are moved: the database written to, whose rows the transaction sees
    (a replica could lag behind the change being counted)."""
    return router.db_for_write(Release)


def values_of(
    release_ids: Iterable[int], using: str | None = None
) -> dict[int, tuple[str, Values]]:
    """{release id: (language, its facet values)} for those of ``release_ids`` that are public
    now; the others count for nothing."""
    using = using or router.db_for_read(Release)
    rows = _counted(Release.objects.using(using).filter(pk__in=release_ids)).values_list(
        "pk", "language", "release_type", "campaign_id", "publication_date"
    )
    found: dict[int, tuple[str, Values]] = {}
    for pk, language, release_type, campaign_id, day in rows:
        values = [("type", release_type)]
        if campaign_id:
            values.append(("campaign", str(campaign_id)))
        if day:
            values.append(("year", str(day.year)))
        found[pk] = (language, values)
    if not found:
        return found
    topics = (
        Release.topics.through.objects.using(using)
        .filter(release_id__in=found)
        .values_list("release_id", "topic_id")
    )
    for pk, topic_id in topics:
        found[pk][1].append(("topic", str(topic_id)))
    people = (
        Quote.objects.using(using)
        .filter(release_id__in=found)
        .values_list("release_id", "spokesperson_id")
        .distinct()
    )
    for pk, person_id in people:
        found[pk][1].append(("spokesperson", str(person_id)))
    return {pk: (language, sorted(set(values))) for pk, (language, values) in found.items()}


def counted_within(facet: str, value: str) -> str:
    """How a kept count names the one value it is counted within ("" for none: overall)."""
    return f"{facet}:{value}" if facet else ""


def contributions(language: str, values: Values) -> Counter:
    """The rows one release adds one to: each of its values (and the total), overall and
    within each of its other values."""
    added = Counter()
    everything = [TOTAL, *values]
    for within_facet, within_value in [("", ""), *values]:
        place = counted_within(within_facet, within_value)
        for facet, value in everything:
            if facet != within_facet:
                added[(language, place, facet, value)] += 1
    return added


def refresh(release_ids: Iterable[int]) -> set[tuple[str, str]]:
    """Bring the counts in step with ``release_ids`` as they are now, and with what went
    public by the clock (in this transaction). Returns the (facet, value) pairs whose counts
    moved, the language among them (empty when none did)."""
    with transaction.atomic(using=_primary()):
        moved = _refresh(release_ids)
        catch_up()
    return moved


def catch_up() -> None:
    """Count the releases that went public by the clock since ``CountedUntil``."""
    using = _primary()
    with transaction.atomic(using=using):
        until = CountedUntil.objects.using(using).select_for_update().filter(pk=1).first()
        now = timezone.now()
        went_public = _counted(Release.objects.using(using))
        if until is not None:
            went_public = went_public.filter(publish_at__gt=until.moment)
        _refresh(went_public.values_list("pk", flat=True))
        if until is None:
            CountedUntil.objects.using(using).create(pk=1, moment=now)
        else:
            CountedUntil.objects.using(using).filter(pk=1).update(moment=now)


def count_for_readers(release_ids: list[int]) -> None:
    """A reader found public releases no count holds yet (gone public by the clock since the
    counts caught up): count them, so that the next readers need not read their values. Only
    where no one waits for it: on PostgreSQL, waiting ``READER_LOCK_TIMEOUT`` at most for a
    lock (a writer's transaction may hold counts it moved and wait for these releases: the
    reader gives up, never the writer), and not where readers read a replica (they would need
    the primary, and see their own counting late). A failure changes nothing: readers keep
    adding those releases."""
    using = _primary()
    if connections[using].vendor != "postgresql" or router.db_for_read(Release) != using:
        return  # SQLite: a reader could wait for the writer's lock of the whole file
    try:
        with transaction.atomic(using=using), connections[using].cursor() as cursor:
            # SET LOCAL, undone with the savepoint on failure; put back as it was on success
            # (a caller's own transaction keeps its setting).
            cursor.execute(
                "SELECT current_setting('lock_timeout'), set_config('lock_timeout', %s, true)",
                [READER_LOCK_TIMEOUT],
            )
            (before, _now), *_ = cursor.fetchall()
            _refresh(release_ids)
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [before])
    except DatabaseError as error:
        logger.info("Readers left the counting of %s to others: %s", release_ids, error)


def _refresh(release_ids: Iterable[int]) -> set[tuple[str, str]]:
    ids = sorted(set(release_ids))
    moved = set()
    if not ids:
        return moved
    using = _primary()
    with transaction.atomic(using=using):
        # Two transactions changing the same release take their turns here.
        list(Release.objects.using(using).select_for_update().filter(pk__in=ids).values_list("pk"))
        counted = {
            row.release_id: row
            for row in CountedRelease.objects.using(using)
            .select_for_update()
            .filter(release_id__in=ids)
        }
        now = values_of(ids, using)
        delta = Counter()
        for pk in ids:
            before = counted.get(pk)
            old = (before.language, [tuple(value) for value in before.values]) if before else None
            new = now.get(pk)
            if old == new:
                continue
            for language, values in filter(None, (old, new)):
                moved |= {("language", language), *values}
            if old is not None:
                delta.subtract(contributions(*old))
            if new is None:
                CountedRelease.objects.using(using).filter(release_id=pk).delete()
            else:
                CountedRelease.objects.using(using).update_or_create(
                    release_id=pk, defaults={"language": new[0], "values": new[1]}
                )
                delta.update(contributions(*new))
        _add(delta, using)
        # The rows' copies, every one (a save from an instance read before may have written
        # back an old copy: the save's own refresh puts it right).
        Release.objects.using(using).bulk_update(
            [Release(pk=pk, counted_values=now[pk][1] if pk in now else None) for pk in ids],
            ["counted_values"],
            batch_size=BATCH,
        )
    return moved


def _add(delta: Counter, using: str) -> None:
    """Add ``delta`` to the counts: one upsert, rows in a fixed order (no deadlock between two
    transactions that move some of the same counts)."""
    rows = sorted((key, n) for key, n in delta.items() if n)
    table = quoted_table(FacetCount)
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        placeholders = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
        params = [
            item
            for (language, within, facet, value), n in chunk
            for item in (language, within, facet, value, n)
        ]
        with connections[using].cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (language, within, facet, value, count) "
                f"VALUES {placeholders} ON CONFLICT (within, language, facet, value) "
                f"DO UPDATE SET count = {table}.count + excluded.count",
                params,
            )


def rebuild(progress=None, *, copy_to_rows: bool = True) -> int:
    """Count every published release again, from nothing; returns how many were counted.
    ``copy_to_rows``: and write each row's copy (not before migration 0022 made the column)."""
    with transaction.atomic():
        FacetCount.objects.all().delete()
        CountedRelease.objects.all().delete()
        CountedUntil.objects.update_or_create(pk=1, defaults={"moment": timezone.now()})
        ids = list(_counted(Release.objects.order_by("pk")).values_list("pk", flat=True))
        total = Counter()
        for start in range(0, len(ids), BATCH):
            found = values_of(ids[start : start + BATCH])
            for language, values in found.values():
                total.update(contributions(language, values))
            CountedRelease.objects.bulk_create(
                CountedRelease(release_id=pk, language=language, values=values)
                for pk, (language, values) in found.items()
            )
            if progress is not None:
                progress(len(found))
        FacetCount.objects.bulk_create(
            (
                FacetCount(language=language, within=within, facet=facet, value=value, count=n)
                for (language, within, facet, value), n in total.items()
                if n
            ),
            batch_size=BATCH,
        )
        if copy_to_rows:
            with connection.cursor() as cursor:
                cursor.execute(_COPY_VALUES_TO_ROWS)
    return len(ids)


# Every release row's copy of its kept values (``Release.counted_values``), NULL if none.
_COPY_VALUES_TO_ROWS = """
UPDATE releases_release SET counted_values = (
    SELECT counted."values" FROM releases_countedrelease AS counted
    WHERE counted.release_id = releases_release.id
)
"""


def chosen_pairs(filters) -> list[tuple[str, str]]:
    """The (facet, value) of each filter of a list but its language, as the kept counts name
    them (``within``)."""
    return [
        (facet, value) for facet, value in chosen_values(filters).items() if facet != "language"
    ]


def single_filter(filters) -> tuple[str, str] | None:
    """The (facet, value) of a list's one filter, ("", "") for none, or None when the list has
    query words or more than one filter."""
    chosen = chosen_pairs(filters)
    if filters.query or len(chosen) > 1:
        return None
    return chosen[0] if chosen else ("", "")


# The marker of a row that names a release gone public since the counts caught up, among the
# kept counts read with it.
_UNCOUNTED = "#uncounted"


def _counts_within(*places: str) -> Counter:
    """The kept counts within each of ``places`` ("" for overall, else one value), with the
    releases that went public by the clock since the counts caught up: both in one statement,
    the kept counts' part written out (as ``labelled_rows``), the other the ORM's, where the
    visibility rule is."""
    wanted = set(places)
    uncounted, uncounted_params = (
        _went_public_since_counted().order_by().values(release_id=F("pk")).query.sql_with_params()
    )
    statement = (
        f'SELECT "language", "within", "facet", "value", "count" FROM {quoted_table(FacetCount)} '
        f'WHERE "within" IN ({", ".join(["%s"] * len(wanted))}) AND "count" > 0 '
        f"UNION ALL SELECT %s, '', '', CAST(uncounted.release_id AS varchar(20)), 0 "
        f"FROM ({uncounted}) AS uncounted"
    )
    with connections[router.db_for_read(FacetCount)].cursor() as cursor:
        cursor.execute(statement, [*wanted, _UNCOUNTED, *uncounted_params])
        rows = cursor.fetchall()
    counts, went_public = Counter(), []
    for language, place, facet, value, n in rows:
        if language == _UNCOUNTED:
            went_public.append(int(value))
        else:
            counts[language, place, facet, value] = n
    if not went_public:  # as it is, but for a minute after each go-live
        return counts
    for language, values in values_of(went_public).values():
        for key, n in contributions(language, values).items():
            if key[1] in wanted:
                counts[key] += n
    count_for_readers(went_public)
    return counts


def public_total() -> int:
    """How many releases are public now, in every language: the kept totals."""
    return sum(n for (_, _, facet, _), n in _counts_within("").items() if facet == "total")


def went_public_since_counted() -> list[int]:
    """Releases public now but not counted yet: gone public by the clock since the counts last
    caught up (by index on the publication time)."""
    return list(_went_public_since_counted().values_list("pk", flat=True))


def _went_public_since_counted():
    since = Subquery(CountedUntil.objects.filter(pk=1).values("moment"))
    # With no row, nothing was ever counted: since the beginning.
    beginning = Value(datetime(1, 1, 1, tzinfo=UTC))
    counted = CountedRelease.objects.filter(release_id=OuterRef("pk"))
    return _counted(Release.objects.filter(publish_at__gt=Coalesce(since, beginning))).exclude(
        Exists(counted)
    )


def facet_rows(filters, chosen: tuple[str, str]) -> list[tuple[str, str, str, int]]:
    """(facet, value, label, count) rows, as ``releases.search.facets`` groups them, read from
    the kept counts for a list with one filter at most (``single_filter()``)."""
    chosen_facet, chosen_value = chosen
    chosen_place = counted_within(chosen_facet, chosen_value)
    counts = _counts_within("", chosen_place)
    rows = []
    by_facet: dict[str, dict[str, int]] = {}
    for (language, place, facet, value), n in counts.items():
        if n <= 0:
            continue
        if facet == "total" and place == chosen_place:
            rows.append(("language", language, "", n))
        elif language == filters.language and facet != "total":
            if place == ("" if facet == chosen_facet else chosen_place):
                by_facet.setdefault(facet, {})[value] = n
    return rows + labelled_rows(by_facet)


def each_within_the_other(filters) -> dict[str, dict[str, int]]:
    """For a list with two filters (its language aside): {facet: {value: count}} of each one's
    facet among the releases with the other's value, which are kept (``within`` that value).
    Grouped instead, each would read every release of one value (all of a year's, say)."""
    (first, first_value), (second, second_value) = chosen_pairs(filters)
    places = {
        first: counted_within(second, second_value),
        second: counted_within(first, first_value),
    }
    by_facet: dict[str, dict[str, int]] = {first: {}, second: {}}
    for (language, place, facet, value), n in _counts_within(*places.values()).items():
        if n > 0 and language == filters.language and places.get(facet) == place:
            by_facet[facet][value] = n
    return by_facet


def labelled_rows(by_facet: dict[str, dict[str, int]]) -> list[tuple]:
    """(facet, value, label, count) rows from {facet: {value: count}}, where the values of the
    small tables (campaign, topic, spokesperson) are ids: their slugs and names are read in one
    statement of plain columns, and labelled here as the facets show them (a campaign with its
    edition, ``Campaign.titled``). The statement is written out: a list shows a hundred ids,
    and the ORM took twice as long as the database to build and read it."""
    rows = []
    for facet in ("type", "year", "language"):
        rows.extend((facet, value, "", n) for value, n in by_facet.get(facet, {}).items())
    language = translation.get_language() or settings.LANGUAGE_CODE
    # The name in the page's language, then in English.
    localized = build_localized_fieldname("name", language)
    # Typed, so that PostgreSQL matches the parts' columns whichever part comes first.
    blank, no_edition = "CAST('' AS varchar(1))", "CAST(NULL AS integer)"
    english = "name_en" if localized != "name_en" else blank
    columns = {
        "campaign": (localized, english, "edition"),
        "topic": (localized, english, no_edition),
        "spokesperson": ("name", blank, no_edition),
    }
    # The page's language's slug (``releases.models.slugs``): the filters' links name it.
    tables = {"campaign": Campaign, "topic": Topic, "spokesperson": Spokesperson}
    slugs = {facet: slug_sql(model, language) for facet, model in tables.items()}
    parts, params = [], []
    for facet, model in tables.items():
        ids = [int(pk) for pk in by_facet.get(facet, ())]
        if not ids:
            continue
        parts.append(
            f"SELECT '{facet}', id, {slugs[facet]}, {', '.join(columns[facet])} "
            f"FROM {quoted_table(model)} WHERE id IN ({', '.join(['%s'] * len(ids))})"
        )
        params += ids
    if not parts:
        return rows
    with connections[router.db_for_read(Campaign)].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for facet, pk, slug, name, english_name, edition in cursor.fetchall():
            label = Campaign.titled(name or english_name or "", edition)
            rows.append((facet, slug, label, by_facet[facet][str(pk)]))
    return rows


def chosen_values(filters) -> dict[str, str]:
    """{facet: value} of the filters chosen, the language always among them."""
    chosen = {
        "language": filters.language,
        "type": filters.release_type,
        "campaign": str(filters.campaign.pk) if filters.campaign else "",
        "topic": str(filters.topic.pk) if filters.topic else "",
        "spokesperson": str(filters.spokesperson.pk) if filters.spokesperson else "",
        "year": str(filters.year or ""),
    }
    return {facet: value for facet, value in chosen.items() if value}


# A release's kept values as JSON text, as PostgreSQL writes jsonb and Python's json.dumps
# writes lists: ``[["type", "news-release"], ["year", "2021"]]``; the values (ids, years, type
# slugs) hold no quote or bracket. Thousands of them are read at once, by string operations
# that run in C: decoding each release's JSON apart costs more than the statement that found it.
_BETWEEN_PAIRS = '"], ["'
_IN_PAIR = '", "'


def _needle(facet: str, value: str) -> str:
    return f'["{facet}{_IN_PAIR}{value}"]'


def has_every(values: str, pairs: Iterable[tuple[str, str]]) -> bool:
    """Whether a release's kept values (JSON text) include every (facet, value) of ``pairs``."""
    return all(_needle(facet, value) in values for facet, value in pairs)


def _tally(texts: list[str]) -> Counter:
    """How many of ``texts`` (kept values as JSON text) have each (facet, value)."""
    joined = _BETWEEN_PAIRS.join(text[3:-3] for text in texts if len(text) > 4)
    tally = Counter()
    for item, n in Counter(joined.split(_BETWEEN_PAIRS) if joined else ()).items():
        facet, _, value = item.partition(_IN_PAIR)
        tally[(facet, value)] += n
    return tally


def count_matches(
    matches: list[tuple[str, str]], chosen: dict[str, str]
) -> dict[str, dict[str, int]]:
    """{facet: {value: count}} over ``matches`` ((language, kept values as JSON text) of each
    matching release, in every language): each facet counts the matches that have every
    ``chosen`` value (the language among them) but its own, as a GROUP BY per facet would."""
    needles = {
        facet: _needle(facet, value) for facet, value in chosen.items() if facet != "language"
    }
    if not needles:  # only the language chosen (most searches): no row to test apart
        languages = Counter(map(itemgetter(0), matches))
        mine = [text for language, text in matches if language == chosen["language"]]
        tally = _tally(mine) + Counter({("language", code): n for code, n in languages.items()})
        return _by_facet(tally)
    # The texts of the matches with every chosen value (""), or all but one facet's.
    missing_one: dict[str, list[str]] = {}
    languages = Counter()
    for language, text in matches:
        missing = [facet for facet, needle in needles.items() if needle not in text]
        if language != chosen["language"]:
            missing.append("language")
        if len(missing) > 1:
            continue
        if missing in ([], ["language"]):
            languages[language] += 1
        if missing != ["language"]:  # its texts hold no language
            missing_one.setdefault(missing[0] if missing else "", []).append(text)
    tally = Counter({("language", language): n for language, n in languages.items()})
    for missing, texts in missing_one.items():
        tally.update(
            {pair: n for pair, n in _tally(texts).items() if not missing or pair[0] == missing}
        )
    return _by_facet(tally)


def _by_facet(tally: Counter) -> dict[str, dict[str, int]]:
    counted: dict[str, dict[str, int]] = {}
    for (facet, value), n in tally.items():
        counted.setdefault(facet, {})[value] = n
    return counted
