"""English dates and times as the organisation's readers write them: the variant the deployment
chose (``ENGLISH_FORMATS``, docs/deployment.md). The one place that knows it.

Django looks every format of English up here first (``FORMAT_MODULE_PATH``), and each is
answered from the chosen variant: Django's formats of that English, then the newsroom's own on
top (names of its own, for the dateline, the embargo line, an event's day, a campaign's days and
the desk; and a press release's long dates where Django abbreviates). The default, en-CA, is
Canadian Press style as the newsroom has always written it (“May 9, 2021”, “2:24 p.m.”): that
is Django's ``en``, not its ``en_CA`` (“9 May 2021” and ISO dates in forms).

Django keeps each format it has looked up: a change of ``ENGLISH_FORMATS`` (a test's settings)
forgets them (``_forget_formats``)."""

import importlib

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import formats

# The newsroom's own formats, month first (Canadian Press, AP): “Ottawa, ON, May 9, 2021”,
# “EMBARGOED UNTIL 06:00 EDT, Sunday May 9, 2021”, “Tuesday, June 4, 2030”, “May 9–15, 2021”,
# the desk's “Sun May 9, 2021 06:00 EDT”. Every language's module defines each of these.
MONTH_FIRST = {
    "DATELINE_DATE_FORMAT": "F j, Y",
    "EMBARGO_TIME_FORMAT": "H:i",
    "EMBARGO_DATE_FORMAT": "l F j, Y",
    "WEEKDAY_DATE_FORMAT": "l, N j, Y",
    # A campaign's days: within a month, within a year, across years (``period_html``).
    "PERIOD_WITHIN_MONTH": "%(month)s %(start)s–%(end)s, %(year)s",
    "PERIOD_MONTH_FORMAT": "N",
    "PERIOD_WITHIN_YEAR": "%(start)s – %(end)s, %(year)s",
    "PERIOD_DAY_FORMAT": "N j",
    "PERIOD_ACROSS_YEARS": "%(start)s – %(end)s",
    # The desk (``releases.workflow.states``) and the outside reviewer's page.
    "DESK_MOMENT_FORMAT": "D M j, Y H:i",
    "DESK_MOMENT_IN_SENTENCE_FORMAT": "D M j, Y H:i",
    "DESK_SHORT_MOMENT_FORMAT": "M j, H:i",
    "DESK_SHORT_MOMENT_OTHER_YEAR_FORMAT": "M j, Y, H:i",
    "DESK_TIME_FORMAT": "H:i",
    "REVIEW_MOMENT_FORMAT": "D M j, Y H:i T",
    # The language's tag with its region (“en-GB”) where the variant names one the page's
    # language (“en”) does not say; empty otherwise. The reader's browser writes times in it
    # (``Intl.DateTimeFormat``: an event in the reader's zone, the desk's scheduling hint),
    # and link previews name their locale by it (``og:locale`` en_GB).
    "LANGUAGE_TAG": "",
}
HOUSE_FORMATS = tuple(MONTH_FIRST)

# Day first (the UK, Ireland, Australia): “London, 9 May 2021”, “EMBARGOED UNTIL 06:00 BST,
# Sunday 9 May 2021”, “Tuesday 4 June 2030”, “9–15 May 2021”, “Sun 9 May 2021 06:00 BST”.
DAY_FIRST = {
    "DATELINE_DATE_FORMAT": "j F Y",
    "EMBARGO_TIME_FORMAT": "H:i",
    "EMBARGO_DATE_FORMAT": "l j F Y",
    "WEEKDAY_DATE_FORMAT": "l j F Y",
    "PERIOD_WITHIN_MONTH": "%(start)s–%(end)s %(month)s %(year)s",
    "PERIOD_MONTH_FORMAT": "F",
    "PERIOD_WITHIN_YEAR": "%(start)s – %(end)s %(year)s",
    "PERIOD_DAY_FORMAT": "j F",
    "PERIOD_ACROSS_YEARS": "%(start)s – %(end)s",
    "DESK_MOMENT_FORMAT": "D j M Y H:i",
    "DESK_MOMENT_IN_SENTENCE_FORMAT": "D j M Y H:i",
    "DESK_SHORT_MOMENT_FORMAT": "j M, H:i",
    "DESK_SHORT_MOMENT_OTHER_YEAR_FORMAT": "j M Y, H:i",
    "DESK_TIME_FORMAT": "H:i",
    "REVIEW_MOMENT_FORMAT": "D j M Y H:i T",
    # A release's date written out (“3 December 2026”), where Django abbreviates (“3 Dec”).
    "DATE_FORMAT": "j F Y",
}

# Each variant: the Django locale whose formats it starts from, and the newsroom's on top.
VARIANTS = {
    "en-CA": ("en", MONTH_FIRST),
    "en-US": ("en", MONTH_FIRST),
    # “15:24”: the 24-hour clock of GOV.UK and the BBC (Django's en_GB says “3:24 p.m.”).
    "en-GB": (
        "en_GB",
        DAY_FIRST
        | {
            "TIME_FORMAT": "H:i",
            "DATETIME_FORMAT": "j F Y, H:i",
            "SHORT_DATETIME_FORMAT": "d/m/Y H:i",
            "LANGUAGE_TAG": "en-GB",
        },
    ),
    "en-IE": (
        "en_IE",
        DAY_FIRST | {"DATETIME_FORMAT": "j F Y, H:i", "LANGUAGE_TAG": "en-IE"},
    ),
    "en-AU": (
        "en_AU",
        DAY_FIRST | {"DATETIME_FORMAT": "j F Y, P", "LANGUAGE_TAG": "en-AU"},
    ),
}


def _variant() -> tuple[object, dict]:
    chosen = settings.ENGLISH_FORMATS
    try:
        locale, own = VARIANTS[chosen]
    except KeyError:
        raise ImproperlyConfigured(
            f"ENGLISH_FORMATS is {chosen!r}: choose one of {', '.join(VARIANTS)}."
        ) from None
    return importlib.import_module(f"django.conf.locale.{locale}.formats"), own


def __getattr__(name: str):
    """The format ``name`` of the chosen English; an AttributeError for a name it does not
    define (a ``TIME_INPUT_FORMATS`` Django's en_GB leaves out), which Django then reads from
    its own ``en``."""
    if name.startswith("__"):
        raise AttributeError(name)
    module, own = _variant()
    if name in own:
        return own[name]
    return getattr(module, name)


@receiver(setting_changed)
def _forget_formats(*, setting, **kwargs):
    if setting == "ENGLISH_FORMATS":
        formats.reset_format_cache()
