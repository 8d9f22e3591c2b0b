"""Operations: health and readiness, request ids, structured logs and the error pages."""

import json
import logging
import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.views import defaults

from newsroom.middleware import database_unavailable_response

pytestmark = pytest.mark.django_db


def test_healthz_says_the_process_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.text == "ok"


def test_readyz_says_the_database_answers_and_is_never_cached(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    report = response.json()
    assert report["ready"] is True
    assert report["checks"]["database"]["ok"] and report["checks"]["cache"]["ok"]
    assert "no-cache" in response["Cache-Control"]


def test_a_request_id_is_made_and_echoed_when_none_is_given(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_a_request_id_from_the_load_balancer_is_kept(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234.abc")
    assert response["X-Request-ID"] == "lb-1234.abc"


@pytest.mark.parametrize("hostile", ["a b", "<script>", "x" * 200, "id\r\nSet-Cookie: a=b"])
def test_a_malformed_request_id_is_replaced(client, hostile):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=hostile)
    assert response["X-Request-ID"] != hostile
    assert len(response["X-Request-ID"]) == 32


def test_each_request_writes_one_json_log_line_with_its_id(client, caplog):
    from django.conf import settings

    formatter_config = settings.LOGGING["formatters"]["json"]
    formatter_class = formatter_config["()"]
    module, _, name = formatter_class.rpartition(".")
    formatter = getattr(__import__(module, fromlist=[name]), name)(
        formatter_config["format"],
        rename_fields=formatter_config["rename_fields"],
        timestamp=formatter_config["timestamp"],
    )
    with caplog.at_level(logging.INFO, logger="newsroom.request"):
        response = client.get("/en/", HTTP_X_REQUEST_ID="trace-42")
    records = [r for r in caplog.records if r.name == "newsroom.request"]
    assert len(records) == 1
    line = json.loads(formatter.format(records[0]))
    assert line["request_id"] == "trace-42"
    assert line["status"] == response.status_code == 200
    assert line["path"] == "/en/" and line["method"] == "GET"
    assert line["level"] == "INFO" and "duration_ms" in line
    assert line["time"][:4].isdigit() and "T" in line["time"]  # ISO 8601


def test_the_500_page_renders_without_a_database_or_request_context(django_assert_num_queries):
    request = RequestFactory().get("/en/")
    with django_assert_num_queries(0):
        response = defaults.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html and "newsroom.css" in html


def test_the_503_page_renders_in_the_site_design_without_a_query(django_assert_num_queries):
    request = RequestFactory().get("/en/")
    with django_assert_num_queries(0):
        response = database_unavailable_response(request)
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert "temporarily unavailable" in html and 'class="site-header"' in html
    assert "Traceback" not in html


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/en/no-such-page/", 404, "Page not found"),
        ("/fr/communiques/2021/13/", 404, ""),
        ("/en/releases/?page=abc", 404, "Page not found"),
    ],
)
def test_error_pages_are_in_the_site_design(client, path, status, words):
    response = client.get(path)
    assert response.status_code == status
    assert words in response.text
    assert 'class="site-header"' in response.text and "skip-link" in response.text


def test_a_bad_host_gets_the_400_page(client):
    response = client.get("/en/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Bad request" in response.text


def test_readyz_query_is_a_single_cheap_select(client, django_assert_max_num_queries):
    connection.ensure_connection()
    with django_assert_max_num_queries(2) as queries:  # with the tests' replica alias, the router
        client.get("/readyz")  # also reads when the data last changed (its one row)
    assert queries.captured_queries[-1]["sql"] == "SELECT 1"


def test_djangos_own_log_line_for_a_404_carries_the_request_id(client, caplog):
    from newsroom.middleware import RequestIdLogFilter

    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get("/en/no-such-page/", HTTP_X_REQUEST_ID="trace-404")
    record = next(r for r in caplog.records if r.name == "django.request")
    RequestIdLogFilter().filter(record)
    assert record.request_id == "trace-404"


@pytest.mark.parametrize(
    "path",
    ["/healthz", "/readyz", "/robots.txt", "/sitemap.xml", "/sitemap-news.xml", "/en/"],
)
def test_every_public_address_answers_head_as_it_answers_get(client, path):
    """Crawlers and uptime monitors ask with HEAD (RFC 9110 §9.1: every general-purpose server
    supports it), and before any GET has filled a cache."""
    head = client.head(path)
    assert head.status_code == client.get(path).status_code == 200
    assert head.content == b""


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize(
    ("path", "host", "status"),
    [("/en/releases/?page=999", "testserver", 404), ("/en/", "evil.example", 400)],
)
def test_the_error_pages_use_typographic_apostrophes_like_every_other_page(
    client, path, host, status
):
    from tests.factories import make_release

    make_release()
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == status
    assert "’s" in visible_text(response.text) and "'" not in visible_text(response.text)
