"""Counts written as each language writes them: “28,776” in English, « 28 776 » in French."""

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
