"""How a release's state reads, in one place: the workflow's refusals, the admin's list and
pages and the scheduling form all name it the same way."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timesince import timesince
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from releases.models import Release, ReleaseEvent
from releases.models.record import BACKDATED_NOTE
from releases.text.languages import first_of_month, language_in_sentence, zone_abbreviation


def newsroom_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def desk_moment(moment: datetime, zone: ZoneInfo | None = None) -> str:
    """“Sun May 9, 2021 06:00 EDT”, « dimanche 9 mai 2021, 6 h 00 HAE »: a moment as the desk
    shows it, in the newsroom's zone (or ``zone``, an event's)."""
    return _zoned_time(moment, "DESK_MOMENT_FORMAT", zone or newsroom_zone())


def record_note(event: ReleaseEvent) -> str:
    """A workflow record's note as the desk reads it: the workflow's own moments (a scheduling's
    go-live time, a backdated publication's date, stored in ISO 8601) as desk moments, in the
    reader's language and the newsroom's zone; an editor's note as they typed it."""
    note = event.note
    backdated = event.action == ReleaseEvent.Action.PUBLISHED and note.startswith(BACKDATED_NOTE)
    if event.action == ReleaseEvent.Action.SCHEDULED or backdated:
        try:
            moment = desk_moment(datetime.fromisoformat(note.removeprefix(BACKDATED_NOTE)))
        except ValueError:
            return note
        return gettext("Backdated to %(moment)s") % {"moment": moment} if backdated else moment
    return note


def desk_when(moment: datetime, *, now: datetime | None = None) -> str:
    """“Dec 3, 09:00 EST”, « 3 décembre, 9 h 00 HNE »: a moment in a desk list, in the
    newsroom's zone, with its year when it is not this year's (“May 9, 2021, 09:00 EDT”)."""
    zone = newsroom_zone()
    if moment.astimezone(zone).year == (now or timezone.now()).astimezone(zone).year:
        return _zoned_time(moment, "DESK_SHORT_MOMENT_FORMAT", zone)
    return _zoned_time(moment, "DESK_SHORT_MOMENT_OTHER_YEAR_FORMAT", zone)


def desk_time(moment: datetime) -> str:
    """“09:00 EST”, « 9 h 00 HNE »: a time of day in the newsroom's zone."""
    return _zoned_time(moment, "DESK_TIME_FORMAT", newsroom_zone(), with_day=False)


def _zoned_time(moment: datetime, format: str, zone: ZoneInfo, *, with_day: bool = True) -> str:
    """``moment`` written in ``format`` in ``zone``, followed by the zone's name in the active
    language; a date says French's “1er” (``with_day``: the format writes one)."""
    local = moment.astimezone(zone)
    return f"{_written(local, format, with_day=with_day)} {zone_abbreviation(local, zone)}"


def _written(wall: datetime, format: str, *, with_day: bool = True) -> str:
    shown = date_format(wall, format)
    return first_of_month(shown, wall.day) if with_day else shown


def wall_clock_in_words(wall: datetime) -> str:
    """“Sun Mar 14, 2021 02:30”, « dimanche 14 mars 2021 à 2 h 30 »: a time on the newsroom's
    clock, without a zone's name (a time the clocks skip or repeat has no one zone), as it
    reads inside a sentence (“… does not exist”, « Le … n’existe pas »)."""
    return _written(wall, "DESK_MOMENT_IN_SENTENCE_FORMAT")


def saved_ago(moment: datetime) -> str:
    """“saved 5 minutes ago”, or “saved just now” within the minute (never “0 minutes”)."""
    if is_just_now(moment):
        return str(_("saved just now"))
    return str(_("saved %(when)s ago") % {"when": timesince(moment)})


def follows_version(twin: Release) -> str:
    """“follows the French version, saved 5 minutes ago” (or “saved just now”)."""
    language = language_in_sentence(twin.language)
    if is_just_now(twin.modified_at):
        return str(_("follows the %(language)s version, saved just now") % {"language": language})
    return str(
        _("follows the %(language)s version, saved %(when)s ago")
        % {"language": language, "when": timesince(twin.modified_at)}
    )


def is_just_now(moment: datetime) -> bool:
    """Within the last minute: what ``timesince`` would call “0 minutes”."""
    return timezone.now() - moment < timedelta(minutes=1)


def state_label(release: Release, *, with_time: bool = False) -> str:
    """“Scheduled”, or the plain status; ``with_time``: “Scheduled for Sun May 9, 2021 06:00
    EDT”, “Published …” (in the newsroom's zone), or the plain status."""
    if with_time and (release.is_scheduled or release.is_published):
        when = desk_moment(release.publish_at)
        if release.is_scheduled:
            return str(_("Scheduled for %(when)s") % {"when": when})
        return str(_("Published %(when)s") % {"when": when})
    if release.is_scheduled:
        return str(_("Scheduled"))
    return str(release.get_status_display())
