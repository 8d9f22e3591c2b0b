"""The organisation in the admin: one record per newsroom, asked for on the first visit, kept
once made, and its logo refused with the reason when no icon can be made from it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from releases.models import Organisation
from tests.factories import make_organisation, make_staff
from tests.imagefiles import png_bytes

pytestmark = pytest.mark.django_db

SVG_LOGO = b"""<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">
  <circle cx="256" cy="256" r="200" fill="#c8141e"/>
</svg>
"""


def add_form_data(**fields) -> dict:
    data = {
        "name_en": "Friends of the Fens",
        "name_fr": "",
        "short_name_en": "FotF",
        "end_mark_en": "ENDS",
        "brand_colour": "#0b3d6e",  # as the add form shows them
        "accent_colour": "#a3161a",
        "sharing_image-TOTAL_FORMS": "0",
        "sharing_image-INITIAL_FORMS": "0",
    }
    return data | fields


def test_the_add_form_offers_no_second_organisation(client, admin_user):
    """A second one is refused (403): the button leading there is not offered."""
    client.force_login(admin_user)
    page = client.get(reverse("admin:releases_organisation_add")).text
    assert 'name="_save"' in page
    assert 'name="_addanother"' not in page and 'name="_saveasnew"' not in page


def test_the_organisation_cannot_be_deleted_in_the_admin(client, admin_user):
    """Deleting it would silently take the name off every page and email."""
    organisation = make_organisation()
    client.force_login(admin_user)
    change = client.get(reverse("admin:releases_organisation_change", args=[organisation.pk]))
    assert reverse("admin:releases_organisation_delete", args=[organisation.pk]) not in change.text
    delete = client.post(
        reverse("admin:releases_organisation_delete", args=[organisation.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert Organisation.objects.filter(pk=organisation.pk).exists()


def test_a_fresh_admin_asks_first_for_the_organisation(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("admin:index")).text
    assert "Start here:" in page
    assert f'href="{reverse("admin:releases_organisation_add")}"' in page

    french = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="fr").text
    assert "Commencez ici\u00a0:" in french


def test_the_first_step_is_not_asked_once_done_or_of_staff_who_cannot_do_it(client, admin_user):
    editor = make_staff("Editors", username="editor")
    client.force_login(editor)
    assert "Start here:" not in client.get(reverse("admin:index")).text

    make_organisation()
    client.force_login(admin_user)
    assert "Start here:" not in client.get(reverse("admin:index")).text


def test_the_organisation_opens_as_its_form_not_as_a_list_of_one(client, admin_user):
    """“Organisation” in the admin leads to the add form while there is none, then to its
    form; saving it comes back to the form, and nothing offers to add another."""
    client.force_login(admin_user)
    changelist = reverse("admin:releases_organisation_changelist")
    assert client.get(changelist).url == reverse("admin:releases_organisation_add")

    saved = client.post(reverse("admin:releases_organisation_add"), add_form_data(), follow=True)
    organisation = Organisation.objects.get()
    change = reverse("admin:releases_organisation_change", args=[organisation.pk])
    assert saved.redirect_chain[-1] == (change, 302)
    assert "was added successfully" in saved.text
    assert 'name="name_en" value="Friends of the Fens"' in saved.text

    assert client.get(changelist).url == change
    assert client.get(changelist, {"q": "Fens"}).url == change
    index = client.get(reverse("admin:index")).text
    assert reverse("admin:releases_organisation_add") not in index
    assert 'name="_addanother"' not in client.get(change).text


def test_staff_who_may_only_see_the_organisation_open_its_form_too(client):
    """Authors may see it, not change it: they get its form, read-only, and no add page."""
    author = make_staff("Authors", username="author")
    client.force_login(author)
    assert client.get(reverse("admin:releases_organisation_changelist")).status_code == 200
    organisation = make_organisation()
    changelist = client.get(reverse("admin:releases_organisation_changelist"))
    change = reverse("admin:releases_organisation_change", args=[organisation.pk])
    assert changelist.url == change
    assert client.get(change).status_code == 200


def test_a_popup_still_lists_the_organisation(client, admin_user):
    """A related-object popup chooses from the list: it is not redirected."""
    make_organisation()
    client.force_login(admin_user)
    popup = client.get(reverse("admin:releases_organisation_changelist"), {"_popup": "1"})
    assert popup.status_code == 200


def add_logo(client, name, content, content_type):
    data = add_form_data(logo=SimpleUploadedFile(name, content, content_type=content_type))
    return client.post(reverse("admin:releases_organisation_add"), data)


def test_an_svg_logo_is_refused_with_the_reason(client, admin_user):
    client.force_login(admin_user)
    response = add_logo(client, "logo.svg", SVG_LOGO, "image/svg+xml")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["logo"]
    assert errors == [
        "SVG logos are not supported: upload a PNG, JPEG or WebP image, at least 512 pixels wide."
    ]
    assert not Organisation.objects.exists()


def test_an_svg_logo_is_recognised_whatever_its_name(client, admin_user):
    client.force_login(admin_user)
    response = add_logo(client, "logo.png", SVG_LOGO, "image/png")
    assert response.context["adminform"].form.errors["logo"][0].startswith("SVG logos")


def test_a_logo_too_small_for_any_icon_is_refused_with_its_size(client, admin_user):
    client.force_login(admin_user)
    tiny = png_bytes(Image.new("RGB", (16, 16), (200, 20, 30)))
    response = add_logo(client, "logo.png", tiny, "image/png")
    assert response.status_code == 200
    (error,) = response.context["adminform"].form.errors["logo"]
    assert error.startswith("The logo is 16 pixels wide")
    assert "at least 64" in error
    assert not Organisation.objects.exists()


def test_a_small_logo_is_accepted_with_a_warning(client, admin_user):
    client.force_login(admin_user)
    small = png_bytes(Image.new("RGB", (64, 64), (200, 20, 30)))
    data = add_form_data(logo=SimpleUploadedFile("logo.png", small, content_type="image/png"))
    saved = client.post(reverse("admin:releases_organisation_add"), data, follow=True)
    assert "The logo is 64 pixels wide: the icons made from it" in saved.text
    assert Organisation.objects.get().logo
