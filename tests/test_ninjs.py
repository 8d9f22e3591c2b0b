"""IPTC ninjs 3.1 for every public release: valid against IPTC's own schema, complete, with the
visibility of the release's page."""

import json
import re
from datetime import timedelta
from pathlib import Path

import jsonschema
import pytest

from releases.models import Correction, Release, ReleaseImage
from releases.workflow import publishing
from tests.factories import (
    make_advisory,
    make_campaign,
    make_contact,
    make_organisation,
    make_quote,
    make_release,
    make_topic,
)
from tests.imagefiles import jpeg_bytes, photo, store_image

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"

# IPTC's schema (MIT licence beside it), kept with the tests so that they run in any checkout;
# the test below checks it is still the one in shared/standards when that folder is there.
SCHEMA_PATH = Path(__file__).resolve().parent / "standards" / "ninjs" / "ninjs-schema_3.1.json"
SHARED_SCHEMA = (
    Path(__file__).resolve().parents[2] / "shared" / "standards" / "ninjs" / "ninjs-schema_3.1.json"
)


@pytest.mark.skipif(not SHARED_SCHEMA.exists(), reason="no shared/ beside this checkout")
def test_the_kept_schema_is_iptcs_from_shared_standards():
    assert SCHEMA_PATH.read_bytes() == SHARED_SCHEMA.read_bytes()


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_PATH.read_text())
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def ninjs_url(release) -> str:
    return release.get_absolute_url().rstrip("/") + ".ninjs.json"


def fetch(client, release) -> dict:
    response = client.get(ninjs_url(release))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/ninjs+json")
    return json.loads(response.content)


def assert_valid(validator, document):
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


@pytest.fixture
def full_release():
    """A release with everything ninjs can carry: subheadline, campaign, topics, a quote, a
    contact, two images, a correction and a French version."""
    make_organisation(website="https://www.cacp.ca/")
    release = make_release(
        headline="Working Together",
        subheadline="A week of open doors",
        campaign=make_campaign(name_en="National Police Week", slug="npw"),
    )
    release.topics.add(make_topic(name_en="Community", slug="community"))
    release.media_contacts.add(make_contact(name="Jo Press", phone="613-555-0100"))
    make_quote(release, text="We are listening.")
    for n in range(2):
        store_image(
            ReleaseImage,
            release=release,
            data=jpeg_bytes(photo(900, 600)),
            alt_text=f"Officers {n}",
            caption="At a school",
            credit="CACP",
            position=n,
        )
    Correction.objects.create(release=release, note="The date was wrong.")
    make_release(
        headline="Travailler ensemble",
        language="fr",
        translation_group=release.translation_group,
        dateline_region="Ontario",
    )
    return release


def test_the_demo_release_validates_against_iptc_ninjs_3_1(client, demo, validator):
    document = fetch(client, demo)
    assert_valid(validator, document)
    # The validator is strict: formats are checked, and unknown properties refused.
    assert {"uri", "date-time"} <= set(validator.format_checker.checkers)
    assert not validator.is_valid(document | {"firstCreated": "May 9, 2021"})
    assert not validator.is_valid(document | {"quotes": []})
    assert document["standard"]["version"] == "3.1"
    assert document["uri"] == demo.feed_id
    assert document["headlines"][0]["value"] == demo.headline
    assert document["pubStatus"] == "usable"
    assert document["located"] == "Ottawa, ON"  # the place only: the date has its own fields
    assert document["copyrightHolder"] == "Canadian Association of Chiefs of Police"


