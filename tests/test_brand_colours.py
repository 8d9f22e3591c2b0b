"""The organisation's brand and accent colours: chosen in the admin, refused there when text in
them would be hard to read (WCAG AA), and used wherever the site's colour shows: the pages'
stylesheet, the browser's theme colour, the icons, the manifest and the alert emails."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from releases.colours import check_colour, colours_of, contrast_ratio
from releases.models import Organisation
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db

GREEN = "#1b5e20"  # 7.87:1 on white


# The contrast rule --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("#000000", "#ffffff", 21.0),  # the extremes, by definition
        ("#ffffff", "#ffffff", 1.0),
        ("#767676", "#ffffff", 4.54),  # the lightest grey that passes AA (WebAIM's checker)
        ("#777777", "#ffffff", 4.48),  # and the next one, which fails
        # Worked by hand from WCAG 2's formulas: luminance 0.04533 → 1.05 / 0.09533.
        ("#0b3d6e", "#ffffff", 11.01),
        # Luminance 0.08435 → 1.05 / 0.13435.
        ("#a3161a", "#ffffff", 7.82),
        ("#ff0000", "#ffffff", 4.0),
    ],
)
def test_the_contrast_ratio_is_wcags(first, second, expected):
    assert contrast_ratio(first, second) == pytest.approx(expected, abs=0.005)
    assert contrast_ratio(second, first) == contrast_ratio(first, second)


@pytest.mark.parametrize("colour", ["#0b3d6e", "#a3161a", "#767676", "#000000", "#1B5E20"])
def test_a_dark_enough_colour_passes(colour):
    check_colour(colour)


@pytest.mark.parametrize("value", ["navy", "#12345", "0b3d6e", "#0b3d6e0", "#gggggg", "", None])
def test_what_is_not_a_hex_colour_is_refused_as_such(value):
    with pytest.raises(ValidationError) as refused:
        check_colour(value)
    assert refused.value.code == "not_a_colour"


def test_a_colour_too_light_is_refused_with_its_ratio_rounded_down():
    """#777777 has 4.478:1: it must not read as 4.48 (nor, at 4.499, as the 4.50 it lacks)."""
    with pytest.raises(ValidationError) as refused:
        check_colour("#777777")
    assert refused.value.code == "low_contrast"
    message = refused.value.messages[0]
    assert "#777777 has a contrast ratio of 4.47:1 with white" in message
    assert "at least 4.5:1 (WCAG AA)" in message
    with translation.override("fr"):
        with pytest.raises(ValidationError) as refused:
            check_colour("#777777")
        french = refused.value.messages[0]
    assert "rapport de contraste de 4,47:1 avec le blanc\u00a0:" in french


def test_an_invalid_stored_colour_never_reaches_a_stylesheet():
    """A row written without validation (``QuerySet.update``, a shell) falls back to the
    defaults rather than putting anything into CSS or an email's inline style."""
    organisation = Organisation(brand_colour="red;}body{display:none", accent_colour="#A3161B")
    assert colours_of(organisation) == ("#0b3d6e", "#a3161b")
    assert colours_of(None) == ("#0b3d6e", "#a3161a")


# The admin ----------------------------------------------------------------------------------


def change_form(client, organisation, **changes) -> tuple[str, dict]:
    url = reverse("admin:releases_organisation_change", args=[organisation.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields if name != "logo"}
    inline = {f"sharing_image-{key}": "0" for key in ("TOTAL_FORMS", "INITIAL_FORMS")}
    return url, data | inline | {"default_media_contacts": []} | changes


def test_the_admin_offers_both_colours_with_todays_as_defaults(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("admin:releases_organisation_add")).text
    assert 'name="brand_colour" value="#0b3d6e"' in page
    assert 'name="accent_colour" value="#a3161a"' in page
    assert "dark enough for white text on it" in page


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("brand_colour", "#777777", "#777777 has a contrast ratio of 4.47:1 with white"),
        ("brand_colour", "#ffffff", "#ffffff has a contrast ratio of 1.00:1 with white"),
        ("accent_colour", "#ff0000", "#ff0000 has a contrast ratio of 3.99:1 with white"),
        ("brand_colour", "navy", "Enter the colour as # and six hexadecimal digits"),
        ("accent_colour", "#f00", "Enter the colour as # and six hexadecimal digits"),
    ],
)
def test_the_admin_refuses_a_colour_that_fails_and_stores_nothing(
    client, admin_user, field, value, words
):
    organisation = make_organisation()
    client.force_login(admin_user)
    url, data = change_form(client, organisation, **{field: value, "tagline_en": "Changed."})
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == [field]
    assert words in errors[field][0]
    assert words in response.text
    organisation.refresh_from_db()
    assert (organisation.brand_colour, organisation.accent_colour) == ("#0b3d6e", "#a3161a")
    assert organisation.tagline_en != "Changed."


def test_the_french_admin_says_the_ratio_the_french_way(client, admin_user):
    organisation = make_organisation()
    client.force_login(admin_user)
    client.cookies["django_language"] = "fr"
    url, data = change_form(client, organisation, brand_colour="#777777")
    page = client.post(url, data).text
    assert "#777777 a un rapport de contraste de 4,47:1 avec le blanc\u00a0:" in page


def test_the_admin_stores_a_chosen_colour_in_lower_case(client, admin_user):
    organisation = make_organisation()
    client.force_login(admin_user)
    url, data = change_form(client, organisation, brand_colour="#1B5E20", accent_colour="#8E0000")
    assert client.post(url, data).status_code == 302
    organisation.refresh_from_db()
    assert (organisation.brand_colour, organisation.accent_colour) == (GREEN, "#8e0000")
