"""No stampede (issue 18): after a change, concurrent requests for one page build it once; the
others get the previous copy for at most a second after a go-live, never after a withdrawal,
an unpublishing or a correction, and otherwise wait for the new copy."""

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import time_machine
from django.db import connections
from django.test import Client

from pagecache import caching
from pagecache import generation as generation_store
from pagecache.middleware import CACHE_STATUS_HEADER, page_key
from releases.public.views import ReleaseListView
from releases.workflow import publishing
from tests.factories import make_organisation, make_release

LIST = "/en/releases/"


@pytest.fixture(autouse=True)
def _on_each_cache(cache_backend):
    """On local memory and on Redis (tests/conftest.py)."""


@pytest.fixture
def slow_list(monkeypatch):
    """The list takes a quarter of a second to build, and counts its builds."""
    builds = []
    original = ReleaseListView.get_context_data

    def slowly(view, **kwargs):
        builds.append(threading.get_ident())
        time.sleep(0.25)
        return original(view, **kwargs)

    monkeypatch.setattr(ReleaseListView, "get_context_data", slowly)
    return builds


def fetch_together(path: str, readers: int) -> list:
    """``readers`` requests for ``path`` at once, each on its own thread and connection."""
    start = threading.Barrier(readers)

    def read(_):
        start.wait()
        try:
            return Client().get(path)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=readers) as pool:
        return list(pool.map(read, range(readers)))


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_after_a_change_build_the_page_once(slow_list):
    make_organisation()
    make_release(headline="Already out")
    Client().get(LIST)
    published = make_release(headline="Just published")
    slow_list.clear()

    responses = fetch_together(LIST, 8)

    assert len(slow_list) == 1
    assert {response.status_code for response in responses} == {200}
    statuses = sorted(response[CACHE_STATUS_HEADER] for response in responses)
    assert statuses == ["hit"] * 7 + ["miss"]
    assert all(published.headline in response.text for response in responses)


@pytest.mark.django_db(transaction=True)
def test_no_reader_gets_the_previous_copy_after_a_withdrawal(slow_list):
    make_organisation()
    make_release(headline="Stays out")
    withdrawn = make_release(headline="Withdrawn in a moment")
    assert withdrawn.headline in Client().get(LIST).text
    publishing.withdraw(release=withdrawn, by=None, reason="Sent in error.")
    slow_list.clear()

    responses = fetch_together(LIST, 8)

    assert len(slow_list) == 1
    assert not any(withdrawn.headline in response.text for response in responses)
    assert all("Stays out" in response.text for response in responses)


class Building:
    """Another request is building ``path``: its build lock is held."""

    def __init__(self, path: str):
        from django.test import RequestFactory

        self.lock = caching.BuildLock(page_key(RequestFactory().get(path)))

    def __enter__(self):
        assert self.lock.acquire()
        return self

    def __exit__(self, *exc):
        self.lock.release()


@pytest.mark.django_db
def test_the_previous_copy_lags_a_go_live_by_a_second_at_most(client, now):
    make_organisation()
    make_release(headline="Earlier news")
    scheduled = make_release(headline="Embargo lifted", publish_at=now + timedelta(minutes=5))
    with time_machine.travel(scheduled.publish_at - timedelta(seconds=2), tick=False):
        assert scheduled.headline not in client.get(LIST).text

    with time_machine.travel(scheduled.publish_at + timedelta(milliseconds=600), tick=False):
        with Building(LIST):
            meanwhile = client.get(LIST)
    assert meanwhile[CACHE_STATUS_HEADER] == "stale"
    assert scheduled.headline not in meanwhile.text and "Earlier news" in meanwhile.text
    assert "s-maxage=0" in meanwhile["Cache-Control"]  # caches in front never keep it

    with time_machine.travel(scheduled.publish_at + timedelta(milliseconds=1200), tick=False):
        with Building(LIST):
            waited = client.get(LIST)  # waits for the builder, then builds it itself
    assert waited[CACHE_STATUS_HEADER] == "miss"
    assert scheduled.headline in waited.text


def listed_before_its_minute(client, now):
    """A release scheduled in five minutes, the list read two seconds before its minute."""
    make_organisation()
    make_release(headline="Earlier news")
    scheduled = make_release(headline="Embargo lifted", publish_at=now + timedelta(minutes=5))
    with time_machine.travel(scheduled.publish_at - timedelta(seconds=2), tick=False):
        client.get(LIST)
    return scheduled


