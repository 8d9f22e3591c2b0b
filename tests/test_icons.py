"""The site's icons and web manifest: drawn by Pillow from the logo the organisation uploads,
or plain initials until it does; every size browsers ask for answers."""

import io
import json
import re
from html import escape, unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from releases.models import Organisation
from tests.imagefiles import png_bytes

pytestmark = pytest.mark.django_db

RED = (200, 20, 30)


@pytest.fixture
def organisation():
    return Organisation.objects.create(
        name="Canadian Association of Chiefs of Police", short_name="CACP"
    )


def image_of(response) -> Image.Image:
    return Image.open(io.BytesIO(response.content))


@pytest.mark.parametrize(
    "path, size, kind",
    [
        ("/favicon.ico", 48, "ICO"),
        ("/apple-touch-icon.png", 180, "PNG"),
        ("/icons/icon-192.png", 192, "PNG"),
        ("/icons/icon-512.png", 512, "PNG"),
        ("/icons/maskable-512.png", 512, "PNG"),
    ],
)
def test_every_icon_answers_in_its_size(client, organisation, path, size, kind):
    response = client.get(path)
    assert response.status_code == 200
    image = image_of(response)
    assert image.format == kind
    assert image.size == (size, size)
    assert "max-age" in response["Cache-Control"]


def test_the_favicon_holds_the_small_sizes(client, organisation):
    sizes = image_of(client.get("/favicon.ico")).info.get("sizes") or set()
    assert {(16, 16), (32, 32), (48, 48)} <= set(sizes)


def test_without_a_logo_the_icon_is_plain_and_with_one_it_is_the_logo(client, organisation):
    plain = image_of(client.get("/icons/icon-192.png")).convert("RGB")
    assert plain.getpixel((5, 5)) == (11, 61, 110)  # the brand colour
    logo = Image.new("RGB", (600, 600), RED)
    organisation.logo = SimpleUploadedFile("logo.png", png_bytes(logo), content_type="image/png")
    organisation.save()
    drawn = image_of(client.get("/icons/icon-192.png")).convert("RGB")
    assert drawn.getpixel((96, 96)) == RED


def test_unknown_sizes_are_404(client, organisation):
    assert client.get("/icons/icon-7.png").status_code == 404


def test_the_manifest_names_the_organisation_and_its_icons_answer(client, organisation):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == organisation.name
    assert manifest["short_name"] == "CACP"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_pages_link_their_icons_and_manifest(client, organisation):
    page = client.get(reverse("releases:home")).text
    for path in ["/favicon.ico", "/apple-touch-icon.png", "/manifest.webmanifest"]:
        assert f'href="{path}?v=' in page


def test_the_admin_refuses_a_logo_that_is_not_an_image(client, organisation, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:releases_organisation_change", args=[organisation.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields if name != "logo"}
    data["default_media_contacts"] = []
    data["logo"] = SimpleUploadedFile("logo.png", b"<html>not an image</html>")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "logo" in response.context["adminform"].form.errors
    organisation.refresh_from_db()
    assert not organisation.logo


def test_the_content_security_policy_lets_the_browser_load_the_linked_manifest(
    client, organisation
):
    policy = client.get(reverse("releases:home"))["Content-Security-Policy"]
    assert "manifest-src 'self'" in policy


def organisation_form(client, url) -> dict:
    """The change form as shown, its sharing image's inline left empty."""
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields if name != "logo"}
    inline = {f"sharing_image-{key}": "0" for key in ("TOTAL_FORMS", "INITIAL_FORMS")}
    return data | inline | {"default_media_contacts": []}


def test_the_admin_shows_the_icon_made_from_the_logo_and_warns_of_a_small_one(
    client, organisation, admin_user
):
    """The uploaded file itself is never served: a link to it was a 404."""
    client.force_login(admin_user)
    url = reverse("admin:releases_organisation_change", args=[organisation.pk])
    small = png_bytes(Image.new("RGB", (200, 200), RED))
    data = organisation_form(client, url)
    data["logo"] = SimpleUploadedFile("logo.png", small, content_type="image/png")

    saved = client.post(url, data, follow=True)

    assert "The logo is 200 pixels wide" in saved.text
    page = client.get(url).text
    assert "/media/" not in page
    shown = versioned_icon(page)
    assert shown.startswith(reverse("icon", args=[192])) and "logo" in page
    assert client.get(shown).status_code == 200

    data = organisation_form(client, url)
    data["logo"] = SimpleUploadedFile(
        "logo.png", png_bytes(Image.new("RGB", (600, 600), RED)), content_type="image/png"
    )
    # Saved, the organisation's form again (its help text speaks of pixels), with no warning.
    assert "The logo is" not in client.post(url, data, follow=True).text


def versioned_icon(page: str) -> str:
    """The address of the admin's icon preview (the logo field's ``<img>``)."""
    (src,) = re.findall(r'<img src="([^"]*)"[^>]*alt="The site’s icon, made from the logo"', page)
    return unescape(src)


def test_the_admins_icon_preview_is_at_the_pages_versioned_address_new_with_each_logo(
    client, organisation, admin_user, django_assert_max_num_queries
):
    """Browsers keep an icon a day (``ICON_MAX_AGE``): at the same address as before, the
    preview of a new logo showed the old one."""
    client.force_login(admin_user)
    url = reverse("admin:releases_organisation_change", args=[organisation.pk])
    addresses = []
    for colour in (RED, (20, 120, 30)):
        data = organisation_form(client, url)
        data["logo"] = SimpleUploadedFile(
            "logo.png", png_bytes(Image.new("RGB", (600, 600), colour)), content_type="image/png"
        )
        client.post(url, data)
        with django_assert_max_num_queries(11):
            page = client.get(url).text
        shown = versioned_icon(page)
        home = client.get(reverse("releases:home")).text
        assert f'href="{escape(shown)}"' in home  # the address the pages link
        assert image_of(client.get(shown)).convert("RGB").getpixel((96, 96)) == colour
        addresses.append(shown)
    assert addresses[0] != addresses[1]
