"""The organisation's colours: what they are until it chooses its own, the one rule a colour
must pass to be chosen (WCAG 2 AA contrast, for text and links, with every background the
public stylesheet draws text in it on), and the pale tints of its badges."""

import hashlib
import math
import re
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

DEFAULT_BRAND = "#0b3d6e"
DEFAULT_ACCENT = "#a3161a"
WHITE = "#ffffff"
# WCAG 2 success criterion 1.4.3 (AA), for text of normal size.
AA_TEXT_CONTRAST = 4.5
HEX_COLOUR = re.compile(r"#[0-9a-f]{6}", re.IGNORECASE)
# The most of the colour a badge's tint holds (mixed with white): less where the colour is
# light enough that its text on that tint would fall short of AA.
TINT_SHARE = 0.12


class Background(NamedTuple):
    colour: str
    name: str  # as the refusal names it: “with the pale red of a cancelled event”


# Every background of static/css/newsroom.css (and print.css) that text or links in the brand
# or accent colour are drawn on: links are the brand colour, and the accent's under the
# pointer, wherever they are. The badges' tints are not here: the brand stylesheet derives
# them from each colour (``tint_of``), light enough for its text on them. A background that
# no text in these colours is drawn on goes in BACKGROUNDS_WITHOUT_THEIR_TEXT, saying why:
# tests/test_brand_colours.py fails for a background of the stylesheets in neither.
TEXT_BACKGROUNDS = (
    # The page, cards, the print, and a reviewer's “Ask for changes” button.
    Background(WHITE, _("white")),
    # --wash: flash messages, the home page's campaign panel, the feeds box, the facets,
    # the footer, and a release body's table headings.
    Background("#f3f5f8", _("the light grey of panels and the footer")),
    # A cancelled event's box (its online address, its contact's telephone and email).
    Background("#fbe9ea", _("the pale red of a cancelled event")),
    # A reviewer's form under a preview: its errors are in the accent colour.
    Background("#fff6db", _("the pale yellow of a reviewer’s form")),
    # The words a search found, in a result's headline: a link.
    Background("#fff0a8", _("the yellow of words a search found")),
)
BACKGROUNDS_WITHOUT_THEIR_TEXT = {
    "#1b1f24": "--ink, the skip link's: white text",
    "#e3f4e8": "the “on now” badge: its own dark green text",
    "#fffbea": "a release's corrections: plain text, no link",
}

NOT_A_COLOUR = _("Enter the colour as # and six hexadecimal digits, e.g. #0b3d6e.")
BRAND_TOO_LIGHT = _(
    "%(colour)s has a contrast ratio of %(ratio)s:1 with %(background)s (%(background_colour)s): "
    "links in it there need at least %(minimum)s:1 (WCAG AA). Choose a darker colour."
)
ACCENT_TOO_LIGHT = _(
    "%(colour)s has a contrast ratio of %(ratio)s:1 with %(background)s (%(background_colour)s): "
    "links under the pointer and notices in it there need at least %(minimum)s:1 (WCAG AA). "
    "Choose a darker colour."
)


class Colours(NamedTuple):
    brand: str
    accent: str

    @property
    def css(self) -> str:
        """The stylesheet that gives pages these colours and their badges' tints
        (``releases.public.brand``)."""
        return (
            f":root {{ --brand: {self.brand}; --brand-tint: {tint_of(self.brand)}; "
            f"--accent: {self.accent}; --accent-tint: {tint_of(self.accent)}; }}\n"
        )

    @property
    def version(self) -> str:
        """A short digest of the colours' stylesheet, for its address: a new address when the
        colours change, and when what the stylesheet says of them does (a custom property
        renamed in newsroom.css), since browsers keep the file a year, unasked."""
        return hashlib.sha256(self.css.encode()).hexdigest()[:12]


def relative_luminance(colour: str) -> float:
    """WCAG 2's relative luminance of a #rrggbb colour: 0 for black, 1 for white."""
    channels = []
    for start in (1, 3, 5):
        value = int(colour[start : start + 2], 16) / 255
        channels.append(value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2's contrast ratio of two #rrggbb colours, from 1 (the same) to 21 (black, white)."""
    lighter, darker = sorted(map(relative_luminance, (first, second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def check_colour(value: str, too_light=BRAND_TOO_LIGHT) -> None:
    """Refuse what is not a #rrggbb colour, or one whose contrast with any background text is
    drawn in it on (``TEXT_BACKGROUNDS``) fails WCAG AA for text, saying the worst background
    and the ratio the colour has there.

    The ratio is shown rounded down: a colour at 4.499:1 fails, and must not read “4.50:1”."""
    if not isinstance(value, str) or not HEX_COLOUR.fullmatch(value):
        raise ValidationError(NOT_A_COLOUR, code="not_a_colour")
    worst = min(TEXT_BACKGROUNDS, key=lambda background: contrast_ratio(value, background.colour))
    ratio = contrast_ratio(value, worst.colour)
    if ratio < AA_TEXT_CONTRAST:
        raise ValidationError(
            too_light,
            code="low_contrast",
            params={
                "colour": value,
                "ratio": number_format(math.floor(ratio * 100) / 100, 2),
                "minimum": number_format(AA_TEXT_CONTRAST, 1),
                "background": worst.name,
                "background_colour": worst.colour,
            },
        )


def tint_of(colour: str) -> str:
    """A pale tint of a #rrggbb colour, for the background of a badge whose text is in it:
    ``TINT_SHARE`` of the colour mixed with white, or less where the text would fall short of
    WCAG AA on it (white at the very least, which a colour that passed ``check_colour`` has)."""
    channels = [int(colour[start : start + 2], 16) for start in (1, 3, 5)]
    for hundredths in range(round(TINT_SHARE * 100), 0, -1):
        mixed = (round(255 - (255 - channel) * hundredths / 100) for channel in channels)
        tint = "#" + "".join(f"{channel:02x}" for channel in mixed)
        if contrast_ratio(colour, tint) >= AA_TEXT_CONTRAST:
            return tint
    return WHITE


def check_brand_colour(value: str) -> None:
    check_colour(value, BRAND_TOO_LIGHT)


def check_accent_colour(value: str) -> None:
    check_colour(value, ACCENT_TOO_LIGHT)


def colours_of(organisation) -> Colours:
    """The organisation's colours, lower case; today's defaults where there is no organisation
    or where a stored value is not a colour (a row written without validation must never put
    anything else into a stylesheet or an email's inline style)."""

    def valid(value, default: str) -> str:
        return value.lower() if isinstance(value, str) and HEX_COLOUR.fullmatch(value) else default

    return Colours(
        brand=valid(getattr(organisation, "brand_colour", None), DEFAULT_BRAND),
        accent=valid(getattr(organisation, "accent_colour", None), DEFAULT_ACCENT),
    )
