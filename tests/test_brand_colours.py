"""The organisation's brand and accent colours: chosen in the admin, refused there when text in
them would be hard to read (WCAG AA), and used wherever the site's colour shows: the pages'
stylesheet, the browser's theme colour, the icons, the manifest and the alert emails."""

import hashlib
import io
import json
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from PIL import Image

from newsroom.middleware import database_unavailable_response
from releases.colours import (
    AA_TEXT_CONTRAST,
    BACKGROUNDS_WITHOUT_THEIR_TEXT,
    TEXT_BACKGROUNDS,
    check_colour,
    colours_of,
    contrast_ratio,
    tint_of,
)
from releases.models import Organisation
from tests.alerts.support import run_tasks
from tests.factories import make_organisation, make_release

pytestmark = pytest.mark.django_db

GREEN = "#1b5e20"  # 7.87:1 on white
GREEN_RGB = (27, 94, 32)


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


@pytest.mark.parametrize("colour", ["#0b3d6e", "#a3161a", "#666666", "#000000", "#1B5E20"])
def test_a_dark_enough_colour_passes(colour):
    check_colour(colour)


@pytest.mark.parametrize("value", ["navy", "#12345", "0b3d6e", "#0b3d6e0", "#gggggg", "", None])
def test_what_is_not_a_hex_colour_is_refused_as_such(value):
    with pytest.raises(ValidationError) as refused:
        check_colour(value)
    assert refused.value.code == "not_a_colour"


def test_a_colour_too_light_is_refused_with_its_ratio_rounded_down():
    """#777777 has 4.478:1 with white: it must not read as 4.48 (nor, at 4.499, as the 4.50
    it lacks)."""
    with pytest.raises(ValidationError) as refused:
        check_colour("#ffffff")
    assert refused.value.code == "low_contrast"
    message = refused.value.messages[0]
    assert "#ffffff has a contrast ratio of 1.00:1 with white (#ffffff)" in message
    assert "at least 4.5:1 (WCAG AA)" in message
    with pytest.raises(ValidationError) as refused:
        check_colour("#777777")
    assert "#777777 has a contrast ratio of 3.82:1 with the pale red" in refused.value.messages[0]
    with translation.override("fr"):
        with pytest.raises(ValidationError) as refused:
            check_colour("#ffffff")
        french = refused.value.messages[0]
    assert "rapport de contraste de 1,00:1 avec le blanc (#ffffff)\u00a0:" in french


def test_a_colour_that_reads_on_white_but_not_on_the_pale_panels_is_refused_naming_the_worst():
    """#767676 has 4.54:1 with white, but links in it read 4.15:1 on the light grey panels and
    3.88:1 in a cancelled event's pale red box: the worst decides, and the refusal says it."""
    assert contrast_ratio("#767676", "#ffffff") >= AA_TEXT_CONTRAST
    with pytest.raises(ValidationError) as refused:
        check_colour("#767676")
    assert refused.value.code == "low_contrast"
    assert refused.value.messages[0].startswith(
        "#767676 has a contrast ratio of 3.88:1 with the pale red of a cancelled event (#fbe9ea)"
    )
    with translation.override("fr"):
        with pytest.raises(ValidationError) as refused:
            check_colour("#767676")
        french = refused.value.messages[0]
    assert french.startswith(
        "#767676 a un rapport de contraste de 3,88:1 avec le rouge pâle d’un événement annulé "
        "(#fbe9ea)\u00a0:"
    )


def test_a_colour_passes_exactly_when_it_has_aa_on_every_background():
    for grey in range(0x60, 0x80):
        colour = f"#{grey:02x}{grey:02x}{grey:02x}"
        ratios = [contrast_ratio(colour, each.colour) for each in TEXT_BACKGROUNDS]
        if min(ratios) >= AA_TEXT_CONTRAST:
            check_colour(colour)
        else:
            with pytest.raises(ValidationError):
                check_colour(colour)


# Where the stylesheets put backgrounds: every one either has the brand's or accent's text on
# it, and is checked (TEXT_BACKGROUNDS), or is said to have none (BACKGROUNDS_WITHOUT_...).
PUBLIC_STYLESHEETS = [Path("static/css/newsroom.css"), Path("static/css/print.css")]
# Backgrounds the brand stylesheet sets: the brand colour itself (white text on it: the same
# ratio as its text on white) and the badges' tints, derived from each colour (``tint_of``).
BRAND_STYLESHEETS_OWN = {"var(--brand)", "var(--brand-tint)", "var(--accent-tint)"}


def custom_properties(css: str) -> dict[str, str]:
    (root,) = re.findall(r":root\s*\{([^}]*)\}", css)
    return dict(re.findall(r"(--[\w-]+)\s*:\s*([^;]+);", root))


