"""oEmbed for every public release: the card a CMS or a chat shows for a pasted address."""

import json
import re
from html import unescape
from urllib.parse import quote

import pytest

from releases.models import ReleaseImage
from releases.workflow import publishing
from tests.factories import make_organisation, make_release
from tests.imagefiles import jpeg_bytes, photo, store_image

pytestmark = pytest.mark.django_db


def oembed(client, url, **parameters):
    return client.get("/oembed", {"url": url, **parameters})


def page_url(release) -> str:
    return f"http://testserver{release.get_absolute_url()}"


def test_a_release_page_gives_its_card(client):
    make_organisation()
    release = make_release(headline="Working <Together>", summary="Police and communities.")
    response = oembed(client, page_url(release), format="json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    data = json.loads(response.content)
    assert data["version"] == "1.0"
    assert data["type"] == "rich"
    assert data["title"] == "Working <Together>"
    assert data["provider_name"] == "Canadian Association of Chiefs of Police"
    assert (data["width"], data["height"]) == (600, 240)
    assert "Working &lt;Together&gt;" in data["html"]  # escaped: never markup of the editor's
    assert "<script" not in data["html"] and "<iframe" not in data["html"]
    assert f'href="{page_url(release)}"' in data["html"]


def test_the_page_advertises_its_oembed(client):
    release = make_release()
    html = client.get(release.get_absolute_url()).text
    link = re.search(r'type="application/json\+oembed"[^>]*href="([^"]+)"', html)
    assert link
    expected = f"http://testserver/oembed?url={quote(page_url(release), safe='')}&format=json"
    assert unescape(link.group(1)) == expected
    assert client.get(unescape(link.group(1)).removeprefix("http://testserver")).status_code == 200


def test_the_site_url_host_and_the_french_pages_are_understood(client):
    release = make_release(language="fr", dateline_region="Ontario")
    url = f"https://news.example.org{release.get_absolute_url()}"
    data = json.loads(oembed(client, url).content)
    assert data["title"] == release.headline
    assert data["language"] == "fr"


def test_the_thumbnail_respects_maxwidth(client):
    release = make_release()
    store_image(ReleaseImage, release=release, data=jpeg_bytes(photo(1600, 1000)))
    data = json.loads(oembed(client, page_url(release)).content)
    assert data["thumbnail_width"] == 1200
    small = json.loads(oembed(client, page_url(release), maxwidth="400").content)
    assert small["width"] == 400
    assert "thumbnail_url" not in small


def test_a_withdrawn_release_says_so_on_its_card(client):
    release = make_release()
    publishing.withdraw(release=release, by=None, reason="Error.")
    data = json.loads(oembed(client, page_url(release)).content)
    assert "This release has been withdrawn." in data["html"]


@pytest.mark.parametrize(
    "url",
    [
        "https://elsewhere.example.com/en/releases/2021/05/09/a/",
        "http://testserver/en/releases/",
        "http://testserver/en/campaigns/some/",
        "http://testserver/de/releases/2021/05/09/a/",
        "http://testserver/en/releases/2021/02/31/a/",
        "ftp://testserver/en/",
        "not a url",
        "http://%5B::1",
        "http://[::1/en/",
        "http://testserver:99999/en/releases/2021/05/09/a/",
    ],
)
def test_an_address_that_is_not_a_release_page_is_404(client, url):
    response = oembed(client, url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["error"] == "No public release is at this address."


def test_a_release_that_is_not_public_is_404(client, tomorrow):
    embargoed = make_release(publish_at=tomorrow)
    draft = make_release(published=False)
    draft.publication_date = tomorrow.date()
    for release in (embargoed, draft):
        assert oembed(client, page_url(release)).status_code == 404


@pytest.mark.parametrize(
    "parameters, status",
    [
        ({}, 400),
        ({"url": ""}, 400),
        ({"url": "http://testserver/en/", "format": "yaml"}, 400),
        ({"url": "http://testserver/en/", "maxwidth": "wide"}, 400),
        ({"url": "0", "maxwidth": "²"}, 400),  # a digit to str.isdigit(), not to int()
        ({"url": "http://testserver/en/", "maxheight": "-3"}, 400),
        ({"url": "http://testserver/en/", "format": "xml"}, 501),
    ],
)
def test_bad_parameters_are_a_clear_error_never_a_500(client, parameters, status):
    response = client.get("/oembed", parameters)
    assert response.status_code == status
    assert json.loads(response.content)["error"]


def test_a_releases_old_address_gives_the_card_of_its_new_one(client):
    """A link pasted before the slug changed answers 301 on the site; its card follows it."""
    from tests.factories import make_staff

    release = make_release(slug="old-slug", headline="Working Together")
    old = page_url(release)
    release.slug = "new-slug"
    publishing.minor_edit(release=release, by=make_staff("Editors"))
    response = oembed(client, old)
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["url"] == page_url(release) and "new-slug" in data["url"]
    assert data["title"] == "Working Together"


def test_the_card_of_an_advisory_says_its_event_is_cancelled_in_the_releases_language(client):
    from formats.models import AdvisoryEvent
    from tests.factories import make_advisory

    advisory = make_advisory(language="fr", headline="Le ministre fera une annonce")
    AdvisoryEvent.objects.filter(release=advisory).update(status=AdvisoryEvent.Status.CANCELLED)
    data = json.loads(oembed(client, page_url(advisory), format="json").content)
    assert data["title"] == "Événement annulé\u00a0: Le ministre fera une annonce"
    assert "Événement annulé\u00a0: Le ministre fera une annonce</a>" in unescape(data["html"])
