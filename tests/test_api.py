"""The read-only content API: the list's filters, cursor pages, full releases, the visibility
rule, validators and CORS, a rate limit per address, its OpenAPI document and page, and a
number of queries that does not grow with the number of releases."""

import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from releases.models import Correction, ReleaseImage, ReleaseType
from releases.workflow import publishing
from tests.factories import (
    make_advisory,
    make_campaign,
    make_contact,
    make_organisation,
    make_quote,
    make_release,
    make_spokesperson,
    make_topic,
)
from tests.imagefiles import jpeg_bytes, photo, store_image

pytestmark = pytest.mark.django_db
RELEASES = "/api/v1/releases/"


def get_json(client, path, params=None, status=200, **headers):
    response = client.get(path, params or {}, **headers)
    assert response.status_code == status, (response.status_code, response.content[:500])
    return json.loads(response.content)


def headlines(data) -> list[str]:
    return [item["headline"] for item in data["items"]]


def rich_release(n: int, *, now, person=None, topic=None, campaign=None):
    """A release with a quote, a contact, a topic, a campaign, an image and a correction."""
    release = make_release(
        headline=f"Rich {n:02d}", publish_at=now - timedelta(hours=n + 1), campaign=campaign
    )
    make_quote(release, spokesperson=person or make_spokesperson())
    release.media_contacts.add(make_contact())
    release.topics.add(topic or make_topic())
    store_image(ReleaseImage, release=release, data=jpeg_bytes(photo(500, 300)))
    Correction.objects.create(release=release, note=f"Fixed {n}.")
    return release


def test_a_release_comes_with_everything_it_carries(client, now):
    make_organisation()
    release = rich_release(1, now=now, campaign=make_campaign(name_en="Week", slug="week"))
    twin = make_release(
        language="fr", translation_group=release.translation_group, dateline_region="Ontario"
    )
    item = get_json(client, f"{RELEASES}{release.pk}")
    assert item["id"] == release.pk
    assert item["uri"] == release.feed_id
    assert item["url"] == f"http://testserver{release.get_absolute_url()}"
    assert item["status"] == "published"
    assert item["published"] == release.publish_at.astimezone(item_zone()).isoformat()
    assert item["campaign"]["slug"] == "week"
    assert item["quotes"][0]["spokesperson"]["api_url"].startswith("http://testserver/api/v1/")
    assert item["contacts"][0]["email"] == release.media_contacts.get().email
    assert item["corrections"][0]["note"] == "Fixed 1."
    renditions = item["images"][0]["renditions"]
    assert {r["role"] for r in renditions} == {"original", "rendition", "social"}
    assert all(r["url"].startswith("http://testserver/files/") for r in renditions)
    assert item["versions"] == [
        {
            "id": twin.pk,
            "language": "fr",
            "url": f"http://testserver{twin.get_absolute_url()}",
            "api_url": f"http://testserver/api/v1/releases/{twin.pk}",
        }
    ]
    assert item["body_text"].startswith("Ottawa, ON, ")
    assert client.get(item["ninjs_url"].removeprefix("http://testserver")).status_code == 200
    assert client.get(item["oembed_url"].removeprefix("http://testserver")).status_code == 200


def item_zone():
    from django.utils import timezone

    return timezone.get_default_timezone()