def test_a_full_release_maps_everything_it_carries_onto_ninjs(client, full_release, validator):
    document = fetch(client, full_release)
    assert_valid(validator, document)
    headlines = [h["value"] for h in document["headlines"]]
    assert headlines == ["Working Together", "A week of open doors"]
    roles = {(body["role"], body["contentType"]) for body in document["bodies"]}
    assert {("main", "text/html"), ("main", "text/plain"), ("correction", "text/plain")} <= roles
    assert ("boilerplate", "text/plain") in roles
    plain = next(b for b in document["bodies"] if b["contentType"] == "text/plain")
    assert plain["value"].startswith("Ottawa, ON, ")
    assert "“We are listening,” said" in plain["value"]
    html = next(b for b in document["bodies"] if b["contentType"] == "text/html")["value"]
    assert 'href="/' not in html and 'cite="/' not in html  # every link is absolute
    assert {s["rel"]: s["name"] for s in document["subjects"]} == {
        "topic": "Community",
        "campaign": str(full_release.campaign),
    }
    people = {p["rel"]: p for p in document["people"]}
    assert people["quoted"]["literal"].startswith("Chief Person")
    assert {c["type"]: c["value"] for c in people["media-contact"]["contactInfo"]} == {
        "email": full_release.media_contacts.get().email,
        "phone": "613-555-0100",
    }
    genre = document["genres"][0]
    assert genre == {
        "name": "News release",
        "uri": "http://testserver/api/v1/types/news-release",
        "literal": "news-release",
    }
    assert client.get(genre["uri"].removeprefix("http://testserver")).status_code == 200
    images = [a for a in document["associations"] if a["type"] == "picture"]
    assert [a["rel"] for a in images] == ["lead-image", "gallery"]
    assert images[0]["by"] == "CACP"
    renditions = images[0]["renditions"]
    assert {r["contentType"] for r in renditions} == {"image/jpeg", "image/webp"}
    for rendition in renditions:
        assert client.get(rendition["href"].removeprefix("http://testserver")).status_code == 200
    translation = next(a for a in document["associations"] if a["rel"] == "translation")
    assert translation["language"] == "fr"
    french = client.get(translation["renditions"][1]["href"].removeprefix("http://testserver"))
    assert json.loads(french.content)["language"] == "fr"


def test_a_french_release_is_described_in_french(client, full_release, validator):
    twin = full_release.__class__.objects.get(language="fr")
    document = fetch(client, twin)
    assert_valid(validator, document)
    assert document["language"] == "fr"
    assert document["genres"][0]["name"] == "Communiqué"
    assert document["located"] == "Ottawa (Ontario)"


def test_a_withdrawn_release_is_canceled_and_says_why(client, validator):
    release = make_release()
    publishing.withdraw(release=release, by=None, reason="Sent in error.")
    document = fetch(client, release)
    assert_valid(validator, document)
    assert document["pubStatus"] == "canceled"
    assert any("Sent in error." in body["value"] for body in document["bodies"])


def test_a_withdrawn_translation_is_no_longer_named_as_one(client, validator):
    """A version taken back is linked from nowhere: not from its twin's ninjs either."""
    english = make_release()
    client.get(ninjs_url(english))
    french = make_release(language="fr", translation_group=english.translation_group)
    assert [a["language"] for a in fetch(client, english)["associations"]] == ["fr"]
    publishing.withdraw(release=french, by=None, reason="Chiffres erronés.")
    document = fetch(client, english)
    assert_valid(validator, document)
    assert not [a for a in document.get("associations", []) if a["rel"] == "translation"]


def test_an_advisory_carries_its_event_dates(client, validator):
    advisory = make_advisory()
    document = fetch(client, advisory)
    assert_valid(validator, document)
    event = advisory.advisory_event
    assert (
        document["eventDetails"]["dates"]["startDate"]
        == event.starts_at.astimezone(event.zone).isoformat()
    )


def test_ninjs_has_the_visibility_of_the_page(client, tomorrow):
    embargoed = make_release(publish_at=tomorrow)
    draft = make_release(published=False)
    assert client.get(ninjs_url(embargoed)).status_code == 404
    draft.publication_date = tomorrow.date()
    assert client.get(ninjs_url(draft)).status_code == 404
    gone = make_release()
    publishing.unpublish(release=gone, by=None, note="Error")
    assert client.get(ninjs_url(gone)).status_code == 410


