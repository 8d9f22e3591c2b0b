"""The facet counts the lists show are kept up to date as releases change (issue 18): read from
``FacetCount`` rows, they must always equal what grouping the public releases gives."""

import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django import db
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from releases.models import CountedRelease, FacetCount, Release, ReleaseType
from releases.search import counts
from releases.search import facets as search_facets
from releases.search.query import ReleaseFilters
from releases.workflow import publishing
from tests.factories import make_campaign, make_quote, make_release, make_spokesperson, make_topic

pytestmark = pytest.mark.django_db


def grouped(rows) -> list:
    return sorted((facet, key, (label or "").strip(), n) for facet, key, label, n in rows if key)


def every_single_filter(language="en") -> list[ReleaseFilters]:
    """No filter, and each value of each facet as the one filter."""
    from releases.models import Campaign, Spokesperson, Topic

    filters = [ReleaseFilters(language=language)]
    filters += [ReleaseFilters(language=language, release_type=t) for t in ReleaseType.values]
    filters += [ReleaseFilters(language=language, campaign=c) for c in Campaign.objects.all()]
    filters += [ReleaseFilters(language=language, topic=t) for t in Topic.objects.all()]
    filters += [
        ReleaseFilters(language=language, spokesperson=s) for s in Spokesperson.objects.all()
    ]
    years = Release.objects.exclude(publication_date=None).dates("publication_date", "year")
    filters += [ReleaseFilters(language=language, year=day.year) for day in years]
    return filters


def assert_rows_copy_their_kept_values():
    """Each release row's copy of its kept values (what a search reads) is the kept one."""
    kept = dict(CountedRelease.objects.values_list("release_id", "values"))
    for pk, copy in Release.objects.values_list("pk", "counted_values"):
        assert copy == kept.get(pk), pk


def assert_counts_match_grouping():
    """Counts and labels, on English and French pages (a name left untranslated is English)."""
    for page_language in ("en", "fr"):
        with translation.override(page_language):
            for language in ("en", "fr"):
                for filters in every_single_filter(language):
                    kept = counts.facet_rows(filters, counts.single_filter(filters))
                    truth = search_facets._count_facets_by_part(filters)
                    assert grouped(kept) == grouped(truth), (page_language, filters)


def test_counts_follow_every_kind_of_change():
    """Publishing, editing topics, quotes, campaign and language, withdrawing, unpublishing and
    deleting: after each, the kept counts equal a grouping of the public releases."""
    # Named in French, and not: a French page labels the second with its English name.
    police_week = make_campaign(name_fr="Semaine de la police")
    road_safety = make_campaign(edition=None)
    topics = [make_topic(name_fr="Sécurité routière"), make_topic()]
    chief = make_spokesperson()
    first = make_release(campaign=police_week)
    first.topics.add(*topics)
    make_quote(first, spokesperson=chief)
    second = make_release(language="fr", campaign=road_safety, release_type="statement")
    second.topics.add(topics[0])
    third = make_release(publish_at=timezone.now() - timedelta(days=400))
    quote = make_quote(third, spokesperson=chief)
    make_quote(third, spokesperson=chief, position=2)  # the same person twice counts once
    make_release(published=False, campaign=police_week)  # a draft counts for nothing
    assert_counts_match_grouping()
    assert_rows_copy_their_kept_values()

    first.topics.remove(topics[1])
    topics[0].releases.add(third)  # from the topic's side
    quote.delete()
    third.campaign = road_safety
    third.language = "fr"
    third.save()
    assert_counts_match_grouping()
    assert_rows_copy_their_kept_values()

    publishing.withdraw(release=first, by=None, reason="Superseded by a newer release.")
    publishing.unpublish(release=second, by=None)
    assert_counts_match_grouping()
    assert_rows_copy_their_kept_values()

    road_safety.delete()
    topics[0].delete()
    third.delete()
    assert_counts_match_grouping()
    assert_rows_copy_their_kept_values()