def full_hex(value: str) -> str:
    value = value.strip().lower()
    if re.fullmatch(r"#[0-9a-f]{3}", value):
        return "#" + "".join(digit * 2 for digit in value[1:])
    return value


def stylesheet_backgrounds() -> set[str]:
    properties = custom_properties(PUBLIC_STYLESHEETS[0].read_text())
    found = set()
    for sheet in PUBLIC_STYLESHEETS:
        for value in re.findall(r"background(?:-color)?\s*:\s*([^;}]+)", sheet.read_text()):
            value = value.strip()
            if value == "none" or value in BRAND_STYLESHEETS_OWN:
                continue
            variable = re.fullmatch(r"var\((--[\w-]+)\)", value)
            found.add(full_hex(properties[variable[1]] if variable else value))
    return found


def test_every_background_of_the_stylesheets_is_checked_or_said_to_bear_no_brand_text():
    """A panel added to newsroom.css in a new colour fails here until it is put in the list
    the colours are checked against (or said to carry no text in them), so that the rule
    cannot drift from what readers see."""
    backgrounds = stylesheet_backgrounds()
    checked = {background.colour for background in TEXT_BACKGROUNDS}
    assert "#f3f5f8" in backgrounds and "#fbe9ea" in backgrounds  # the parse found the panels
    assert backgrounds - checked - set(BACKGROUNDS_WITHOUT_THEIR_TEXT) == set()
    # And nothing checked that the stylesheets no longer draw: it would refuse colours for
    # nothing.
    assert checked - backgrounds == set()
    assert not checked & set(BACKGROUNDS_WITHOUT_THEIR_TEXT)


# The badges' tints ----------------------------------------------------------------------------


@pytest.mark.parametrize("colour", ["#0b3d6e", "#a3161a", "#1b5e20", "#666666", "#6b2fa0"])
def test_a_badges_tint_is_the_colours_and_keeps_its_text_at_aa(colour):
    check_colour(colour)
    tint = tint_of(colour)
    assert tint != "#ffffff" and tint != colour
    assert contrast_ratio(colour, tint) >= AA_TEXT_CONTRAST
    # Of the colour's hue: the channel the colour has most of is the tint's highest too.
    channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    tinted = [int(tint[i : i + 2], 16) for i in (1, 3, 5)]
    assert tinted.index(max(tinted)) == channels.index(max(channels))


def test_a_light_colour_gets_a_lighter_tint_rather_than_unreadable_badges():
    """#666666 at the edge: 12% of it would put its text under AA; the tint holds less."""
    assert contrast_ratio("#666666", tint_of("#666666")) >= AA_TEXT_CONTRAST
    assert tint_of("#666666") > tint_of("#111111")


def test_newsroom_css_defaults_are_the_default_colours_stylesheet():
    """Before the brand stylesheet loads (or where it does not: the 503 page), the badges'
    tints are the default colours' own."""
    defaults = custom_properties(PUBLIC_STYLESHEETS[0].read_text())
    brand = custom_properties(colours_of(None).css)
    assert {name: defaults[name] for name in brand} == brand


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
        ("brand_colour", "#777777", "#777777 has a contrast ratio of 3.82:1 with the pale red"),
        ("brand_colour", "#767676", "#767676 has a contrast ratio of 3.88:1 with the pale red"),
        ("brand_colour", "#ffffff", "#ffffff has a contrast ratio of 1.00:1 with white"),
        ("accent_colour", "#ff0000", "#ff0000 has a contrast ratio of 3.41:1 with the pale red"),
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
    url, data = change_form(client, organisation, brand_colour="#767676")
    page = client.post(url, data).text
    assert "#767676 a un rapport de contraste de 3,88:1 avec le rouge pâle d’un" in page


def test_the_admin_stores_a_chosen_colour_in_lower_case(client, admin_user):
    organisation = make_organisation()
    client.force_login(admin_user)
    url, data = change_form(client, organisation, brand_colour="#1B5E20", accent_colour="#8E0000")
    assert client.post(url, data).status_code == 302
    organisation.refresh_from_db()
    assert (organisation.brand_colour, organisation.accent_colour) == (GREEN, "#8e0000")


# The pages ----------------------------------------------------------------------------------


def brand_stylesheet_address(html: str) -> str:
    (address,) = re.findall(r'<link rel="stylesheet" href="(/brand-[0-9a-f]+\.css)">', html)
    return address


def test_every_page_links_the_colours_after_newsroom_css_and_before_print_css(client):
    make_organisation()
    html = client.get("/en/").text
    address = brand_stylesheet_address(html)
    assert html.index("css/newsroom.css") < html.index(address) < html.index("css/print.css")
    assert "style=" not in html and "<style" not in html  # the policy allows no inline style


