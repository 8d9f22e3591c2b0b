"""Numbers: counts written as each language writes them (“28,776” in English, « 28 776 » in
French), and whole numbers read from what readers and staff typed."""

from collections.abc import Callable

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import formats


def count_writer() -> Callable[[int], str]:
    """How the active language writes a count, as ``intcomma`` does, worked out once: a facet
    panel writes a hundred counts, and ``intcomma`` looks the language's formats up for each."""
    separator = formats.get_format("THOUSAND_SEPARATOR")
    if formats.get_format("NUMBER_GROUPING") != 3:  # grouped otherwise (by four in Chinese)
        return intcomma
    return lambda count: f"{count:,}".replace(",", separator)


def whole_number(text: str) -> int | None:
    """``text`` as a whole number when it is written in ASCII digits only, else None.
    ``str.isdigit()`` also accepts “²”, which ``int()`` refuses: a 500 where a 400 was due."""
    return int(text) if text.isascii() and text.isdigit() else None
