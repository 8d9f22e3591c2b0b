"""A release's language versions as the workflow reads them: which may be scheduled with it,
which would be left to go public alone, and what its checklist refuses. Nothing here changes a
release: ``releases.workflow.publishing`` does, and re-exports what the admin reads."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from releases.models import Release
from releases.text.languages import language_in_sentence
from releases.workflow import checklist
from releases.workflow.rules import NEVER_AGAIN
from releases.workflow.states import state_label

TWIN_ALREADY_PUBLIC = _("The %(language)s version, “%(headline)s”, is already public.")
TWIN_NOT_SCHEDULABLE = _(
    "The %(language)s version, “%(headline)s”, cannot be scheduled: it is “%(state)s”, and only "
    "a release in review or approved can be. Schedule it on its own page once it is ready."
)
TWIN_INCOMPLETE = _("The %(language)s version, “%(headline)s”, cannot be scheduled yet. %(errors)s")


def checklist_refusal(release: Release, *, at: datetime | None = None) -> ValidationError | None:
    """The errors of the release's checklist (``releases.workflow.checklist``) that stop it
    from being approved, scheduled or published at ``at``, or None when there are none."""
    failing = checklist.errors(release, at=at)
    if not failing:
        return None
    return ValidationError([ValidationError(item.message, code="checklist") for item in failing])


def twins_of(release: Release, *, for_update: bool = False) -> list[Release]:
    """The other language versions of ``release`` (its translation group), by language."""
    if release.pk is None:
        return []
    releases = Release.objects.select_for_update() if for_update else Release.objects.all()
    return list(releases.twins_of(release))


def twin_params(twin: Release) -> dict:
    return {"language": language_in_sentence(twin.language), "headline": twin.headline}


def twin_schedule_refusal(twin: Release, *, at: datetime | None = None) -> str | None:
    """Why ``twin`` cannot be scheduled (at ``at``) along with its translation, or None."""
    if twin.status in NEVER_AGAIN:
        return NEVER_AGAIN[twin.status] % twin_params(twin)
    if twin.is_on_record:
        return TWIN_ALREADY_PUBLIC % twin_params(twin)
    if not twin.is_schedulable:
        return TWIN_NOT_SCHEDULABLE % (twin_params(twin) | {"state": state_label(twin)})
    refusal = checklist_refusal(twin, at=at)
    if refusal is not None:
        return TWIN_INCOMPLETE % (twin_params(twin) | {"errors": " ".join(refusal.messages)})
    return None


def twins_left_behind(release: Release, *, at: datetime | None = None) -> list[Release]:
    """Twins that will not be public by the end of the minute ``release`` goes public in
    (``at``; by default its scheduled time, or now): one language would go out alone."""
    if at is None:
        at = release.publish_at if release.is_scheduled else timezone.now()
    minute_ends = at.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return [
        twin
        for twin in twins_of(release)
        if not (twin.is_published or (twin.is_scheduled and twin.publish_at < minute_ends))
    ]
