"""Bad-input sweep: generated paths, query strings and form posts for every public URL pattern.

Patterns are read from the URL resolver, so a page added anywhere is covered without editing
this file. Whatever comes in: never a 5xx, never a traceback, never the input unescaped."""

import re
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

CANARY = "\"'><script>fuzz()</script>"
NOT_PUBLIC_NAMESPACES = {"admin"}
QUERY_KEYS = ["page", "q", "year", "month", "lang", "next", "format", "topic", "campaign", "type"]
# The content API's and oEmbed's own parameters.
QUERY_KEYS += ["language", "cursor", "limit", "spokesperson", "url", "maxwidth", "maxheight"]
# About 10,300 generated requests in all (run on PostgreSQL): the counts below.
FUZZ = hypothesis_settings(
    max_examples=3500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _pattern_regex(pattern) -> str:
    return pattern.regex.pattern.lstrip("^").removesuffix(r"\Z").removesuffix("$")


def public_path_regexes() -> list[str]:
    """One regular expression per public URL pattern, language prefix included."""
    found = []

    def walk(patterns, prefix, namespaces):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                # The admin, and the staff's pages under its address (password reset).
                if entry.namespace in NOT_PUBLIC_NAMESPACES or str(entry.pattern) == (
                    settings.ADMIN_URL
                ):
                    continue
                if isinstance(entry.pattern, LocalePrefixPattern):
                    prefixes = [f"{code}/" for code, _ in settings.LANGUAGES]
                else:
                    prefixes = [_pattern_regex(entry.pattern)]
                for own in prefixes:
                    walk(entry.url_patterns, prefix + own, namespaces)
            elif isinstance(entry, URLPattern):
                found.append(prefix + _pattern_regex(entry.pattern))

    walk(get_resolver().url_patterns, "", set())
    return found


PATTERNS = public_path_regexes()


def test_the_sweep_covers_every_public_pattern_and_no_admin_one():
    assert len(PATTERNS) >= 22
    assert "en/releases/" in PATTERNS and "fr/releases/" in PATTERNS
    assert not any(p.startswith(settings.ADMIN_URL) for p in PATTERNS)


def matching_paths():
    """A path each pattern accepts, with random values in its variable parts."""
    return st.sampled_from(PATTERNS).flatmap(
        lambda regex: st.from_regex(re.compile(regex), fullmatch=True)
    )


text_values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["0", "-1", "99999999999999999999", "1e9", "%00", "..", CANARY]),
    st.text(max_size=10).map(lambda t: t + CANARY),
)
queries = st.dictionaries(
    st.one_of(st.sampled_from(QUERY_KEYS), st.text(min_size=1, max_size=10)),
    text_values,
    max_size=4,
)


def test_a_flood_of_parameters_gets_the_400_page_everywhere(reader):
    flood = "&".join(f"p{i}=1" for i in range(1100))
    for path in ["/en/", "/fr/releases/", "/en/feeds/releases.atom", "/robots.txt", "/sitemap.xml"]:
        response = reader.get(f"{path}?{flood}")
        assert response.status_code == 400, path
        assert "Bad request" in response.text or "Requête" in response.text


def test_trace_on_a_feed_answers_405_with_allow(reader):
    response = reader.generic("TRACE", "/en/feeds/releases.atom")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert reader.head("/en/feeds/releases.atom").status_code == 200


def test_oversized_headers_and_a_bad_host_get_the_400_page(reader):
    response = reader.get("/en/", HTTP_X_JUNK="x" * 10_000)
    assert response.status_code == 400 and "Bad request" in response.text
    response = reader.get("/en/?" + "&".join(f"p{i}=1" for i in range(1100)), HTTP_HOST="evil")
    assert response.status_code == 400


def test_the_400_page_speaks_the_language_of_its_address(reader):
    flood = "&".join(f"p{i}=1" for i in range(1100))
    french = reader.get(f"/fr/communiques/?{flood}")
    assert french.status_code == 400
    assert '<html lang="fr">' in french.text and "Requête invalide" in french.text
    assert "Bad request" not in french.text
    oversized = reader.get("/fr/", HTTP_X_JUNK="x" * 10_000)
    assert oversized.status_code == 400 and "Requête invalide" in oversized.text
    english = reader.get(f"/en/releases/?{flood}")
    assert '<html lang="en">' in english.text and "Bad request" in english.text


def assert_handled(response):
    body = response.content.decode("utf-8", "replace")
    assert response.status_code < 500, body[:2000]
    assert "Traceback" not in body
    assert "<script>fuzz()</script>" not in body


@pytest.fixture
def reader(demo):
    return Client(raise_request_exception=False)


@FUZZ
@given(path=matching_paths(), query=queries)
def test_generated_paths_and_query_strings_never_break_a_page(reader, path, query):
    url = "/" + quote(path, safe="/")
    if query:
        url += "?" + urlencode(query)
    assert_handled(reader.get(url))


odd_methods = st.sampled_from(["TRACE", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "PROPFIND"])


@hypothesis_settings(FUZZ, max_examples=1000)
@given(
    path=matching_paths(),
    method=odd_methods,
    cookie=st.text(max_size=60),
    raw_query=st.binary(max_size=60),
)
def test_odd_methods_cookies_and_bytes_never_break_a_page(reader, path, method, cookie, raw_query):
    """Other methods answer 405 with Allow (or what the page allows), HEAD works, a malformed
    cookie or a query that is not UTF-8 is read as well as it can be."""
    url = "/" + quote(path, safe="/") + "?" + quote(raw_query, safe="=&")
    cookie = cookie.encode("ascii", "replace").decode().replace("\r", "").replace("\n", "")
    response = reader.generic(method, url, HTTP_COOKIE=cookie)
    assert_handled(response)
    if response.status_code == 405:
        assert response.has_header("Allow")


@hypothesis_settings(FUZZ, max_examples=3000)
@given(
    path=matching_paths(),
    tail=st.one_of(st.text(max_size=30), st.just(CANARY)),
)
def test_mangled_paths_never_break_a_page(reader, path, tail):
    url = "/" + quote(path + tail, safe="/")
    assert_handled(reader.get(url))


@hypothesis_settings(FUZZ, max_examples=2500)
@given(path=matching_paths(), form=queries)
def test_form_posts_to_public_pages_change_nothing_and_never_break(reader, path, form):
    from releases.models import Release

    before = list(Release.objects.values_list("pk", "headline", "status", "updated_at"))
    response = reader.post("/" + quote(path, safe="/"), form)
    assert_handled(response)
    assert list(Release.objects.values_list("pk", "headline", "status", "updated_at")) == before


@hypothesis_settings(FUZZ, max_examples=300)
@given(query=queries)
def test_real_pages_of_the_demo_take_any_query_string(reader, query):
    """Generated paths rarely hit an existing slug; the demo's own pages get the same treatment."""
    from releases.models import Campaign, Release, Spokesperson, Topic

    release = Release.objects.first()
    pages = [
        release.get_absolute_url(),
        Campaign.objects.first().get_absolute_url(),
        Spokesperson.objects.first().get_absolute_url(),
    ]
    topic = Topic.objects.first()
    if topic is not None:
        pages.append(f"/en/topics/{topic.slug}/")
    pages += [
        release.get_absolute_url().rstrip("/") + ".ninjs.json",
        f"/api/v1/releases/{release.pk}",
        "/api/v1/releases/",
        "/oembed",
    ]
    for page in pages:
        assert_handled(reader.get(page, query))
