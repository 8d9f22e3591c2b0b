"""The image a link shows when it is shared: the page's own, else its campaign's, else the
organisation's sharing image, else the site's 512 px icon (a small card)."""

import io

import pytest
from django.core.files.storage import default_storage
from django.test import RequestFactory
from django.urls import reverse
from PIL import Image

from pagecache import caching
from releases.models import CampaignVisual, ReleaseImage
from releases.public.context_processors import newsroom
from tests.factories import (
    cache_directives,
    make_campaign,
    make_organisation,
    make_release,
    make_spokesperson,
    make_staff,
    make_topic,
)
from tests.imagefiles import files_under, jpeg_bytes, photo, png_bytes, store_image, upload
from tests.test_discovery import read_head

pytestmark = pytest.mark.django_db

ICON = "http://testserver/icons/icon-512.png"


@pytest.fixture
def organisation():
    return make_organisation()


def store_sharing_image(organisation, *, width=1600, height=900, alt_text="The CACP banner"):
    from releases.models import SharingImage

    return store_image(
        SharingImage,
        organisation=organisation,
        data=jpeg_bytes(photo(width, height)),
        alt_text=alt_text,
    )


def fetched(client, url) -> tuple:
    """An absolute address of the test server, fetched: the response and its decoded image."""
    assert url.startswith("http://testserver/")
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return response, Image.open(io.BytesIO(data))


def assert_shares_the_icon(head, alt):
    assert head.meta["og:image"] == [ICON]
    assert head.meta["og:image:type"] == ["image/png"]
    assert head.meta["og:image:width"] == ["512"] and head.meta["og:image:height"] == ["512"]
    assert head.meta["og:image:alt"] == [alt]
    assert head.meta["twitter:card"] == ["summary"]
    assert head.meta["twitter:image"] == [ICON]
    assert head.meta["twitter:image:alt"] == [alt]


def assert_shares_a_large_card(head, alt) -> str:
    (url,) = head.meta["og:image"]
    assert head.meta["og:image:type"] == ["image/jpeg"]
    assert head.meta["og:image:width"] == ["1200"] and head.meta["og:image:height"] == ["630"]
    assert head.meta["og:image:alt"] == [alt]
    assert head.meta["twitter:card"] == ["summary_large_image"]
    assert head.meta["twitter:image"] == [url]
    assert head.meta["twitter:image:alt"] == [alt]
    return url


# What each page shares


def test_a_release_without_an_image_shares_the_organisation_sharing_image(client, organisation):
    store_sharing_image(organisation)
    release = make_release()
    head = read_head(client.get(release.get_absolute_url()))
    url = assert_shares_a_large_card(head, "The CACP banner")
    response, card = fetched(client, url)
    assert response["Content-Type"] == "image/jpeg"
    assert card.format == "JPEG" and card.size == (1200, 630)
    assert "immutable" in cache_directives(response)
    # The structured data describes the article's own images only.
    (article,) = head.json_ld
    assert "image" not in article


def test_without_a_sharing_image_pages_share_the_512_pixel_icon_as_a_small_card(
    client, organisation
):
    release = make_release()
    head = read_head(client.get(release.get_absolute_url()))
    assert_shares_the_icon(head, organisation.name)
    response, icon = fetched(client, ICON)
    assert response["Content-Type"] == "image/png" and icon.size == (512, 512)


def test_without_an_organisation_the_icon_is_named_after_the_newsroom(client):
    head = read_head(client.get(reverse("releases:home")))
    assert_shares_the_icon(head, "Newsroom")


@pytest.mark.parametrize(
    "page",
    ["home", "list", "archive-year", "topic", "campaign", "campaign-list", "spokesperson"],
)
def test_every_public_page_shares_an_image(client, organisation, page):
    store_sharing_image(organisation)
    release = make_release()
    topic = make_topic(name_en="Road safety", announce_now=True)
    campaign = make_campaign(announce_now=True)
    person = make_spokesperson(announce_now=True)
    path = {
        "home": reverse("releases:home"),
        "list": reverse("releases:list"),
        "archive-year": reverse("releases:archive-year", args=[release.publish_at.year]),
        "topic": topic.get_absolute_url(),
        "campaign": campaign.get_absolute_url(),
        "campaign-list": reverse("releases:campaign-list"),
        "spokesperson": person.get_absolute_url(),
    }[page]
    assert_shares_a_large_card(read_head(client.get(path)), "The CACP banner")


