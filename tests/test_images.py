"""Image uploads: checked by content, re-encoded without metadata, stored under new names."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image

from releases.media.forms import DocumentUploadForm, ImageUploadForm
from releases.media.images import rendition_widths, validate_image_upload
from releases.models import ReleaseImage
from tests.factories import cache_directives, make_release
from tests.imagefiles import (
    GPS_IFD,
    bomb_png,
    files_under,
    jpeg_bytes,
    photo,
    png_bytes,
    store_image,
    upload,
    webp_bytes,
)

pytestmark = pytest.mark.django_db


def stored_bytes(name: str) -> bytes:
    with default_storage.open(name, "rb") as stored:
        return stored.read()


class ReleaseImageForm(ImageUploadForm):
    class Meta:
        model = ReleaseImage
        fields = ["alt_text", "caption", "credit", "licence", "position"]


def test_a_jpeg_with_gps_is_stored_without_any_metadata_in_every_version():
    original = jpeg_bytes(photo(1800, 1200), gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the input has GPS
    image = store_image(ReleaseImage, release=make_release(), data=original)
    assert len(image.files) == 1 + 3 * 2 + 1  # original, 3 widths × (WebP, JPEG), social card
    for record in image.files:
        data = stored_bytes(record["name"])
        stored = Image.open(io.BytesIO(data))
        assert not stored.getexif(), record["name"]
        assert b"Exif\x00\x00" not in data
        assert "exif" not in stored.info and "icc_profile" not in stored.info
        assert stored.size == (record["width"], record["height"])


def test_exif_orientation_is_applied_before_the_metadata_goes():
    sideways = jpeg_bytes(photo(300, 200), orientation=6)  # "rotate 90° clockwise to view"
    image = store_image(ReleaseImage, release=make_release(), data=sideways)
    assert (image.width, image.height) == (200, 300)
    assert Image.open(io.BytesIO(stored_bytes(image.original["name"]))).size == (200, 300)


def test_a_png_with_html_appended_loses_its_tail():
    polyglot = png_bytes() + b"<html><script>alert(document.cookie)</script></html>"
    image = store_image(ReleaseImage, release=make_release(), data=polyglot, name="chart.png")
    assert image.format == "PNG"
    for record in image.files:
        assert b"<script" not in stored_bytes(record["name"])


def test_files_are_stored_under_generated_names_never_the_uploaded_one():
    image = store_image(ReleaseImage, release=make_release(), name="Chief_home_address.jpg")
    for record in image.files:
        assert record["name"].startswith(f"images/{image.key}/")
        assert "Chief" not in record["name"] and "address" not in record["name"]


def test_renditions_are_webp_and_the_original_format_and_never_upscaled():
    assert rendition_widths(3000) == [400, 800, 1600]
    assert rendition_widths(1000) == [400, 800, 1000]
    assert rendition_widths(300) == [300]
    image = store_image(ReleaseImage, release=make_release(), data=jpeg_bytes(photo(500, 250)))
    renditions = {(r["format"], r["width"]) for r in image.files if r["role"] == "rendition"}
    assert renditions == {("WEBP", 400), ("JPEG", 400), ("WEBP", 500), ("JPEG", 500)}
    social = image.social_image
    assert (social.width, social.height) == (1200, 630)


def test_a_webp_upload_is_accepted_and_kept_as_webp():
    image = store_image(ReleaseImage, release=make_release(), data=webp_bytes(), name="a.webp")
    assert image.format == "WEBP"
    assert {r["format"] for r in image.files if r["role"] == "rendition"} == {"WEBP"}


BAD_UPLOADS = {
    "text named .jpg": ("notes.jpg", b"Just some words, not a picture.\n" * 20),
    "svg": (
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    ),
    "svg named .png": (
        "logo.png",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    ),
    "truncated jpeg": ("cut.jpg", jpeg_bytes()[:3000]),
    "png named .jpg": ("chart.jpg", png_bytes()),
    "gif": ("anim.gif", b"GIF89a" + b"\x00" * 100),
}


@pytest.mark.parametrize("case", BAD_UPLOADS)
def test_bad_files_are_refused_with_a_message_and_nothing_is_stored(case, settings):
    name, data = BAD_UPLOADS[case]
    form = ReleaseImageForm(
        data={"alt_text": "A picture", "position": 0},
        files={"upload": upload(name, data)},
        instance=ReleaseImage(release=make_release()),
    )
    assert not form.is_valid()
    assert form.errors["upload"]
    assert not files_under(settings.MEDIA_ROOT)


@pytest.mark.parametrize("size", [(7000, 7000), (10_000, 10_000)], ids=["49MP", "100MP"])
def test_decompression_bombs_are_refused_before_they_are_decoded(size, settings):
    bomb = bomb_png(*size)
    assert len(bomb) < 100_000  # small on disk, huge in memory
    form = ReleaseImageForm(
        data={"alt_text": "A picture", "position": 0},
        files={"upload": upload("bomb.png", bomb)},
        instance=ReleaseImage(release=make_release()),
    )
    assert not form.is_valid()
    assert "megapixels" in form.errors["upload"][0] or "too many pixels" in form.errors["upload"][0]
    assert not files_under(settings.MEDIA_ROOT)


def test_the_pixel_cap_is_a_setting(settings):
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 100 * 100
    form = ReleaseImageForm(
        data={"alt_text": "A picture", "position": 0},
        files={"upload": upload("small.png", png_bytes(photo(101, 100)))},
        instance=ReleaseImage(release=make_release()),
    )
    assert not form.is_valid()
    assert "This image is 101×100 pixels" in form.errors["upload"][0]


def test_files_over_the_size_limit_are_refused(settings):
    big = jpeg_bytes(photo(1500, 1000))
    settings.NEWSROOM_IMAGE_MAX_BYTES = len(big) - 1
    form = ReleaseImageForm(
        data={"alt_text": "A picture", "position": 0},
        files={"upload": upload("big.jpg", big)},
        instance=ReleaseImage(release=make_release()),
    )
    assert not form.is_valid()
    assert "images may be at most" in form.errors["upload"][0]
    assert not files_under(settings.MEDIA_ROOT)


def test_alt_text_is_required_and_nothing_is_stored_without_it(settings):
    form = ReleaseImageForm(
        data={"alt_text": "", "position": 0},
        files={"upload": upload("photo.jpg", jpeg_bytes())},
        instance=ReleaseImage(release=make_release()),
    )
    assert not form.is_valid()
    assert form.errors["alt_text"] == ["This field is required."]
    assert not files_under(settings.MEDIA_ROOT)


def test_files_written_for_a_row_that_cannot_be_saved_are_removed(settings):
    first = store_image(ReleaseImage, release=make_release())
    clash = ReleaseImage(release=first.release, alt_text="Same key", key=first.key)
    clash.pending_upload = validate_image_upload(upload("photo.jpg", jpeg_bytes()))
    with pytest.raises(IntegrityError), transaction.atomic():
        clash.save()
    on_disk = {
        path.relative_to(settings.MEDIA_ROOT).as_posix()
        for path in files_under(settings.MEDIA_ROOT)
    }
    assert on_disk == set(first.stored_names())


def test_deleting_an_image_removes_its_files(settings, django_capture_on_commit_callbacks):
    image = store_image(ReleaseImage, release=make_release())
    assert files_under(settings.MEDIA_ROOT)
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert not files_under(settings.MEDIA_ROOT)


def test_replacing_an_image_removes_the_old_files(settings, django_capture_on_commit_callbacks):
    image = store_image(ReleaseImage, release=make_release())
    old_names = image.stored_names()
    form = ReleaseImageForm(
        data={"alt_text": "New", "position": 0},
        files={"upload": upload("new.png", png_bytes(photo(300, 300)))},
        instance=image,
    )
    assert form.is_valid(), form.errors
    with django_capture_on_commit_callbacks(execute=True):
        form.save()
    assert not any(default_storage.exists(name) for name in old_names)
    assert all(default_storage.exists(name) for name in image.stored_names())
    assert len(files_under(settings.MEDIA_ROOT)) == len(image.files)


# The admin, as a communications officer meets it.


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _change_form(release, **image_fields):
    data = {
        "release_type": release.release_type,
        "language": release.language,
        "headline": release.headline,
        "subheadline": "",
        "slug": release.slug,
        "dateline_city": release.dateline_city,
        "dateline_region": release.dateline_region,
        "summary": "",
        "body": release.body,
    }
    for inline, total in (("quotes", 0), ("images", 1), ("documents", 0), ("advisory_event", 0)):
        data |= {
            f"{inline}-TOTAL_FORMS": str(total),
            f"{inline}-INITIAL_FORMS": "0",
            f"{inline}-MIN_NUM_FORMS": "0",
            f"{inline}-MAX_NUM_FORMS": "1000",
        }
    return data | {f"images-0-{key}": value for key, value in image_fields.items()}


def test_the_admin_stores_an_image_and_shows_its_preview(staff_client):
    release = make_release(published=False)
    url = reverse("admin:releases_release_change", args=[release.pk])
    response = staff_client.post(
        url,
        _change_form(
            release,
            upload=upload("photo.jpg", jpeg_bytes(gps=True)),
            alt_text="Officers at a school",
            credit="CACP",
            position=0,
        ),
    )
    assert response.status_code == 302, response.text
    image = release.images.get()
    html = staff_client.get(url).text
    assert f'class="image-preview" src="{image.thumbnail_url}"' in html
    thumbnail = staff_client.get(image.thumbnail_url)  # staff see it before publication
    assert thumbnail.status_code == 200
    assert {"private", "no-store"} <= cache_directives(thumbnail)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.jpg", b"not an image at all", "is not a JPEG, PNG or WebP image"),
        ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "Upload a JPEG, PNG or WebP"),
        ("cut.jpg", jpeg_bytes()[:2000], "damaged or incomplete"),
        ("bomb.png", bomb_png(7000, 7000), "at most 40 megapixels"),
    ],
)
def test_the_admin_shows_the_problem_beside_the_upload_field(
    staff_client, settings, name, data, message
):
    release = make_release(published=False)
    response = staff_client.post(
        reverse("admin:releases_release_change", args=[release.pk]),
        _change_form(release, upload=upload(name, data), alt_text="A picture", position=0),
    )
    assert response.status_code == 200
    html = response.text
    assert message in html
    # The error list sits in the upload field's row of the image inline.
    row_start = html.index("field-upload")
    assert html.index('class="errorlist', row_start) < html.index("images-0-upload")
    assert not ReleaseImage.objects.exists()
    assert not files_under(settings.MEDIA_ROOT)


def test_the_admin_refuses_an_image_without_alt_text(staff_client, settings):
    release = make_release(published=False)
    response = staff_client.post(
        reverse("admin:releases_release_change", args=[release.pk]),
        _change_form(release, upload=upload("photo.jpg", jpeg_bytes()), alt_text="", position=0),
    )
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert not ReleaseImage.objects.exists()
    assert not files_under(settings.MEDIA_ROOT)


CORRUPTIBLE = {"jpg": jpeg_bytes(photo(64, 48), gps=True), "png": png_bytes(photo(64, 48))}


@pytest.mark.filterwarnings("ignore:Truncated File Read")  # corrupted EXIF, by design
@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    extension=st.sampled_from(sorted(CORRUPTIBLE)),
    cut=st.integers(min_value=0, max_value=4000),
    flips=st.lists(st.tuples(st.integers(0, 4000), st.integers(0, 255)), max_size=8),
)
def test_corrupted_images_give_a_form_error_never_a_crash(extension, cut, flips):
    data = bytearray(CORRUPTIBLE[extension])
    for offset, value in flips:
        data[offset % len(data)] = value
    data = bytes(data[: max(1, len(data) - cut)])
    try:
        validated = validate_image_upload(upload(f"fuzzed.{extension}", data))
    except ValidationError:
        return
    assert validated.image.mode in ("RGB", "RGBA") and not validated.image.info


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_upload_fields_are_labelled_as_every_other_field_is(language):
    """Capitalised, as Django writes the model fields' labels beside them."""
    with translation.override(language):
        for form in (ImageUploadForm, DocumentUploadForm):
            label = str(form.base_fields["upload"].label)
            assert label == capfirst(label) and label.lower() in ("image", "file", "fichier")
