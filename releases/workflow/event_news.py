"""A public advisory's event cancelled, moved, removed or put back on is news to everyone who
received the advisory: it goes out only with a correction (``publishing.correct``), whose alert
says first what happened to the event. The event is saved in the correction's transaction, as
the release form does and as a script does it::

    with transaction.atomic():
        publishing.correct(release=advisory, by=editor, note="The briefing is cancelled.")
        event.status = AdvisoryEvent.Status.CANCELLED
        event.save()
"""

import threading

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from releases.models import Correction, Release

NEEDS_CORRECTION = _(
    "An event cancelled, moved, removed or back on is news to those who received the "
    "advisory: save it as a correction and say what changed."
)


# The corrections this thread's open transaction is saving, by release: the release form saves
# the advisory's event after its release, and a script may reload either in between.
_being_saved = threading.local()


def correcting(correction: Correction) -> None:
    """Let what the transaction saving ``correction`` does to its release's event be written on
    it (``record``)."""
    by_release = vars(_being_saved).setdefault("by_release", {})
    by_release[correction.release_id] = correction
    transaction.on_commit(lambda: by_release.pop(correction.release_id, None))


def _being_saved_for(release: Release) -> Correction | None:
    """The correction this transaction is saving for ``release``; none once it committed, or
    when it was rolled back (its row is gone)."""
    correction = vars(_being_saved).get("by_release", {}).get(release.pk)
    if correction is None or not connection.in_atomic_block:
        return None
    made = {"pk": correction.pk, "corrected_at": correction.corrected_at, "note": correction.note}
    return correction if Correction.objects.filter(**made).exists() else None


# When one correction makes several changes to an event, its alert names the weightiest.
EVENT_NEWS_WEIGHT = [
    Correction.EventChange.MOVED,
    Correction.EventChange.REMOVED,
    Correction.EventChange.REINSTATED,
    Correction.EventChange.CANCELLED,
]


@transaction.atomic
def record(*, release: Release, change: Correction.EventChange) -> Correction | None:
    """Write on the correction being saved with it that ``release``'s event was cancelled,
    moved, removed or put back on: its alert says so first; that correction is returned. Once
    the advisory is public, such a change is refused without a correction: as a minor edit it
    would reach nobody who received the advisory. Before then it changes freely (None)."""
    if not release.is_published:
        return None
    correction = _being_saved_for(release)
    if correction is None:
        raise ValidationError(NEEDS_CORRECTION, code="news")
    if correction.event_change:
        change = max(change, correction.event_change, key=EVENT_NEWS_WEIGHT.index)
    correction.event_change = change
    correction.save(update_fields=["event_change"])
    return correction


def before_correction(correction: Correction, event: dict) -> dict:
    """What the event was before ``correction`` (being saved) changed it: ``event`` the first
    time its transaction saves it, the same on every later save."""
    return vars(correction).setdefault("_event_before", event)
