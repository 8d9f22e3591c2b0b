"""When a release may be scheduled to go public: a moment that says its zone, still to come,
and not so far ahead that it must be a mistyped year (an embargo lifts within days or weeks).
And when one may be backdated to: a moment that says its zone and has come."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from releases.workflow.states import desk_moment

PUBLICATION_TIME_NEEDS_ZONE = _("The publication time must say its time zone.")
SCHEDULE_IN_THE_PAST = _(
    "The go-live time has already passed. To publish the release with an earlier date, "
    "backdate it: on its “Publish now…” page, fill in when it was first published."
)
BACKDATED_TO_THE_FUTURE = _(
    "%(time)s has not come yet: a release is backdated to when it was first published. To "
    "publish it later, schedule it."
)
MAX_YEARS_AHEAD = 10
TOO_FAR_AHEAD = _(
    "%(time)s is more than %(years)s years from now: check the year. An embargo lifts within "
    "days or weeks."
)


def latest_go_live(now: datetime) -> datetime:
    """``MAX_YEARS_AHEAD`` years after ``now`` (February 29 gives way to the 28th)."""
    year = now.year + MAX_YEARS_AHEAD
    try:
        return now.replace(year=year)
    except ValueError:
        return now.replace(year=year, day=28)


def too_far_ahead(shown: str) -> ValidationError:
    return ValidationError(
        TOO_FAR_AHEAD, code="too-far", params={"time": shown, "years": MAX_YEARS_AHEAD}
    )


def check_go_live(at: datetime) -> None:
    """Refuse a go-live time without its zone, already passed, or too far ahead."""
    if timezone.is_naive(at):
        raise ValidationError(PUBLICATION_TIME_NEEDS_ZONE, code="naive")
    now = timezone.now()
    if at <= now:
        raise ValidationError(SCHEDULE_IN_THE_PAST, code="past")
    if at > latest_go_live(now):
        raise too_far_ahead(desk_moment(at))


def check_first_published(at: datetime) -> None:
    """Refuse a backdated publication's moment without its zone, or still to come."""
    if timezone.is_naive(at):
        raise ValidationError(PUBLICATION_TIME_NEEDS_ZONE, code="naive")
    if at > timezone.now():
        raise ValidationError(
            BACKDATED_TO_THE_FUTURE, code="future", params={"time": desk_moment(at)}
        )
