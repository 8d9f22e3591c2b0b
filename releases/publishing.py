"""Every change of a release's state goes through this module.

Each function validates, saves inside a transaction and records who did it. The admin and the
tests call these; ``Release.save()`` only derives fields.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from releases.models import Release, Status

MISSING_FOR_PUBLICATION = _("A release needs a headline, a body, a dateline city and a type.")
PUBLICATION_TIME_NEEDS_ZONE = _("The publication time must say its time zone.")


def _require_publishable(release: Release) -> None:
    if not (release.headline and release.body and release.dateline_city and release.release_type):
        raise ValidationError(MISSING_FOR_PUBLICATION)


@transaction.atomic
def publish(*, release: Release, by=None, at: datetime | None = None) -> Release:
    """Publish now, or at ``at`` (which may be in the past for a backdated release)."""
    at = at or timezone.now()
    if timezone.is_naive(at):
        raise ValidationError(PUBLICATION_TIME_NEEDS_ZONE)
    _require_publishable(release)
    release.status = Status.PUBLISHED
    release.publish_at = at.replace(microsecond=0)
    release.full_clean()
    release._change_reason = "published"
    if by is not None:
        release._history_user = by
    release.save()
    return release