def test_the_list_has_the_filters_of_the_list_page(client, now):
    topic, campaign = make_topic(slug="safety"), make_campaign(slug="week")
    a = make_release(headline="Alpha Bridges", publish_at=now - timedelta(days=400))
    a.topics.add(topic)
    make_release(headline="Beta Tunnels", campaign=campaign, release_type=ReleaseType.STATEMENT)
    make_release(headline="Gamma", language="fr", dateline_region="Ontario")
    assert headlines(get_json(client, RELEASES)) == ["Gamma", "Beta Tunnels", "Alpha Bridges"]
    assert headlines(get_json(client, RELEASES, {"language": "fr"})) == ["Gamma"]
    assert headlines(get_json(client, RELEASES, {"type": "statement"})) == ["Beta Tunnels"]
    assert headlines(get_json(client, RELEASES, {"topic": "safety"})) == ["Alpha Bridges"]
    assert headlines(get_json(client, RELEASES, {"campaign": "week"})) == ["Beta Tunnels"]
    day = a.publication_date
    by_month = {"year": day.year, "month": day.month, "language": "en"}
    assert headlines(get_json(client, RELEASES, by_month)) == ["Alpha Bridges"]
    assert headlines(get_json(client, RELEASES, {"q": "tunnels", "language": "en"})) == [
        "Beta Tunnels"
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"campaign": "no-such-campaign"},
        {"type": "memo"},
        {"language": "de"},
        {"month": "5"},
        {"year": "2021", "month": "13"},
        {"limit": "0"},
        {"limit": "many"},
        {"cursor": "not-a-cursor"},
        {"year": "99999999999999999999"},
    ],
)
def test_a_bad_parameter_is_a_400_that_says_what_is_wrong(client, params):
    data = get_json(client, RELEASES, params, status=400)
    assert data["detail"]
    for value in params.values():  # and never repeats what was sent
        assert value not in json.dumps(data["detail"], ensure_ascii=False)


def test_cursor_pages_walk_every_release_once_even_with_ties(client, now):
    same_minute = now - timedelta(hours=1)
    expected = [make_release(publish_at=same_minute).pk for _ in range(5)]
    expected += [make_release(publish_at=now - timedelta(hours=2 + n)).pk for n in range(4)]
    seen, path, params = [], RELEASES, {"limit": 2}
    while True:
        response = client.get(path, params)
        data = json.loads(response.content)
        seen += [item["id"] for item in data["items"]]
        if data["next"] is None:
            break
        assert response["Link"] == f'<{data["next"]}>; rel="next"'
        path, params = data["next"].removeprefix("http://testserver"), {}
    assert sorted(seen) == sorted(expected)
    assert len(seen) == len(set(seen))
    assert seen[5:] == expected[5:]


def test_only_public_releases_are_listed_and_found(client, tomorrow):
    public = make_release(headline="Public")
    embargoed = make_release(headline="Embargoed", publish_at=tomorrow)
    draft = make_release(headline="Draft", published=False)
    withdrawn = make_release(headline="Withdrawn")
    publishing.withdraw(release=withdrawn, by=None, reason="Sent in error.")
    assert headlines(get_json(client, RELEASES)) == ["Public"]
    assert get_json(client, f"{RELEASES}{public.pk}")["headline"] == "Public"
    for hidden in (embargoed, draft):
        assert client.get(f"{RELEASES}{hidden.pk}").status_code == 404
    kept = get_json(client, f"{RELEASES}{withdrawn.pk}")
    assert (kept["status"], kept["withdrawn_reason"]) == ("withdrawn", "Sent in error.")


def test_an_advisory_carries_its_event(client):
    advisory = make_advisory()
    event = get_json(client, f"{RELEASES}{advisory.pk}")["event"]
    assert event["uid"] == str(advisory.advisory_event.uid)
    assert event["status"] == "scheduled"
    assert event["ics_url"].endswith(".ics")


