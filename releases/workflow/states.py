"""How a release's state reads, in one place: the workflow's refusals, the admin's list and
pages and the scheduling form all name it the same way."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from releases.models import Release
from releases.text.languages import zone_abbreviation


def newsroom_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def desk_moment(moment: datetime) -> str:
    """“Sun May 9, 2021 06:00 EDT”, « dim 9 mai 2021, 6 h 00 HAE »: a moment as the desk
    shows it, in the newsroom's zone."""
    local = moment.astimezone(newsroom_zone())
    shown = date_format(local, pgettext("desk moment format", "D M j, Y H:i"))
    return f"{shown} {zone_abbreviation(local)}"


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