def test_the_stylesheet_sets_the_organisations_colours_and_is_kept_for_a_year(client):
    make_organisation(brand_colour=GREEN, accent_colour="#8e0000")
    response = client.get(brand_stylesheet_address(client.get("/en/").text))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert response.text == (
        ":root { --brand: #1b5e20; --brand-tint: #e4ece4; "
        "--accent: #8e0000; --accent-tint: #f1e0e0; }\n"
    )
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    again = client.get(response.wsgi_request.path, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_the_stylesheets_address_is_a_digest_of_what_it_says(client):
    """Kept a year unasked, the file must move when its text does, not only its colours: a
    release that renames a custom property gives it a new address."""
    make_organisation(brand_colour=GREEN)
    address = brand_stylesheet_address(client.get("/en/").text)
    text = client.get(address).content
    assert address == f"/brand-{hashlib.sha256(text).hexdigest()[:12]}.css"


def test_a_new_colour_makes_a_new_address_and_shows_at_once(client):
    """The page and the organisation are cached; the save makes both stale, in every process
    (``pagecache``'s scopes), and the old stylesheet's address stays as it was."""
    organisation = make_organisation()
    before = brand_stylesheet_address(client.get("/en/").text)
    assert brand_stylesheet_address(client.get("/en/").text) == before  # from the page cache
    organisation.brand_colour = GREEN
    organisation.save()
    html = client.get("/en/").text
    after = brand_stylesheet_address(html)
    assert after != before
    assert f'<meta name="theme-color" content="{GREEN}">' in html
    assert "--brand: #1b5e20;" in client.get(after).text


def test_an_old_address_answers_todays_colours_briefly_kept(client):
    """A page kept a moment longer by a cache in front still gets the new colours."""
    make_organisation(brand_colour=GREEN)
    response = client.get("/brand-0123456789ab.css")
    assert response.status_code == 200
    assert "--brand: #1b5e20;" in response.text
    assert response["Cache-Control"] == "public, max-age=60"


def test_the_theme_colour_is_the_brand_colour(client):
    make_organisation(brand_colour=GREEN)
    assert f'<meta name="theme-color" content="{GREEN}">' in client.get("/en/").text


def test_error_pages_wear_the_colours_and_the_503_its_defaults_without_a_query(
    client, django_assert_num_queries
):
    make_organisation(brand_colour=GREEN)
    not_found = client.get("/en/no-such-page/")
    assert not_found.status_code == 404
    assert "--brand: #1b5e20;" in client.get(brand_stylesheet_address(not_found.text)).text
    with django_assert_num_queries(0):
        unavailable = database_unavailable_response(RequestFactory().get("/en/")).content
    assert b'<meta name="theme-color" content="#0b3d6e">' in unavailable
    assert b"/brand-" not in unavailable


def test_the_colours_cost_no_query(client, django_assert_max_num_queries):
    """The stylesheet reads the organisation from the cache every page reads it from; the
    pages' own budgets are in tests/test_query_budget.py and tests/test_pages.py."""
    make_organisation(brand_colour=GREEN)
    make_release()
    home = client.get("/en/").text
    with django_assert_max_num_queries(1):  # at most the scopes' versions, never a row
        client.get(brand_stylesheet_address(home))


# Icons and manifest ---------------------------------------------------------------------------


def icon_address(html: str) -> str:
    (address,) = re.findall(r'<link rel="icon" href="(/icons/icon-192\.png\?v=\w+)"', html)
    return address


def test_the_plain_icons_and_the_manifest_follow_the_brand_colour(client):
    organisation = make_organisation()
    before = client.get("/icons/icon-192.png")
    link_before = icon_address(client.get("/en/").text)
    organisation.brand_colour = GREEN
    organisation.save()
    after = client.get("/icons/icon-192.png")
    drawn = Image.open(io.BytesIO(after.content)).convert("RGB")
    assert drawn.getpixel((5, 5)) == GREEN_RGB
    assert after["ETag"] != before["ETag"]
    # Pages link them at a new address, which browsers holding the old icon have never seen.
    link_after = icon_address(client.get("/en/").text)
    assert link_after != link_before
    assert Image.open(io.BytesIO(client.get(link_after).content)).getpixel((5, 5))[:3] == GREEN_RGB
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    assert manifest["theme_color"] == GREEN
    assert all(icon["src"].endswith(link_after[-16:]) for icon in manifest["icons"])


# Emails ---------------------------------------------------------------------------------------


def test_alert_emails_wear_the_brand_colour(client):
    make_organisation(brand_colour=GREEN)
    data = {"email": "desk@example.com", "language": "en", "scope": "everything"}
    client.post("/en/alerts/", data | {"frequency": "immediately", "source": "/en/"})
    run_tasks()
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    assert f"border-bottom:4px solid {GREEN}" in html and f"background:{GREEN}" in html
    assert "#1a4f8b" not in html
