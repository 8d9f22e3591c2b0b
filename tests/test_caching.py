"""The page cache never lies: it never shows a release before its minute, never keeps one after
a change, and never shares what staff or previews see."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone
from django.utils.cache import get_max_age

from pagecache import caching
from pagecache.middleware import CACHE_STATUS_HEADER, PublicPageCacheMiddleware, page_key
from pagecache.recent import RecentEntries
from releases.models import Organisation, Release, Status
from releases.workflow import publishing
from tests.factories import (
    make_campaign,
    make_contact,
    make_organisation,
    make_quote,
    make_release,
    make_spokesperson,
    make_topic,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_each_cache(cache_backend):
    """Every test here runs twice: on local memory and on Redis (tests/conftest.py)."""


def s_maxage(response) -> int:
    directives = dict(
        part.strip().partition("=")[::2] for part in response["Cache-Control"].split(",")
    )
    return int(directives["s-maxage"])


def test_second_anonymous_request_is_served_from_the_cache_without_queries(
    client, django_assert_num_queries, cache_backend
):
    """With Redis, a hit costs no query; with a per-process cache, one: the generation's row,
    which every process reads (another process may have changed something)."""
    make_release(headline="Cached news")
    first = client.get("/en/releases/")
    with django_assert_num_queries(0 if cache_backend == "redis" else 1):
        second = client.get("/en/releases/")
    assert first[CACHE_STATUS_HEADER] == "miss" and second[CACHE_STATUS_HEADER] == "hit"
    assert second.content == first.content
    assert "Cached news" in second.text


def test_embargoed_release_appears_at_its_minute_although_the_pages_were_cached(client, now):
    go_live = now + timedelta(minutes=5)
    release = make_release(headline="Embargoed news", publish_at=go_live)
    pages = ["/en/", "/en/releases/", release.get_absolute_url()]

    with time_machine.travel(go_live - timedelta(seconds=1), tick=False):
        for path in pages[:2]:
            client.get(path)
            warm = client.get(path)
            assert warm[CACHE_STATUS_HEADER] == "hit"
            assert "Embargoed news" not in warm.text
            assert s_maxage(warm) <= 1
        assert client.get(pages[2]).status_code == 404

    with time_machine.travel(go_live + timedelta(seconds=1), tick=False):
        for path in pages[:2]:
            assert "Embargoed news" in client.get(path).text
        assert client.get(pages[2]).status_code == 200


def test_shared_caches_are_told_to_drop_a_page_before_the_next_go_live(client, now):
    make_release()
    assert s_maxage(client.get("/en/releases/")) == 60
    make_release(publish_at=now + timedelta(seconds=30))
    assert 0 < s_maxage(client.get("/en/releases/")) <= 30
    assert get_max_age(client.get("/en/releases/")) == 0  # browsers always revalidate


def test_withdrawn_release_leaves_cached_lists_at_once_and_its_page_says_so(client):
    release = make_release(headline="Soon withdrawn")
    assert "Soon withdrawn" in client.get("/en/releases/").text
    assert "has been withdrawn" not in client.get(release.get_absolute_url()).text
    assert client.get("/en/releases/")[CACHE_STATUS_HEADER] == "hit"

    release.status = Status.WITHDRAWN
    release.withdrawn_reason = "The figures were wrong."
    release.save()

    assert "Soon withdrawn" not in client.get("/en/releases/").text
    assert "Soon withdrawn" not in client.get("/en/").text
    page = client.get(release.get_absolute_url()).text
    assert "This release has been withdrawn." in page and "The figures were wrong." in page


def _rename_campaign(release):
    release.campaign.name_en = "Renamed campaign"
    release.campaign.save()
    return release.get_absolute_url(), "Renamed campaign"


def _edit_quote(release):
    quote = release.quotes.get()
    quote.text = "Words changed after publication"
    quote.save()
    return release.get_absolute_url(), "Words changed after publication"


def _add_topic(release):
    release.topics.add(make_topic(name_en="Freshly added topic"))
    return release.get_absolute_url(), "Freshly added topic"


def _edit_contact(release):
    contact = release.media_contacts.get()
    contact.phone = "613-555-0199"
    contact.save()
    return release.get_absolute_url(), "613-555-0199"


def _edit_spokesperson_and_its_page(release):
    person = release.quotes.get().spokesperson
    person.title_en = "Chair of the Board"
    person.save()
    return person.get_absolute_url(), "Chair of the Board"


def _edit_organisation(release):
    organisation = Organisation.objects.get()
    organisation.name_en = "Renamed Association"
    organisation.save()
    return "/en/", "Renamed Association"


def _delete_release(release):
    headline = release.headline
    release.delete()
    return "/en/releases/", None, headline


@pytest.mark.parametrize(
    "change",
    [
        _rename_campaign,
        _edit_quote,
        _add_topic,
        _edit_contact,
        _edit_spokesperson_and_its_page,
        _edit_organisation,
        _delete_release,
    ],
)
def test_every_change_shows_on_cached_pages_at_once(client, change):
    make_organisation()
    release = make_release(headline="Release with relations", campaign=make_campaign())
    release.media_contacts.add(make_contact())
    make_quote(release, spokesperson=make_spokesperson())
    paths = ["/en/", "/en/releases/", release.get_absolute_url()]
    paths.append(release.quotes.get().spokesperson.get_absolute_url())
    for path in paths:
        client.get(path)
        assert client.get(path)[CACHE_STATUS_HEADER] == "hit"

    path, shown, *gone = change(release)

    text = client.get(path).text
    if shown:
        assert shown in text
    for headline in gone:
        assert headline not in text


def test_conditional_requests_are_answered_with_304(client):
    make_release()
    first = client.get("/en/releases/")
    assert first["ETag"] and first["Last-Modified"]
    assert client.get("/en/releases/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    since = client.get("/en/releases/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    make_release()
    assert client.get("/en/releases/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_staff_pages_are_private_and_never_stored(client):
    make_release()
    staff = User.objects.create_user("editor", password="x" * 12, is_staff=True)
    client.force_login(staff)
    response = client.get("/en/releases/")
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert CACHE_STATUS_HEADER not in response
    client.logout()
    client.cookies.clear()
    assert client.get("/en/releases/")[CACHE_STATUS_HEADER] == "miss"


def test_missing_pages_are_shared_briefly_and_health_checks_never(client):
    """A release's address before its minute is asked for again and again: its 404 is kept
    for a minute (and never past a change or the next go-live: see the embargo test above)."""
    missing = "/en/releases/2021/05/09/nothing/"
    first = client.get(missing)
    again = client.get(missing)
    assert first.status_code == again.status_code == 404
    assert (first[CACHE_STATUS_HEADER], again[CACHE_STATUS_HEADER]) == ("miss", "hit")
    assert 0 < s_maxage(again) <= 60
    health = client.get("/healthz")
    assert CACHE_STATUS_HEADER not in health and "no-store" in health["Cache-Control"]


@pytest.mark.parametrize(
    "headers",
    [{"X-Robots-Tag": "noindex, nofollow"}, {"Cache-Control": "private"}],
    ids=["a preview marked noindex", "a view with its own cache rules"],
)
def test_previews_and_views_with_their_own_rules_are_never_shared(headers):
    def view(request):
        return HttpResponse("A preview of an embargoed release", headers=headers)

    middleware = PublicPageCacheMiddleware(view)
    for _ in range(2):
        request = RequestFactory().get("/en/preview/some-token/")
        middleware.process_view(request, view, (), {})
        response = middleware(request)
        assert CACHE_STATUS_HEADER not in response
        assert "public" not in response.get("Cache-Control", "")
        assert "private" in response["Cache-Control"]


def test_the_page_cache_can_be_turned_off(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    make_release()
    client.get("/en/releases/")
    response = client.get("/en/releases/")
    assert response[CACHE_STATUS_HEADER] == "miss"
    assert s_maxage(response) == 60


def test_bulk_changes_are_published_by_an_explicit_invalidation(client):
    release = make_release(headline="Changed in bulk")
    client.get("/en/releases/")
    Release.objects.filter(pk=release.pk).update(status=Status.WITHDRAWN)
    caching.invalidate()
    assert "Changed in bulk" not in client.get("/en/releases/").text


def test_cached_values_expire_before_the_next_go_live(now):
    make_release(publish_at=now + timedelta(seconds=10))
    with time_machine.travel(now, tick=False):
        assert caching.bounded_lifetime(600) == 10
        assert caching.remember("newsroom:test", lambda: "before") == "before"
    with time_machine.travel(now + timedelta(seconds=11), tick=False):
        assert caching.remember("newsroom:test", lambda: "after") == "after"


def test_a_value_computed_before_a_go_live_and_stored_after_it_is_not_kept(now):
    release = make_release(publish_at=now + timedelta(minutes=5))
    key = caching.key_for("test", "straddling")
    with time_machine.travel(release.publish_at - timedelta(seconds=1), tick=False):
        generation, entry = caching.read(key)  # the rendering starts before the go-live…
        assert entry is None
    with time_machine.travel(release.publish_at + timedelta(milliseconds=200), tick=False):
        caching.write(key, generation, "rendered without the release", 600)  # …and ends after
        assert caching.read(key)[1] is None


def test_a_process_answers_from_its_recent_entries_only_under_the_current_generation(
    cache_backend,
):
    if cache_backend != "redis":
        pytest.skip("a local-memory cache is already in the process")
    from django.core.cache import cache

    key = caching.key_for("test", "recent")
    with caching.request_generation(caching.read_generation()):
        assert caching.remember(key, lambda: "kept") == "kept"
    cache.delete(key)  # gone from Redis: only this process still holds it
    with caching.request_generation(caching.read_generation()):
        assert caching.remember(key, lambda: "computed again") == "kept"
    caching.invalidate()  # a change, made here or by any other process
    with caching.request_generation(caching.read_generation()):
        assert caching.remember(key, lambda: "computed again") == "computed again"


def test_a_stored_page_is_replayed_from_this_process_only_under_the_current_generation(
    client, cache_backend
):
    """A stored page need not cross from Redis on every request (a 184 kB feed did): the
    process keeps it, and still asks Redis for the generation each time."""
    if cache_backend != "redis":
        pytest.skip("a local-memory cache is already in the process")
    from django.core.cache import cache

    make_release(headline="Kept news")
    first = client.get("/en/releases/")
    cache.delete(page_key(RequestFactory().get("/en/releases/")))  # only this process has it
    again = client.get("/en/releases/")
    assert again[CACHE_STATUS_HEADER] == "hit" and again.content == first.content
    caching.invalidate()  # a change, made by another process, say
    Release.objects.filter(headline="Kept news").update(headline="Corrected news")
    after = client.get("/en/releases/")
    assert after[CACHE_STATUS_HEADER] == "miss" and "Corrected news" in after.text


def test_recent_entries_are_bounded_and_never_shared_between_readers():
    recent = RecentEntries(max_bytes=2500)
    recent.set_many(
        {f"key {i}": caching.Entry({"site": "g"}, 0, 1e12, "x" * 500) for i in range(6)}
    )
    kept = recent.get_many([f"key {i}" for i in range(6)])
    assert list(kept) == ["key 3", "key 4", "key 5"]  # the least recently used went first

    recent.set_many({"list": caching.Entry({"site": "g"}, 0, 1e12, ["first"])})
    recent.get_many(["list"])["list"].value.append("changed by one reader")
    assert recent.get_many(["list"])["list"].value == ["first"]


def test_a_shared_entry_is_unpickled_once_per_stored_version_within_the_same_bound():
    recent = RecentEntries(max_bytes=3000)
    recent.set_many({"page": caching.Entry({"site": "g"}, 0, 1e12, "first " * 100)})
    one = recent.shared("page")
    assert one is recent.shared("page") and one.value.startswith("first")
    assert recent.get_many(["page"])["page"] is not one  # other readers still get their own
    recent.set_many({"page": caching.Entry({"site": "g"}, 0, 1e12, "second " * 100)})
    assert recent.shared("page").value.startswith("second")  # a new version, a new object
    # Shared objects count: three entries of ~800 bytes fit, not with two of them shared too.
    recent.set_many(
        {f"other {i}": caching.Entry({"site": "g"}, 0, 1e12, "x" * 600) for i in range(2)}
    )
    recent.shared("other 0")
    recent.shared("other 1")
    assert recent.shared("page") is None  # the least recently used made room
    assert recent.shared("missing") is None


def test_a_new_version_too_big_to_keep_still_replaces_the_old_one():
    recent = RecentEntries(max_bytes=1500)
    recent.set_many({"page": caching.Entry({"site": "g"}, 0, 1e12, "old")})
    recent.shared("page")
    recent.set_many({"page": caching.Entry({"site": "g"}, 0, 1e12, "new " * 500)})
    assert recent.get_many(["page"]) == {} and recent.shared("page") is None


def test_editing_a_default_media_contact_shows_on_release_pages_at_once(client):
    organisation = Organisation.objects.create(name_en="Association")
    contact = make_contact(name="Desk", phone="613-555-0100")
    organisation.default_media_contacts.add(contact)
    release = make_release()
    assert "613-555-0100" in client.get(release.get_absolute_url()).text
    contact.phone = "613-555-0199"
    contact.save()
    assert "613-555-0199" in client.get(release.get_absolute_url()).text


def test_workflow_records_that_never_show_publicly_keep_the_public_caches():
    """Nor does a draft: nothing public shows it. Its publication does."""
    from releases.workflow import publishing

    release = make_release(published=False)
    before = caching.read_generation()
    publishing.create_preview_link(release=release, by=None)
    release.headline = "Changed"
    release.save()
    assert caching.read_generation() == before
    publishing.publish(release=release, at=timezone.now())
    assert caching.read_generation() != before


SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Permissions-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Content-Language",
)

below_the_page_cache = []


def record_request(get_response):
    """A middleware below ServeStoredPageMiddleware that notes every request it sees."""

    def middleware(request):
        below_the_page_cache.append(request.path)
        return get_response(request)

    return middleware


def test_a_stored_page_is_answered_before_the_rest_of_the_stack_runs(client, settings):
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[:2],
        "tests.test_caching.record_request",
        *settings.MIDDLEWARE[2:],
    ]
    below_the_page_cache.clear()
    make_release(headline="Early answer")
    first = client.get("/en/releases/")
    second = client.get("/en/releases/")
    assert first[CACHE_STATUS_HEADER] == "miss" and second[CACHE_STATUS_HEADER] == "hit"
    assert below_the_page_cache == ["/en/releases/"]
    assert second.content == first.content


def test_a_stored_page_keeps_every_security_header_and_gets_its_own_request_id(client):
    make_release()
    first = client.get("/en/releases/")
    second = client.get("/en/releases/")
    assert second[CACHE_STATUS_HEADER] == "hit"
    for header in SECURITY_HEADERS:
        assert second[header] == first[header], header
    assert second["X-Request-ID"] != first["X-Request-ID"]


def test_pages_outside_the_language_prefixes_are_cached_too(client):
    make_release()
    first = client.get("/robots.txt")
    second = client.get("/robots.txt")
    assert first[CACHE_STATUS_HEADER] == "miss" and second[CACHE_STATUS_HEADER] == "hit"
    assert second.content == first.content
    assert second["X-Content-Type-Options"] == "nosniff"


def test_a_response_that_sets_a_cookie_further_out_is_not_stored(client, settings):
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[:2],
        "tests.test_caching.set_a_cookie",
        *settings.MIDDLEWARE[2:],
    ]
    make_release()
    client.get("/en/releases/")
    second = client.get("/en/releases/")
    assert second[CACHE_STATUS_HEADER] == "miss"


def set_a_cookie(get_response):
    def middleware(request):
        response = get_response(request)
        response.set_cookie("tracking", "1")
        return response

    return middleware


@pytest.mark.parametrize("path", ["/sitemap.xml", "/sitemap-releases.xml", "/sitemap-news.xml"])
def test_sitemaps_are_stored_although_they_ask_not_to_be_indexed(
    client, path, django_assert_max_num_queries, cache_backend
):
    make_release(headline="Mapped")
    first = client.get(path)
    # Local memory: the generation's row, and (the tests' replica alias) when data last changed.
    with django_assert_max_num_queries(0 if cache_backend == "redis" else 2):
        second = client.get(path)
    assert first[CACHE_STATUS_HEADER] == "miss" and second[CACHE_STATUS_HEADER] == "hit"
    assert second.content == first.content
    assert "noindex" in second["X-Robots-Tag"]
    assert "public" in second["Cache-Control"]


def test_a_sitemap_is_not_answered_304_after_a_release_leaves_it(client, now):
    older = make_release(headline="Older", publish_at=now - timedelta(days=2))
    make_release(headline="Newer", publish_at=now - timedelta(hours=1))
    with time_machine.travel(now, tick=False):
        first = client.get("/sitemap-releases.xml")
    assert older.get_absolute_url() in first.text
    with time_machine.travel(now + timedelta(minutes=2), tick=False):
        publishing.withdraw(release=older, by=None, reason="Sent in error.")
        again = client.get("/sitemap-releases.xml", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 200
    assert older.get_absolute_url() not in again.text


def test_the_first_visitors_language_header_is_not_replayed_to_others(client):
    make_release()
    client.get("/robots.txt", HTTP_ACCEPT_LANGUAGE="fr")
    second = client.get("/robots.txt", HTTP_ACCEPT_LANGUAGE="en")
    assert second[CACHE_STATUS_HEADER] == "hit"
    assert second["Content-Language"] == "en"


def test_a_change_made_while_a_page_is_rendered_never_passes_for_current(
    client, monkeypatch, settings
):
    """The release is read, then withdrawn by someone else, then its article is rendered from
    the read: what that request keeps must be stale to every later one."""
    from releases.public.views import ReleaseDetailView

    settings.PAGE_CACHE_SECONDS = 0  # the kept article alone
    make_organisation()
    release = make_release(headline="Raced")
    original_get_object = ReleaseDetailView.get_object
    withdrawn_meanwhile = []

    def get_object_then_withdraw(view, queryset=None):
        found = original_get_object(view, queryset)
        if not withdrawn_meanwhile:
            withdrawn_meanwhile.append(True)
            publishing.withdraw(release=Release.objects.get(pk=found.pk), by=None, reason="Error.")
        return found

    monkeypatch.setattr(ReleaseDetailView, "get_object", get_object_then_withdraw)
    client.get(release.get_absolute_url())
    later = client.get(release.get_absolute_url())
    assert "This release was withdrawn on" in later.text


def test_a_stored_page_costs_one_round_trip_to_the_cache(client, cache_backend, monkeypatch):
    """The page, the versions of what it shows and the next go-live: read together."""
    from django.core.cache import caches

    make_release(headline="One trip")
    client.get("/en/releases/")
    backend = caches["default"]
    calls = []
    for name in ("get", "get_many", "add", "set", "set_many", "delete"):
        original = getattr(backend, name)

        def counted(*args, _name=name, _original=original, **kwargs):
            calls.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(backend, name, counted)
    hit = client.get("/en/releases/")
    assert hit[CACHE_STATUS_HEADER] == "hit"
    # (Local memory answers get_many with its own get, in the process.)
    assert [call for call in calls if call != "get" or cache_backend == "redis"] == ["get_many"]


def test_values_remembered_together_are_kept_each_with_its_own_scopes():
    """A change to what one of them shows leaves the others fresh."""
    computed = []

    def compute(keys):
        computed.extend(keys)
        return {key: key.upper() for key in keys}

    def remember_both():
        with caching.request_generation():
            caching.read_generation()
            caching.read_scopes(["group:a", "group:b"])
            own = {"a": ["site", "group:a"], "b": ["site", "group:b"]}
            return caching.remember_many(["a", "b"], compute, scopes=own.get)

    assert remember_both() == {"a": "A", "b": "B"}
    caching.invalidate(["group:a"])
    computed.clear()
    assert remember_both() == {"a": "A", "b": "B"}
    assert computed == ["a"]