def test_answers_carry_an_etag_cors_and_a_shared_lifetime(client):
    make_release()
    first = client.get(RELEASES)
    assert first["Access-Control-Allow-Origin"] == "*"
    assert "public" in first["Cache-Control"] and "max-age=" in first["Cache-Control"]
    assert client.get(RELEASES, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    preflight = client.options(RELEASES, HTTP_ORIGIN="https://elsewhere.example.com")
    assert preflight.status_code == 204
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    head = client.head(RELEASES)
    assert head.status_code == 200 and head.content == b""


def test_a_change_is_seen_at_once_despite_the_cache(client):
    release = make_release(headline="Before")
    assert headlines(get_json(client, RELEASES)) == ["Before"]
    release.headline = "After"
    publishing.minor_edit(release=release, by=None)
    assert headlines(get_json(client, RELEASES)) == ["After"]


def test_each_address_is_limited_with_a_retry_after(client, settings, cache_backend):
    settings.API_RATE_LIMIT = "3/m"
    for _ in range(3):
        assert client.get("/api/v1/topics/").status_code == 200
    limited = client.get("/api/v1/topics/")
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert limited["Access-Control-Allow-Origin"] == "*"
    assert client.get("/api/v1/topics/", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_the_rate_limit_lets_requests_through_when_the_cache_fails(client, settings):
    settings.API_RATE_LIMIT = "1/m"
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "IGNORE_EXCEPTIONS": False},
        }
    }
    from formats.api_throttle import AddressThrottle

    request = type("Request", (), {"META": {"REMOTE_ADDR": "192.0.2.1"}})()
    assert AddressThrottle().allow_request(request)
    assert AddressThrottle().allow_request(request)
    cache.close()


def test_campaigns_spokespeople_topics_and_types_in_either_language(client):
    campaign = make_campaign(name_en="Police Week", name_fr="Semaine de la police", slug="pw")
    person = make_spokesperson(title_en="President", title_fr="Président")
    topic = make_topic(name_en="Safety", name_fr="Sécurité", slug="safety")
    release = make_release(campaign=campaign)
    make_quote(release, spokesperson=person)
    release.topics.add(topic)
    campaigns = get_json(client, "/api/v1/campaigns/", {"language": "fr"})["items"]
    assert campaigns[0]["name"].startswith("Semaine de la police")
    assert campaigns[0]["url"] == "http://testserver/fr/campagnes/pw/"
    assert campaigns[0]["releases_url"] == "http://testserver/api/v1/releases/?campaign=pw"
    one = get_json(client, f"/api/v1/campaigns/{campaign.pk}")
    assert one["start_date"] == "2021-05-09"
    people = get_json(client, "/api/v1/spokespeople/", {"language": "fr"})["items"]
    assert people[0]["title"] == "Président"
    assert get_json(client, f"/api/v1/spokespeople/{person.pk}")["title"] == "President"
    assert get_json(client, "/api/v1/topics/", {"language": "fr"})["items"][0]["name"] == "Sécurité"
    types = get_json(client, "/api/v1/types/")["items"]
    assert [t["code"] for t in types] == ReleaseType.values
    assert get_json(client, "/api/v1/types/statement")["label"] == "Statement"
    for missing in ("/api/v1/campaigns/999999", "/api/v1/spokespeople/999999", "/api/v1/types/x"):
        assert client.get(missing).status_code == 404
    assert client.get("/api/v1/campaigns/", {"language": "de"}).status_code == 400


def test_campaigns_spokespeople_and_topics_stay_unknown_until_the_public_may_know_them(
    client, tomorrow
):
    """As their pages do: one of their releases on record, or announced now by an editor."""
    campaign = make_campaign(name_en="Secret Week", slug="secret")
    person = make_spokesperson(slug="ann-unseen")
    topic = make_topic(name_en="Undisclosed", slug="undisclosed")
    embargoed = make_release(campaign=campaign, publish_at=tomorrow)
    make_quote(embargoed, spokesperson=person)
    embargoed.topics.add(topic)
    make_campaign(name_en="Announced Week", slug="announced", announce_now=True)

    def slugs(path):
        return [item["slug"] for item in get_json(client, path)["items"]]

    assert slugs("/api/v1/campaigns/") == ["announced"]
    assert slugs("/api/v1/spokespeople/") == []
    assert slugs("/api/v1/topics/") == []
    for unknown in (f"/api/v1/campaigns/{campaign.pk}", f"/api/v1/spokespeople/{person.pk}"):
        assert client.get(unknown).status_code == 404

    publishing.publish_now(release=embargoed, by=None)

    assert sorted(slugs("/api/v1/campaigns/")) == ["announced", "secret"]
    assert slugs("/api/v1/spokespeople/") == ["ann-unseen"]
    assert slugs("/api/v1/topics/") == ["undisclosed"]
    assert get_json(client, f"/api/v1/spokespeople/{person.pk}")["slug"] == "ann-unseen"


