"""Time zones named as people say them: Canada's by the names Canadians use (“Pacific time
(Vancouver)”, « heure du Pacifique (Vancouver) »), any other by its IANA name (“Europe/Paris”).
The IANA name is what is stored, and what machines read (iCalendar, JSON-LD, ninjs, the API)."""

import functools
import zoneinfo

from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import pgettext, pgettext_lazy

# West to east. Translators: each name as it reads inside a sentence (« l’heure du Pacifique »):
# a list capitalises its first letter.
CANADIAN_ZONES = {
    "America/Vancouver": pgettext_lazy("time zone name", "Pacific time (Vancouver)"),
    "America/Whitehorse": pgettext_lazy("time zone name", "Yukon time (Whitehorse)"),
    "America/Edmonton": pgettext_lazy("time zone name", "Mountain time (Edmonton)"),
    "America/Regina": pgettext_lazy(
        "time zone name", "Saskatchewan time (Regina, no daylight saving)"
    ),
    "America/Winnipeg": pgettext_lazy("time zone name", "Central time (Winnipeg)"),
    "America/Toronto": pgettext_lazy("time zone name", "Eastern time (Toronto, Ottawa)"),
    "America/Halifax": pgettext_lazy("time zone name", "Atlantic time (Halifax)"),
    "America/St_Johns": pgettext_lazy("time zone name", "Newfoundland time (St. John’s)"),
}

# The areas of the world's zones (“Europe/Paris”): the rest of the names are legacy aliases
# (“US/Eastern”, “Canada/Pacific”, “EST5EDT”, “Japan”), still accepted but not offered.
WORLD_AREAS = (
    "Africa/",
    "America/",
    "Antarctica/",
    "Arctic/",
    "Asia/",
    "Atlantic/",
    "Australia/",
    "Europe/",
    "Indian/",
    "Pacific/",
)


@functools.cache
def known_zones() -> frozenset[str]:
    """Every IANA name this system knows (reading them all takes tens of milliseconds)."""
    return frozenset(zoneinfo.available_timezones())


@functools.cache
def _world_zones() -> tuple[str, ...]:
    world = (key for key in known_zones() if key.startswith(WORLD_AREAS) or key == "UTC")
    return tuple(sorted(key for key in world if key not in CANADIAN_ZONES))


def newsroom_in_canada() -> bool:
    """Whether the newsroom is in Canada: its own zone (``settings.TIME_ZONE``) is Canada's."""
    return settings.TIME_ZONE in CANADIAN_ZONES


def zone_choices(*also: str | None) -> list:
    """A select's options. A newsroom in Canada (its own zone one of Canada's) is offered
    Canada's zones by name first, then every other by its IANA name, sorted; a newsroom
    elsewhere, every zone by its IANA name. ``also``: zones to offer though not listed (an
    event's legacy alias), so that what is stored shows chosen and is saved unchanged."""
    extra = {key for key in also if key in known_zones() and key not in CANADIAN_ZONES}
    world = sorted(extra.union(_world_zones()))
    if not newsroom_in_canada():
        return [(key, zone_name(key)) for key in sorted(set(world).union(CANADIAN_ZONES))]
    return [
        (
            pgettext_lazy("time zones", "Canada"),
            [(key, capfirst(name)) for key, name in CANADIAN_ZONES.items()],
        ),
        (pgettext_lazy("time zones", "Elsewhere (region/city)"), [(key, key) for key in world]),
    ]


def zone_name(key: str) -> str:
    """“Pacific time (Vancouver)”, « Heure du Pacifique (Vancouver) », “Europe/Paris”: a zone
    on its own (a label, an option), in the active language."""
    return capfirst(zone_in_sentence(key))


def zone_in_sentence(key: str) -> str:
    """“Pacific time (Vancouver)”, « heure du Pacifique (Vancouver) », “Europe/Paris”: a zone
    inside a sentence, in the active language."""
    return str(CANADIAN_ZONES.get(key, key))


def in_zone(key: str) -> str:
    """“in Pacific time (Vancouver)”, « à l’heure du Pacifique (Vancouver) »; “in
    Europe/Paris”, « dans le fuseau Europe/Paris »: a zone after a verb, in the active
    language (French says the two kinds of name with different words)."""
    if key in CANADIAN_ZONES:
        # Translators: before a zone's name for people (French: all begin with « heure »).
        return pgettext("in a time zone named for people", "in %(zone)s") % {
            "zone": zone_in_sentence(key)
        }
    # Translators: before a zone's IANA name, e.g. “in Europe/Paris”.
    return pgettext("in a time zone named by its IANA name", "in %(zone)s") % {"zone": key}
