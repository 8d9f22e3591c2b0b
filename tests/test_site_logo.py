"""The logo the organisation uploads shows in the site's header, beside its name: the icon made
from it (never the upload itself), at an address that changes with the logo, sized before it
loads, and read from the organisation's row every page already reads."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from releases.models import Organisation
from tests.factories import make_organisation, make_release
from tests.imagefiles import png_bytes
from tests.test_query_budget import build_newsroom, make_release_batch, queries_per_page

pytestmark = pytest.mark.django_db

RED, GREEN = (200, 20, 30), (20, 130, 40)
NAME = "Canadian Association of Chiefs of Police"


def upload_logo(colour) -> Organisation:
    organisation = Organisation.objects.get()
    logo = png_bytes(Image.new("RGB", (600, 600), colour))
    organisation.logo = SimpleUploadedFile("logo.png", logo, content_type="image/png")
    organisation.save()
    return organisation


def header_of(html: str) -> str:
    return re.search(r'<header class="site-header">.*?</header>', html, re.S).group(0)


def header_logo(html: str) -> dict[str, str]:
    tag = re.search(r'<a class="site-brand[^"]*"[^>]*>\s*(<img [^>]+>)', header_of(html))
    assert tag, "no logo in the site header"
    return dict(re.findall(r'(\w+)="([^"]*)"', tag.group(1)))


def test_the_header_shows_the_logo_drawn_from_the_upload_beside_the_name(client):
    make_organisation()
    upload_logo(RED)
    release = make_release()
    names = {"/en/": NAME, "/en/releases/": NAME, release.get_absolute_url(): NAME}
    for path, name in (names | {"/fr/": "Association canadienne des chefs de police"}).items():
        html = client.get(path).text
        logo = header_logo(html)
        assert logo["src"].startswith("/icons/icon-96.png?v="), path
        assert (logo["width"], logo["height"]) == ("48", "48")
        # The name beside it says who it is: the link is not named twice.
        assert logo["alt"] == ""
        assert f'<span class="site-brand__name">{name}</span>' in header_of(html)
        assert "/media/" not in html
    drawn = Image.open(io.BytesIO(client.get(logo["src"]).content))
    assert (drawn.format, drawn.size) == ("PNG", (96, 96))
    assert drawn.convert("RGB").getpixel((48, 48)) == RED


def test_a_new_logo_is_shown_at_a_new_address(client):
    make_organisation()
    upload_logo(RED)
    before = header_logo(client.get("/en/").text)["src"]
    upload_logo(GREEN)
    after = header_logo(client.get("/en/").text)["src"]
    assert after != before
    drawn = Image.open(io.BytesIO(client.get(after).content)).convert("RGB")
    assert drawn.getpixel((48, 48)) == GREEN


def test_without_a_logo_the_header_names_the_organisation_in_words_alone(client):
    make_organisation()
    header = header_of(client.get("/en/").text)
    assert "<img" not in header
    assert f'<span class="site-brand__name">{NAME}</span>' in header


def test_showing_the_logo_costs_no_query(client, settings):
    pages = build_newsroom(releases=0, quotes=1, topics=1)
    make_release_batch(45)
    without = queries_per_page(client, settings, pages)
    upload_logo(RED)
    shown = queries_per_page(client, settings, pages)
    assert '<img class="site-brand__logo"' in client.get("/en/").text
    assert shown == without