def test_french_pages_share_the_same_image(client, organisation):
    image = store_sharing_image(organisation)
    release = make_release(language="fr", slug="semaine")
    head = read_head(client.get(release.get_absolute_url()))
    assert assert_shares_a_large_card(head, "The CACP banner").endswith(image.social_image.url)


def test_a_release_with_its_own_image_shares_it_rather_than_the_organisation_one(
    client, organisation
):
    store_sharing_image(organisation)
    release = make_release()
    own = store_image(ReleaseImage, release=release, alt_text="Officers talk")
    head = read_head(client.get(release.get_absolute_url()))
    assert assert_shares_a_large_card(head, "Officers talk").endswith(own.social_image.url)


def test_a_campaign_and_its_releases_share_the_campaign_visual_before_the_organisation_image(
    client, organisation
):
    store_sharing_image(organisation)
    campaign = make_campaign()
    visual = store_image(CampaignVisual, campaign=campaign, alt_text="Police Week poster")
    release = make_release(campaign=campaign)
    for path in (campaign.get_absolute_url(), release.get_absolute_url()):
        head = read_head(client.get(path))
        url = assert_shares_a_large_card(head, "Police Week poster")
        assert url.endswith(visual.social_image.url)


def test_a_campaign_visual_not_yet_public_is_not_shared(client, organisation):
    """Announced early, with no public release yet: its visual may belong to embargoed news."""
    store_sharing_image(organisation)
    campaign = make_campaign(announce_now=True)
    store_image(CampaignVisual, campaign=campaign, alt_text="Police Week poster")
    head = read_head(client.get(campaign.get_absolute_url()))
    assert_shares_a_large_card(head, "The CACP banner")


# The cost: nothing more per page

# The statements of a release page (one more in a campaign: its scope's version) and of a
# campaign page rendered cold (page cache off, the organisation read already) before pages
# shared any image (e5fada2): the organisation's sharing image must come with the
# organisation, a campaign's visual with the release's campaign.
RELEASE_PAGE_STATEMENTS = 7
CAMPAIGN_PAGE_STATEMENTS = 9


def cold(settings):
    """The page cache off and the organisation read already, as on a live site after its
    first request (tests/test_query_budget.py)."""
    settings.PAGE_CACHE_SECONDS = 0
    caching.next_go_live()
    newsroom(RequestFactory().get("/"))


@pytest.mark.parametrize("in_campaign", [False, True])
def test_sharing_an_image_costs_a_release_page_no_statement(
    client, settings, organisation, django_assert_max_num_queries, in_campaign
):
    campaign = make_campaign() if in_campaign else None
    release = make_release(campaign=campaign)
    store_sharing_image(organisation)
    if campaign:
        store_image(CampaignVisual, campaign=campaign, alt_text="Police Week poster")
    cold(settings)
    with django_assert_max_num_queries(RELEASE_PAGE_STATEMENTS + in_campaign):
        head = read_head(client.get(release.get_absolute_url()))
    assert_shares_a_large_card(head, "Police Week poster" if campaign else "The CACP banner")


def test_sharing_an_image_costs_a_campaign_page_no_statement(
    client, settings, organisation, django_assert_max_num_queries
):
    campaign = make_campaign()
    make_release(campaign=campaign)
    store_sharing_image(organisation)
    store_image(CampaignVisual, campaign=campaign, alt_text="Police Week poster")
    cold(settings)
    with django_assert_max_num_queries(CAMPAIGN_PAGE_STATEMENTS):
        head = read_head(client.get(campaign.get_absolute_url()))
    assert_shares_a_large_card(head, "Police Week poster")