def test_a_release_counts_from_its_minute_with_no_write():
    """An embargo lifts by the clock: a scheduled release is in no count before its time, and
    in every count after it, though nothing was written at that minute."""
    topic = make_topic()
    make_release().topics.add(topic)
    scheduled = make_release(publish_at=timezone.now() + timedelta(hours=2))
    scheduled.topics.add(topic)
    everything = ReleaseFilters(language="en")

    def total() -> int:
        rows = counts.facet_rows(everything, ("", ""))
        return next(n for facet, key, _, n in rows if facet == "language" and key == "en")

    assert total() == 1
    # The clock reaches its minute: a plain UPDATE stands in for time, sending no signal.
    Release.objects.filter(pk=scheduled.pk).update(publish_at=timezone.now())
    assert total() == 2
    assert_counts_match_grouping()
    counts.catch_up()  # the next write counts it for good, once
    assert counts.went_public_since_counted() == []
    assert total() == 2


def test_rebuilding_gives_the_same_counts():
    campaign = make_campaign()
    for n in range(3):
        release = make_release(campaign=campaign if n else None)
        release.topics.add(make_topic())
        make_quote(release)
    kept = sorted(
        FacetCount.objects.filter(count__gt=0).values_list("within", "facet", "value", "count")
    )
    Release.objects.update(counted_values=None)  # as rows loaded by SQL alone would be
    call_command("recount_facets", verbosity=0)
    rebuilt = sorted(
        FacetCount.objects.filter(count__gt=0).values_list("within", "facet", "value", "count")
    )
    assert rebuilt == kept
    assert_counts_match_grouping()
    assert_rows_copy_their_kept_values()
    assert Release.objects.filter(counted_values__isnull=False).count() == 3


@pytest.mark.parametrize("address", ["/en/releases/", "/en/releases/?type=statement"])
def test_lists_group_no_releases_to_count_them(client, address):
    """No request path counts or groups the table of releases: the list's counts are rows."""
    topic = make_topic()
    for _ in range(3):
        make_release(release_type="statement").topics.add(topic)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(address)
    assert page.status_code == 200
    assert "3 statements" in page.text or "3 releases" in page.text
    grouping = [
        query["sql"]
        for query in queries.captured_queries
        if "releases_release" in query["sql"]
        and ("GROUP BY" in query["sql"] or "COUNT(" in query["sql"])
    ]
    assert grouping == []


def two_filter_lists(language="en") -> list[ReleaseFilters]:
    """Each pair of single filters of different facets."""
    singles = every_single_filter(language)[1:]
    fields = ("release_type", "campaign", "topic", "spokesperson", "year")
    chosen = [
        next((field, getattr(f, field)) for field in fields if getattr(f, field)) for f in singles
    ]
    return [
        ReleaseFilters(language=language, **dict([a, b]))
        for i, a in enumerate(chosen)
        for b in chosen[i + 1 :]
        if a[0] != b[0]
    ]


def test_two_filter_lists_read_each_filters_counts_within_the_other(now):
    """A list with two filters (a topic and a year, say) groups no releases: each one's facet is
    counted among the releases with the other value from the kept counts, the others from the
    kept values of the releases with both (grouped, the year part read every release of the
    topic, of every year). The counts equal a grouping, with a release that went public by the
    clock since the counts caught up and releases in another language."""
    campaigns, topics = [make_campaign(), make_campaign()], [make_topic(), make_topic()]
    chief = make_spokesperson()
    for n, (language, release_type) in enumerate(
        [("en", "news-release"), ("en", "statement"), ("en", "statement"), ("fr", "statement")]
    ):
        release = make_release(
            language=language,
            release_type=release_type,
            campaign=campaigns[n % 2],
            publish_at=now - timedelta(days=400 * (n % 2) + 1),
        )
        release.topics.add(*topics[: 1 + n % 2])
        if n != 1:
            make_quote(release, spokesperson=chief)
    scheduled = make_release(
        release_type="statement", campaign=campaigns[0], publish_at=now + timedelta(minutes=1)
    )
    scheduled.topics.add(topics[0])
    lists = two_filter_lists("en") + two_filter_lists("fr")
    assert len(lists) > 20

    def assert_counts_match_grouping(lists, most_queries):
        for filters in lists:
            with CaptureQueriesContext(connection) as queries:
                found = search_facets._count_facets(filters)
            truth = search_facets._count_facets_by_part(filters)
            assert {
                facet: sorted((v.value, v.count) for v in values) for facet, values in found.items()
            } == {
                facet: sorted((key, n) for f, key, _label, n in truth if f == facet and key)
                for facet in search_facets.FACETS
            }, filters
            assert [q for q in queries.captured_queries if "GROUP BY" in q["sql"]] == []
            if most_queries is not None:
                assert len(queries.captured_queries) <= most_queries, filters

    with time_machine.travel(now + timedelta(minutes=2), tick=False):
        assert counts.went_public_since_counted() == [scheduled.pk]  # by the clock alone
        with translation.override("en"):
            # Its values are read (and, on PostgreSQL, counted by the first reader).
            assert_counts_match_grouping(lists, most_queries=None)
        french = ReleaseFilters(language="en", release_type="statement", topic=topics[0])
        with translation.override("fr"):
            statements_on_topic = search_facets._count_facets(french)
        assert {v.value: v.count for v in statements_on_topic["language"]} == {"en": 3, "fr": 1}
        counts.catch_up()
        with translation.override("en"):
            assert_counts_match_grouping(lists, most_queries=3)  # kept counts, values, labels


