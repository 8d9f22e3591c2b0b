"""Cached pages are compressed once, when stored: each reader gets the Brotli or gzip copy
their Accept-Encoding asks for (or the page as is), with Vary: Accept-Encoding and a validator
of its own; static files are precompressed at collectstatic."""

import gzip

import brotli
import pytest
from django.urls import reverse

from pagecache import caching
from pagecache.middleware import page_key
from tests.factories import make_release

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_each_cache(cache_backend):
    """On local memory and on Redis (tests/conftest.py)."""


@pytest.fixture
def feed_url():
    for n in range(12):
        make_release(headline=f"Chiefs of police open the week, part {n}")
    return "/en/feeds/releases.atom"


def get(client, url, coding=None):
    headers = {"HTTP_ACCEPT_ENCODING": coding} if coding is not None else {}
    return client.get(url, **headers)


@pytest.mark.parametrize(
    "coding, decode",
    [("br", brotli.decompress), ("gzip", gzip.decompress)],
    ids=["brotli", "gzip"],
)
def test_a_cached_page_comes_compressed_as_asked_and_reads_the_same(
    client, feed_url, coding, decode
):
    plain = get(client, feed_url)  # stored here, with its copies
    assert plain["X-Newsroom-Cache"] == "miss"
    assert not plain.has_header("Content-Encoding")
    for expected_cache in ("hit", "hit"):
        response = get(client, feed_url, f"{coding}, identity;q=0.5")
        assert response["X-Newsroom-Cache"] == expected_cache
        assert response["Content-Encoding"] == coding
        assert decode(response.content) == plain.content
        assert len(response.content) < len(plain.content) / 3
        assert int(response["Content-Length"]) == len(response.content)
        assert "Accept-Encoding" in response["Vary"]
        assert response["ETag"] != plain["ETag"]
    again = get(client, feed_url, coding)
    not_modified = client.get(
        feed_url, HTTP_ACCEPT_ENCODING=coding, HTTP_IF_NONE_MATCH=again["ETag"]
    )
    assert not_modified.status_code == 304


def test_the_first_reader_of_a_page_gets_it_compressed_too(client, feed_url):
    response = get(client, feed_url, "gzip")
    assert response["X-Newsroom-Cache"] == "miss"
    assert response["Content-Encoding"] == "gzip"
    assert b"<feed" in gzip.decompress(response.content)


@pytest.mark.parametrize("header", ["", "identity", "gzip;q=0, br;q=0", "deflate", "x" * 300])
def test_readers_who_do_not_ask_get_the_page_as_is(client, feed_url, header):
    get(client, feed_url)
    response = get(client, feed_url, header)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert b"<feed" in response.content
    assert "Accept-Encoding" in response["Vary"]


def test_brotli_is_preferred_and_weights_are_respected(client, feed_url):
    get(client, feed_url)
    assert get(client, feed_url, "gzip, deflate, br")["Content-Encoding"] == "br"
    assert get(client, feed_url, "br;q=0.5, gzip")["Content-Encoding"] == "gzip"
    assert get(client, feed_url, "*")["Content-Encoding"] == "br"


def test_the_copies_are_made_once_when_stored_not_per_request(client, feed_url):
    request = get(client, feed_url).wsgi_request
    _generation, entry = caching.read(page_key(request))
    stored = entry.value
    assert set(stored["encoded"]) == {"br", "gzip"}
    assert get(client, feed_url, "br").content == stored["encoded"]["br"]
    assert get(client, feed_url, "gzip").content == stored["encoded"]["gzip"]


def test_small_pages_are_not_compressed(client):
    response = client.get(reverse("robots-txt"), HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
