"""The content API's addresses: written with or without the final slash, the other way from the
API's, they answer 301 to the API's (a collection ends with a slash, one thing does not); and
every error at an API address is the API's JSON, never the site's HTML page."""

import json

import pytest
from django.test import RequestFactory

from newsroom import errors
from newsroom.middleware import database_unavailable_response
from tests.factories import make_campaign, make_quote, make_release, make_spokesperson

pytestmark = pytest.mark.django_db


@pytest.fixture
def things():
    campaign = make_campaign()
    release = make_release(campaign=campaign)
    person = make_spokesperson()
    make_quote(release, spokesperson=person)
    return {"release": release.pk, "campaign": campaign.pk, "person": person.pk}


def api_addresses(things) -> list[str]:
    return [
        "/api/v1/releases/",
        f"/api/v1/releases/{things['release']}",
        "/api/v1/campaigns/",
        f"/api/v1/campaigns/{things['campaign']}",
        "/api/v1/spokespeople/",
        f"/api/v1/spokespeople/{things['person']}",
        "/api/v1/topics/",
        "/api/v1/types/",
        "/api/v1/types/news-release",
        "/api/v1/schema/",
    ]


def other_form(address: str) -> str:
    return address.removesuffix("/") if address.endswith("/") else f"{address}/"


def is_json_error(response, status: int) -> bool:
    return (
        response.status_code == status
        and response["Content-Type"].startswith("application/json")
        and "detail" in json.loads(response.content)
        and response["Access-Control-Allow-Origin"] == "*"
    )


def test_every_api_address_written_the_other_way_answers_301_to_it_with_its_query(
    client, things, django_assert_max_num_queries
):
    for address in api_addresses(things):
        with django_assert_max_num_queries(1):  # the page cache's generation
            response = client.get(other_form(address), {"language": "fr"})
        assert response.status_code == 301, address
        assert response["Location"] == f"{address}?language=fr"
        assert response["Access-Control-Allow-Origin"] == "*"
        if address != "/api/v1/schema/":
            assert client.get(address).status_code == 200, address
    # The API's page, and the API's root (which leads to it), likewise.
    assert client.get("/api/v1/docs/")["Location"] == "/api/v1/docs"
    assert client.get("/api/v1")["Location"] == "/api/v1/"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nothing",
        "/api/v1/nothing/",
        "/api/v1/releases/99999",
        "/api/v1/campaigns/99999",
        "/api/v1/types/nothing",
        "/api/v1/releases/1/2/",
        "/api/v1//evil.example/",
        "/api/v1//evil.example",
        "/api/v2/releases/",
    ],
)
def test_an_api_address_that_answers_nothing_either_way_is_a_json_404(client, path):
    response = client.get(path)
    assert is_json_error(response, 404), (response.status_code, response.content[:200])


def test_a_release_that_is_not_public_is_a_json_404_by_either_form(client):
    draft = make_release(published=False)
    response = client.get(f"/api/v1/releases/{draft.pk}/", follow=True)
    assert response.redirect_chain == [(f"/api/v1/releases/{draft.pk}", 301)]
    assert is_json_error(response, 404)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_method_the_api_does_not_take_is_a_json_405(client, things, method):
    for address in ["/api/v1/releases/", f"/api/v1/releases/{things['release']}"]:
        response = getattr(client, method)(address)
        assert is_json_error(response, 405), (address, response.content[:200])
        assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_bad_requests_are_json_400s_whoever_refuses_them(client, settings):
    assert is_json_error(client.get("/api/v1/releases/abc"), 400)
    assert is_json_error(client.get("/api/v1/releases/", {"languag": "fr"}), 400)
    # Refused by a middleware before any view: more parameters than Django reads.
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    crowded = client.get("/api/v1/releases/", {f"p{n}": n for n in range(10)})
    assert is_json_error(crowded, 400)
    assert "<html" not in crowded.text


def test_server_errors_and_an_unavailable_database_are_json_at_api_addresses():
    request = RequestFactory().get("/api/v1/releases/")
    assert is_json_error(errors.server_error(request), 500)
    unavailable = database_unavailable_response(request)
    assert is_json_error(unavailable, 503) and unavailable["Retry-After"] == "30"
    # The site's own pages keep their HTML pages.
    page = RequestFactory().get("/en/")
    assert errors.server_error(page)["Content-Type"].startswith("text/html")
    assert database_unavailable_response(page)["Content-Type"].startswith("text/html")


def test_the_site_keeps_its_html_404_page(client):
    response = client.get("/en/nothing-here/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