def test_a_search_reads_the_kept_values_of_the_matches_it_counts_by_value():
    """Without a chosen facet value, the other language's matches only count as many (the
    language facet): their kept values are not read, a lookup each for a common word's
    thousands. With one chosen, the language facet counts the matches that have it: read."""
    from releases.search import matches as search_matches

    for language in ("en", "en", "fr", "fr", "fr"):
        make_release(language=language, headline="Lighthouse keepers")
    with translation.override("en"):
        for filters, valued in (
            (ReleaseFilters(language="en", query="lighthouse"), {"en"}),
            (
                ReleaseFilters(language="en", query="lighthouse", release_type="news-release"),
                {"en", "fr"},
            ),
        ):
            rows = search_matches.Matches(filters).rows
            assert {language for _, language, values, _ in rows if values} == valued
            languages = search_facets._count_facets(filters)["language"]
            assert {value.value: value.count for value in languages} == {"en": 2, "fr": 3}
    # Read from the rows the search found (their copies), not looked up one by one.
    statement = str(search_matches.matching_statement("lighthouse", "en").query)
    assert "countedrelease" not in statement and "counted_values" in statement


def test_the_kept_counts_and_what_went_public_since_are_read_in_one_query(now):
    make_release(headline="Counted")
    scheduled = make_release(headline="Scheduled", publish_at=now + timedelta(minutes=5))
    with CaptureQueriesContext(connection) as nothing_new:
        before = counts._counts_within("")
    assert len(nothing_new.captured_queries) == 1
    Release.objects.filter(pk=scheduled.pk).update(publish_at=timezone.now())  # its minute came
    after = counts._counts_within("")
    assert after["en", "", "total", ""] == before["en", "", "total", ""] + 1


def gone_public_by_the_clock(release) -> None:
    """Its minute came: a plain UPDATE stands in for time, sending no signal."""
    Release.objects.filter(pk=release.pk).update(publish_at=timezone.now())


@pytest.mark.postgres
def test_the_first_reader_of_a_release_gone_public_counts_it_for_the_next_readers(now):
    """Without a write since an embargo lifted, every reader would read the release's values
    (three queries); the first one counts it, and the next read the kept rows alone."""
    make_release(headline="Counted")
    scheduled = make_release(headline="Scheduled", publish_at=now + timedelta(minutes=5))
    scheduled.topics.add(make_topic())
    gone_public_by_the_clock(scheduled)
    assert counts.went_public_since_counted() == [scheduled.pk]
    first = counts._counts_within("")
    assert counts.went_public_since_counted() == []
    with CaptureQueriesContext(connection) as later:
        assert counts._counts_within("") == first
    assert len(later.captured_queries) == 1
    assert first["en", "", "total", ""] == 2
    assert_counts_match_grouping()