def test_the_openapi_document_and_its_page(client):
    document = get_json(client, "/api/v1/schema/")
    assert document["openapi"].startswith("3.")
    assert {"/api/v1/releases/", "/api/v1/releases/{release_id}", "/api/v1/campaigns/"} <= set(
        document["paths"]
    )
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.text
    assert "GET /api/v1/releases/" in html and "ReleaseOut" in html
    assert "<script" not in html.split("<main", 1)[1]
    assert "cdn" not in html.lower()


def count_queries(client, path) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    # The cache generation's row (read on a per-process cache, not with Redis) is the cache's
    # own bookkeeping, counted by the caching tests: this counts what the API itself reads.
    return len([q for q in queries if "pagecache_generation" not in q["sql"]])


def test_the_number_of_queries_does_not_grow_with_the_releases(client, now):
    make_organisation()
    person, topic, campaign = make_spokesperson(), make_topic(), make_campaign()
    for n in range(2):
        rich_release(n, now=now, person=person, topic=topic, campaign=campaign)
    few = count_queries(client, f"{RELEASES}?limit=50")
    for n in range(2, 22):
        rich_release(n, now=now, campaign=campaign)
    many = count_queries(client, f"{RELEASES}?limit=50")
    assert len(get_json(client, f"{RELEASES}?limit=50")["items"]) == 22
    assert many == few, (few, many)
    assert many <= 12
    filtered = count_queries(client, f"{RELEASES}?campaign={campaign.slug}&topic={topic.slug}")
    assert filtered <= many + 2


def test_the_apis_root_leads_to_its_page(client):
    response = client.get("/api/v1/")
    assert response.status_code == 302
    assert response["Location"] == "/api/v1/docs"


def test_a_malformed_rate_limit_is_refused_at_start_up(settings):
    from formats.checks import api_rate_limit

    assert api_rate_limit(None) == []
    settings.API_RATE_LIMIT = "lots"
    assert [error.id for error in api_rate_limit(None)] == ["formats.E001"]


def test_a_request_reads_the_cache_generation_once(client, now):
    """The API keeps no whole page, yet all it keeps within one request shares one generation:
    on a per-process cache that is one read of the generation's row, not one per kept value."""
    make_release(headline="Once")
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{RELEASES}?limit=50").status_code == 200
    assert len([q for q in queries if "pagecache_generation" in q["sql"]]) <= 1


@pytest.mark.parametrize(
    ("path", "params", "named"),
    [
        (RELEASES, {"languag": "fr"}, "languag"),
        (RELEASES, {"page": "2"}, "page"),
        ("/api/v1/campaigns/", {"lang": "fr"}, "lang"),
        ("/api/v1/types/", {"language": "fr", "q": "x"}, "q"),
    ],
)
def test_a_parameter_an_address_does_not_take_is_a_400_that_names_it(client, path, params, named):
    """As docs/formats.md promises: a misspelt filter must not answer with every release."""
    make_release(language="en")
    data = get_json(client, path, params, status=400)
    assert f"Not a parameter of this address: {named}." in data["detail"]
    assert "language" in data["detail"].split("It takes:")[1]


def test_a_release_by_id_takes_only_the_parameters_it_declares(client):
    release = make_release()
    assert client.get(f"{RELEASES}{release.pk}").status_code == 200
    data = get_json(client, f"{RELEASES}{release.pk}", {"language": "fr"}, status=400)
    assert data["detail"].endswith("It takes: none.")
