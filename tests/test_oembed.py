"""oEmbed for every public release: the card a CMS or a chat shows for a pasted address."""

import json
import re
from datetime import timedelta
from html import unescape
from urllib.parse import quote

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from releases.models import ReleaseImage
from releases.models.release import dated_url_kwargs
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


def wrongly_dated(release) -> str:
    """The address of ``release`` a day after its own date (or today's), in its language."""
    day = (release.publication_date or timezone.localdate()) + timedelta(days=1)
    with translation.override(release.language):
        path = reverse("releases:detail", kwargs=dated_url_kwargs(day, release.slug))
    return f"http://testserver{path}"


def test_a_wrongly_dated_address_gives_the_card_of_the_one_release_with_that_slug(
    client, django_assert_max_num_queries
):
    """The page answers 302 to the one release on record with the slug: its card follows it,
    a withdrawn one's too."""
    release = make_release(slug="national-police-week", headline="Working Together")
    wrong = wrongly_dated(release)
    for state in ("published", "withdrawn"):
        if state == "withdrawn":
            publishing.withdraw(release=release, by=None, reason="Sent in error.")
        page = client.get(wrong.removeprefix("http://testserver"))
        assert (page.status_code, page["Location"]) == (302, release.get_absolute_url())
        # The cache's and the organisation's reads, the address's release (none), the page's
        # five lookups of an unknown address, and the release led to with its images.
        with django_assert_max_num_queries(10):
            response = oembed(client, wrong)
        assert response.status_code == 200
        data = json.loads(response.content)
        assert (data["url"], data["title"]) == (page_url(release), "Working Together")


def test_a_wrong_date_reveals_no_release_that_is_not_public_nor_guesses_between_two(client, now):
    """Where the page answers anything but a redirect, the card is refused: a scheduled, draft
    or unpublished release's slug at a wrong date, one that two releases have, another
    language's, and the address an unpublished release had (410 there), even when a release
    on record has its slug on another day."""
    scheduled = make_release(slug="embargoed", publish_at=now + timedelta(hours=1))
    draft = make_release(published=False, slug="draft")
    gone = make_release(slug="published-in-error")
    publishing.unpublish(release=gone, by=None, note="In error.")
    first = make_release(slug="yearly", publish_at=now - timedelta(days=400))
    make_release(slug="yearly", publish_at=now - timedelta(days=30))
    french = make_release(slug="en-francais", language="fr", dateline_region="Ontario")
    make_release(slug="repeated", publish_at=now - timedelta(days=365))
    this_year = make_release(slug="repeated")
    publishing.unpublish(release=this_year, by=None, note="In error.")
    addresses = [wrongly_dated(release) for release in (scheduled, draft, gone, first)]
    addresses += [wrongly_dated(french).replace("/fr/communiques/", "/en/releases/")]
    addresses += [page_url(this_year)]
    for address in addresses:
        page = client.get(address.removeprefix("http://testserver"))
        assert page.status_code in (404, 410), address
        response = oembed(client, address)
        assert response.status_code == 404, address
        assert json.loads(response.content) == {"error": "No public release is at this address."}


def test_a_wrongly_dated_card_is_kept_no_later_than_the_next_go_live(client, now):
    """This year's embargoed release has last year's slug: until its minute, its address gives
    last year's card, as its page leads there; then its own."""
    last_year = make_release(slug="police-week", publish_at=now - timedelta(days=365))
    this_year = make_release(slug="police-week", publish_at=now + timedelta(minutes=10))
    with time_machine.travel(now, tick=False):
        before = json.loads(oembed(client, page_url(this_year)).content)
    with time_machine.travel(now + timedelta(minutes=10, seconds=1), tick=False):
        after = json.loads(oembed(client, page_url(this_year)).content)
    assert (before["url"], after["url"]) == (page_url(last_year), page_url(this_year))