def test_on_sqlite_readers_leave_the_counting_to_writers(now):
    """SQLite locks the whole file for a write: a reader never takes that turn."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's behaviour")
    scheduled = make_release(publish_at=now + timedelta(minutes=5))
    gone_public_by_the_clock(scheduled)
    assert counts._counts_within("")["en", "", "total", ""] == 1
    assert counts.went_public_since_counted() == [scheduled.pk]


@pytest.mark.postgres
def test_a_search_finding_a_release_gone_public_counts_it_for_the_next_readers(now):
    from releases.search import matches as search_matches

    scheduled = make_release(headline="Lighthouse keepers", publish_at=now + timedelta(minutes=5))
    gone_public_by_the_clock(scheduled)
    filters = ReleaseFilters(language="en", query="lighthouse")
    assert [row[0] for row in search_matches.Matches(filters).rows] == [scheduled.pk]
    assert counts.went_public_since_counted() == []
    assert search_facets._count_facets(filters)["language"][0].count == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_reader_catching_up_never_makes_a_writer_wait_or_fail(now):
    """A writer's transaction holds counts it moved and then wants the release gone public (to
    catch up); a reader counting that release holds it and wants those counts. The reader gives
    up at once (a deadlock would fail one of them after a second): the writer commits, and the
    counts stay right."""
    make_release(headline="Counted")
    scheduled = make_release(headline="Scheduled", publish_at=now + timedelta(minutes=5))
    gone_public_by_the_clock(scheduled)
    writer_holds_counts, reader_done = threading.Event(), threading.Event()
    failures = []

    def writer():
        try:
            with transaction.atomic():
                total = FacetCount.objects.select_for_update().filter(
                    language="en", within="", facet="total"
                )
                assert total.get().count == 1
                writer_holds_counts.set()
                reader_done.wait(5)
                counts.catch_up()
        except Exception as error:
            failures.append(error)
        finally:
            db.connections.close_all()

    thread = threading.Thread(target=writer)
    thread.start()
    assert writer_holds_counts.wait(5)
    started = time.monotonic()
    read = counts._counts_within("")
    waited = time.monotonic() - started
    reader_done.set()
    thread.join(10)
    assert read["en", "", "total", ""] == 2
    assert waited < 0.5
    assert failures == []
    assert counts.went_public_since_counted() == []  # the writer counted it
    assert_counts_match_grouping()


@pytest.mark.postgres
def test_a_reader_counting_puts_back_its_callers_lock_timeout(now):
    """The reader's short lock timeout is its own: a transaction it runs within keeps its own."""
    scheduled = make_release(headline="Scheduled", publish_at=now + timedelta(minutes=5))
    gone_public_by_the_clock(scheduled)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL lock_timeout = '2s'")
        counts.count_for_readers([scheduled.pk])
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == "2s"
    assert counts.went_public_since_counted() == []


@pytest.mark.postgres
def test_readers_of_a_replica_leave_the_counting_to_writers(now, settings):
    """They would have to reach the primary (it may be the one that does not answer) and would
    read their own counting late, trying it again."""
    from newsroom.db_router import public_reads

    settings.DATABASE_ROUTERS = ["newsroom.db_router.ReplicaRouter"]

    scheduled = make_release(headline="Scheduled", publish_at=now + timedelta(minutes=5))
    gone_public_by_the_clock(scheduled)
    with public_reads():
        counts.count_for_readers([scheduled.pk])
    assert counts.went_public_since_counted() == [scheduled.pk]
    counts.count_for_readers([scheduled.pk])  # a reader of the primary counts it
    assert counts.went_public_since_counted() == []


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago", "America/Toronto"])
def test_a_year_holds_its_first_and_last_minutes_in_any_newsroom_zone(client, settings, zone):
    """A year's list bounds the publication time too (so that it reads the index from that
    year): a release of the first or last minute of the year in the newsroom's zone, 14 hours
    ahead of UTC or 11 behind, is still in its year's list and counts."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    settings.TIME_ZONE = zone
    local = ZoneInfo(zone)
    first = make_release(
        headline="First minute", publish_at=datetime(2021, 1, 1, 0, 0, tzinfo=local)
    )
    last = make_release(
        headline="Last minute", publish_at=datetime(2021, 12, 31, 23, 59, tzinfo=local)
    )
    make_release(headline="Year after", publish_at=datetime(2022, 1, 1, 0, 0, tzinfo=local))
    assert (first.publication_date.year, last.publication_date.year) == (2021, 2021)
    page = client.get("/en/releases/?year=2021&topic=&type=")
    assert "First minute" in page.text and "Last minute" in page.text
    assert "Year after" not in page.text
    assert "2 releases" in page.text