def test_the_fallback_icon_costs_a_page_no_statement(
    client, settings, organisation, django_assert_max_num_queries
):
    release = make_release()
    cold(settings)
    with django_assert_max_num_queries(RELEASE_PAGE_STATEMENTS):
        assert_shares_the_icon(read_head(client.get(release.get_absolute_url())), organisation.name)


# The admin


@pytest.fixture
def staff_client(client):
    """An editor, not a superuser: who looks after the organisation's page in the admin."""
    client.force_login(make_staff("Editors"))
    return client


def organisation_form(client, url, **image_fields) -> dict:
    """The organisation's change form as shown, with the sharing image's inline filled in."""
    response = client.get(url)
    form = response.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields if name != "logo"}
    data["default_media_contacts"] = []
    (formset,) = [f.formset for f in response.context["inline_admin_formsets"]]
    prefix = formset.prefix
    initial = formset.initial_form_count()
    data |= {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1",
    }
    if initial:
        image = formset.forms[0].instance
        data |= {f"{prefix}-0-id": str(image.pk), f"{prefix}-0-organisation": str(image.pk)}
    return data | {f"{prefix}-0-{key}": value for key, value in image_fields.items()}


def test_the_admin_stores_a_sharing_image_and_pages_share_it(staff_client, organisation):
    url = reverse("admin:releases_organisation_change", args=[organisation.pk])
    data = organisation_form(
        staff_client,
        url,
        upload=upload("banner.png", png_bytes(photo(1200, 630))),
        alt_text_en="The CACP banner",
    )
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.text
    image = organisation.__class__.objects.get().sharing_image
    assert (image.width, image.height) == (1200, 630)
    assert f'src="{image.thumbnail_url}"' in staff_client.get(url).text
    staff_client.logout()
    head = read_head(staff_client.get(reverse("releases:home")))
    assert assert_shares_a_large_card(head, "The CACP banner").endswith(image.social_image.url)


@pytest.mark.parametrize(("width", "height"), [(1199, 800), (1600, 629), (512, 512)])
def test_the_admin_refuses_a_sharing_image_too_small_for_a_large_card_and_keeps_the_old_one(
    staff_client, organisation, settings, width, height
):
    kept = store_sharing_image(organisation)
    stored = sorted(files_under(settings.MEDIA_ROOT))
    url = reverse("admin:releases_organisation_change", args=[organisation.pk])
    data = organisation_form(
        staff_client,
        url,
        upload=upload("small.jpg", jpeg_bytes(photo(width, height))),
        alt_text_en="A smaller banner",
    )
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert f"This image is {width}×{height} pixels" in response.text
    assert "at least 1200×630 pixels" in response.text
    kept.refresh_from_db()
    assert kept.alt_text == "The CACP banner"
    assert sorted(files_under(settings.MEDIA_ROOT)) == stored
    assert all(default_storage.exists(name) for name in kept.stored_names())


def test_the_admin_refuses_a_sharing_image_that_is_not_an_image(
    staff_client, organisation, settings
):
    url = reverse("admin:releases_organisation_change", args=[organisation.pk])
    data = organisation_form(
        staff_client,
        url,
        upload=upload("banner.jpg", b"<html>not an image</html>"),
        alt_text_en="The CACP banner",
    )
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "is not a JPEG, PNG or WebP image" in response.text
    assert not files_under(settings.MEDIA_ROOT)


def test_the_refusal_is_in_french_for_a_french_editor(staff_client, organisation):
    url = reverse("admin:releases_organisation_change", args=[organisation.pk])
    data = organisation_form(
        staff_client,
        url,
        upload=upload("small.jpg", jpeg_bytes(photo(800, 600))),
        alt_text_en="Bannière",
    )
    response = staff_client.post(url, data, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert "Cette image mesure 800 × 600 pixels\u00a0; une image de partage" in response.text


def test_deleting_the_sharing_image_removes_its_files_and_pages_fall_back_to_the_icon(
    client, organisation, settings, django_capture_on_commit_callbacks
):
    image = store_sharing_image(organisation)
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert not files_under(settings.MEDIA_ROOT)
    head = read_head(client.get(reverse("releases:home")))
    assert_shares_the_icon(head, organisation.name)
