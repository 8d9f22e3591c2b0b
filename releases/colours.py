"""The organisation's colours: what they are until it chooses its own, and the one rule a
colour must pass to be chosen (WCAG 2 AA contrast with white, for text and links)."""

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

NOT_A_COLOUR = _("Enter the colour as # and six hexadecimal digits, e.g. #0b3d6e.")
BRAND_TOO_LIGHT = _(
    "%(colour)s has a contrast ratio of %(ratio)s:1 with white: links in it on white, and the "
    "header's white text on it, need at least %(minimum)s:1 (WCAG AA). Choose a darker colour."
)
ACCENT_TOO_LIGHT = _(
    "%(colour)s has a contrast ratio of %(ratio)s:1 with white: links and notices in it on "
    "white need at least %(minimum)s:1 (WCAG AA). Choose a darker colour."
)


class Colours(NamedTuple):
    brand: str
    accent: str

    @property
    def css(self) -> str:
        """The stylesheet that gives pages these colours (``releases.public.brand``)."""
        return f":root {{ --brand: {self.brand}; --accent: {self.accent}; }}\n"

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
    """Refuse what is not a #rrggbb colour, or one whose contrast with white fails WCAG AA for
    text (the ratio is the same whichever of the two is the text), saying the ratio it has.

    The ratio is shown rounded down: a colour at 4.499:1 fails, and must not read “4.50:1”."""
    if not isinstance(value, str) or not HEX_COLOUR.fullmatch(value):
        raise ValidationError(NOT_A_COLOUR, code="not_a_colour")
    ratio = contrast_ratio(value, WHITE)
    if ratio < AA_TEXT_CONTRAST:
        raise ValidationError(
            too_light,
            code="low_contrast",
            params={
                "colour": value,
                "ratio": number_format(math.floor(ratio * 100) / 100, 2),
                "minimum": number_format(AA_TEXT_CONTRAST, 1),
            },
        )


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