def test_the_page_advertises_its_ninjs_and_readers_revalidate_with_the_etag(client):
    release = make_release()
    html = client.get(release.get_absolute_url()).text
    link = re.search(r'rel="alternate" type="application/ninjs\+json"[^>]*href="([^"]+)"', html)
    assert link and link.group(1) == f"http://testserver{ninjs_url(release)}"
    first = client.get(ninjs_url(release))
    assert first["Access-Control-Allow-Origin"] == "*"
    assert "public" in first["Cache-Control"]
    again = client.get(ninjs_url(release), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    preflight = client.options(ninjs_url(release), HTTP_ORIGIN="https://agency.example.com")
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"


def test_a_correction_moves_version_created_but_not_first_created(client, now):
    release = make_release(publish_at=now - timedelta(days=2))
    before = fetch(client, release)
    publishing.correct(release=release, by=None, note="Fixed a name.")
    after = fetch(client, release)
    assert after["firstCreated"] == before["firstCreated"]
    assert after["versionCreated"] > before["versionCreated"]


def count_queries(client, path) -> int:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_what_a_release_carries(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    make_organisation()
    small, large = make_release(), make_release()
    make_quote(small)
    small.topics.add(make_topic())
    small.media_contacts.add(make_contact())  # a release without reads the organisation's
    for n in range(6):
        make_quote(large, position=n + 1)
        large.topics.add(make_topic())
        large.media_contacts.add(make_contact())
    assert count_queries(client, ninjs_url(large)) == count_queries(client, ninjs_url(small))
    assert count_queries(client, ninjs_url(large)) <= 11


def format_under(language: str, release, name: str) -> str:
    """The address named ``name`` of ``release``'s date and slug under ``language``'s prefix."""
    from formats.reading import dated_url

    from_elsewhere = Release(
        language=language, publication_date=release.publication_date, slug=release.slug
    )
    return dated_url(from_elsewhere, name)


@pytest.mark.parametrize("name", ["formats:ninjs", "formats:event-ics"])
def test_a_format_under_the_other_language_leads_to_the_release_or_says_it_is_not_there(
    client, name
):
    """Never the human page of the other language, with a 200, where a machine asked."""
    advisory = make_advisory(headline="English only")
    french = format_under("fr", advisory, name)

    response = client.get(french)
    assert response.status_code == 302
    assert response["Location"] == format_under("en", advisory, name)

    publishing.unpublish(release=advisory, by=None, note="Sent in error")
    gone = client.get(format_under("en", advisory, name))
    assert gone.status_code == 410 and not gone["Content-Type"].startswith("text/html")
    missing = client.get(french.replace(advisory.slug, "no-such-release"))
    assert missing.status_code == 404 and not missing["Content-Type"].startswith("text/html")


def test_the_ninjs_and_api_plain_text_bodies_are_typeset_as_the_page(client, validator):
    body = '<p>Le ministre dira "nous sommes prêts" lors d\'un point de presse !</p>'
    french = make_release(language="fr", dateline_region="Ontario", body=body)
    make_quote(french, text="C'est l'avenir qui compte.")
    document = fetch(client, french)
    assert_valid(validator, document)
    (plain,) = [
        b for b in document["bodies"] if b["role"] == "main" and b["contentType"] == "text/plain"
    ]
    expected = f"«{NBSP}nous sommes prêts{NBSP}» lors d’un point de presse{NBSP}!"
    assert expected in plain["value"]
    assert f"«{NBSP}C’est l’avenir qui compte{NBSP}», a déclaré" in plain["value"]
    assert plain["charCount"] == len(plain["value"])

    english = make_release(body='<p>The theme is "Safe together", it\'s said.</p>')
    (plain,) = [
        b
        for b in fetch(client, english)["bodies"]
        if b["contentType"] == "text/plain" and b["role"] == "main"
    ]
    assert "The theme is “Safe together”, it’s said." in plain["value"]

    api = json.loads(client.get(f"/api/v1/releases/{french.pk}").content)
    assert expected in api["body_text"]