@pytest.mark.django_db
def test_no_page_answered_while_another_process_applies_a_go_live_is_kept_in_front(client, now):
    """Just after a minute, another process holds the go-live's lock while it bumps what went
    public: pages answered meanwhile are under versions about to change, and a cache in front
    (which no bump reaches) must not keep them; nor may the next go-live be looked up from a
    clock that has passed this one."""
    scheduled = listed_before_its_minute(client, now)
    with time_machine.travel(scheduled.publish_at + timedelta(milliseconds=300), tick=False):
        assert caching.cache.add(caching.GO_LIVE_LOCK, True, 10)  # another process applies it
        try:
            meanwhile = client.get(LIST)
            feed = client.get("/en/feeds/releases.atom")
        finally:
            caching.cache.delete(caching.GO_LIVE_LOCK)
    assert meanwhile.status_code == 200
    assert "s-maxage=0" in meanwhile["Cache-Control"], meanwhile["Cache-Control"]
    assert "max-age=0" in feed["Cache-Control"], feed["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["withdraw", "unpublish", "correct"])
def test_the_previous_copy_is_never_served_after_a_hard_change(client, change):
    make_organisation()
    release = make_release(headline="Original headline")
    assert release.headline in client.get(LIST).text
    if change == "withdraw":
        publishing.withdraw(release=release, by=None, reason="Sent in error.")
    elif change == "unpublish":
        publishing.unpublish(release=release, by=None)
    else:
        release.headline = "Corrected headline"
        publishing.correct(release=release, by=None, note="The headline named the wrong town.")
    with Building(LIST):
        after = client.get(LIST)
    assert after[CACHE_STATUS_HEADER] == "miss"
    assert "Original headline" not in after.text


@pytest.mark.django_db
def test_a_waiter_that_sees_the_lock_gone_takes_the_page_stored_just_before(monkeypatch):
    """The builder stores the page, then frees the lock: a waiter that looked for the page
    just before it was stored and for the lock just after it was freed takes the page rather
    than building it again."""
    key = caching.key_for("page", "a page being built")
    generation = caching.read_generation()
    building = caching.BuildLock(key)
    seen = []
    original = caching.BuildLock.built_meanwhile

    def looked_too_early(lock, generation):
        if not seen:  # the first look: before the builder stored it
            seen.append(True)
            caching.write(key, generation, "the page", 60)  # stored, and the lock never held
            return None
        return original(lock, generation)

    monkeypatch.setattr(caching.BuildLock, "built_meanwhile", looked_too_early)

    entry = building.wait(generation)

    assert entry is not None and entry.value == "the page"


@pytest.mark.django_db(transaction=True)  # the other process's thread sees the releases
def test_a_request_that_finds_a_go_live_being_applied_waits_for_it_and_the_page_is_built_once(
    client, now, monkeypatch
):
    """At the minute, a request finds another process applying the go-live (its lock held): it
    waits the moment that takes, then builds the page under the versions that process bumped,
    rather than build it under versions about to change (which every reader after the bump
    would find stale and build again) or apply the go-live a second time."""
    scheduled = listed_before_its_minute(client, now)
    applied_by = []
    source = caching._go_live_source

    class Recorded:
        def go_lives(self, since, until):
            applied_by.append(threading.get_ident())
            return source.go_lives(since, until)

    monkeypatch.setattr(caching, "_go_live_source", Recorded())

    def another_process_applies_it():
        time.sleep(0.15)
        try:
            states = generation_store.read(list(caching.everything()), again=True)
            caching._apply_go_lives(caching.Generation(states, time.time()), now.timestamp())
        finally:
            connections.close_all()

    with time_machine.travel(scheduled.publish_at + timedelta(milliseconds=300), tick=False):
        assert caching.cache.add(caching.GO_LIVE_LOCK, True, 10)  # another process applies it
        other = threading.Thread(target=another_process_applies_it)
        other.start()
        first = client.get(LIST)
        other.join()
        second = client.get(LIST)
    assert applied_by == [other.ident]  # once, by the other process
    assert scheduled.headline in first.text
    assert second[CACHE_STATUS_HEADER] == "hit" and second.content == first.content


@pytest.mark.django_db
def test_a_go_live_applied_again_with_versions_read_before_it_keeps_the_bumped_ones(client, now):
    """Two processes apply the same go-live, the second with the versions it read before the
    first one's bump: it must not record those (the old page would pass for fresh again)."""
    scheduled = listed_before_its_minute(client, now)
    with time_machine.travel(scheduled.publish_at + timedelta(milliseconds=300), tick=False):
        names = list(caching.everything())
        before = caching.Generation(generation_store.read(names, again=True), time.time())
        assert caching.cache.add(caching.GO_LIVE_LOCK, True, 10)
        first = caching._apply_go_lives(before, now.timestamp())
        assert caching.cache.add(caching.GO_LIVE_LOCK, True, 10)
        again = caching._apply_go_lives(before, now.timestamp())
        answer = client.get(LIST)
    assert first.versions_for(names) != before.versions_for(names)
    assert again.versions_for(names) == first.versions_for(names)
    assert scheduled.headline in answer.text


@pytest.mark.django_db
def test_with_a_cache_that_keeps_nothing_a_request_reads_no_go_lives(
    client, settings, now, monkeypatch
):
    """A cache that keeps nothing (``dummycache://``) holds no value a go-live could make stale:
    no request looks the go-lives up (a query each, for nothing), and a release still shows
    from its minute."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    looked_up = []
    source = caching._go_live_source

    class Recorded:
        def first_go_live_after(self, moment):
            return source.first_go_live_after(moment)

        def go_lives(self, since, until):
            looked_up.append(until)
            return source.go_lives(since, until)

    monkeypatch.setattr(caching, "_go_live_source", Recorded())
    scheduled = make_release(headline="Lifted at its minute", publish_at=now + timedelta(minutes=1))
    before = client.get(LIST)
    assert scheduled.headline not in before.text
    # A cache in front still keeps the page, until the go-live at most.
    directives = dict(
        part.strip().partition("=")[::2] for part in before["Cache-Control"].split(",")
    )
    assert 0 < int(directives["s-maxage"]) <= 60
    with time_machine.travel(scheduled.publish_at + timedelta(seconds=1), tick=False):
        assert scheduled.headline in client.get(LIST).text
    assert looked_up == []


@pytest.mark.django_db
def test_with_a_cache_that_keeps_nothing_a_change_reports_no_lost_invalidation(
    client, settings, caplog
):
    """With ``dummycache://`` there is nothing to make stale: a change is no error to log (it
    told the staff to run ``invalidate_caches`` on every save), and the page shows it."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    release = make_release(headline="Before the edit")
    client.get(LIST)
    release.headline = "After the edit"
    with caplog.at_level(logging.ERROR, logger="newsroom.cache"):
        release.save()
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [record.getMessage() for record in errors] == []
    assert "After the edit" in client.get(LIST).text
