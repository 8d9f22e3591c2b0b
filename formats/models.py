"""The event a media advisory announces: when, where, how to get in, and whether it is still on."""

import uuid
import zoneinfo
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from releases.models import Correction, MediaContact, Release, ReleaseType, Status
from releases.text.zones import known_zones
from releases.workflow import event_news
from releases.workflow.states import desk_moment

# What a calendar program shows: a change of any of these raises the event's SEQUENCE.
CALENDAR_FIELDS = ("starts_at", "ends_at", "time_zone", "venue", "address", "online_url", "status")
# An advisory taken back cancels its event, as one more change to calendars each time (one
# unpublished may have been withdrawn first): how much its SEQUENCE rises by.
ENDINGS = {Status.WITHDRAWN: 1, Status.UNPUBLISHED: 2}
# A change of these makes a scheduled event “changed” (schema.org's EventRescheduled).
RESCHEDULING_FIELDS = ("starts_at", "ends_at", "time_zone", "venue", "address", "online_url")

# A change of these, or a cancellation (or its undoing), on a public advisory is news to everyone
# who received it: it goes out as a correction, which alerts them, never as a minor edit.
NEWS_FIELDS = RESCHEDULING_FIELDS

NOT_AN_ADVISORY = _("Only a media advisory announces an event: change the release's type first.")
ENDS_BEFORE_START = _("The event cannot end before it starts.")
NOWHERE = _("Give the event's address, its online link, or both.")
UNKNOWN_ZONE = _("“%(zone)s” is not a time zone name such as America/Toronto.")


def news_of_change(before: dict, after: dict) -> Correction.EventChange | None:
    """What happened to an event that was ``before`` and is now ``after`` (its
    ``CALENDAR_FIELDS``) that is news to those who received its advisory: cancelled, back on, or
    moved in time or place; None when nothing of that changed."""
    cancelled = AdvisoryEvent.Status.CANCELLED
    if before["status"] != cancelled and after["status"] == cancelled:
        return Correction.EventChange.CANCELLED
    if before["status"] == cancelled and after["status"] != cancelled:
        return Correction.EventChange.REINSTATED
    if any(before[name] != after[name] for name in NEWS_FIELDS):
        return Correction.EventChange.MOVED
    return None


def validate_time_zone(value: str) -> None:
    if value not in known_zones():
        raise ValidationError(UNKNOWN_ZONE, code="unknown-zone", params={"zone": value})


def default_time_zone() -> str:
    return settings.TIME_ZONE


class AdvisoryEvent(models.Model):
    """One event per media advisory (each language version has its own, in its language)."""

    class Status(models.TextChoices):
        # « Prévu »: an event that will happen as announced, not a release's « Programmé ».
        SCHEDULED = "scheduled", pgettext_lazy("event status", "Scheduled")
        CHANGED = "changed", _("Changed")
        CANCELLED = "cancelled", _("Cancelled")

    release = models.OneToOneField(
        Release,
        on_delete=models.CASCADE,
        related_name="advisory_event",
        verbose_name=_("release"),
        limit_choices_to={"release_type": ReleaseType.MEDIA_ADVISORY},
    )
    uid = models.UUIDField(
        _("calendar id"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Never changes: calendar programs recognise the event by it."),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone of the place"),
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text=_(
            "Choose the time zone of the place where the event takes place: Canada's by name, "
            "any other by region and city. Type the start and end as the clocks there read "
            "them; the page also gives them in the newsroom's time zone and in UTC."
        ),
    )
    venue = models.CharField(
        _("venue"), max_length=200, blank=True, help_text=_("E.g. National Press Theatre.")
    )
    address = models.CharField(
        _("address"),
        max_length=300,
        blank=True,
        help_text=_("Street address and city, on one line."),
    )
    online_url = models.URLField(
        _("online link"), blank=True, help_text=_("Livestream or call-in page, if any.")
    )
    accreditation_contact = models.ForeignKey(
        MediaContact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accreditation contact"),
    )
    accreditation_note = models.CharField(
        _("accreditation"),
        max_length=300,
        blank=True,
        help_text=_("E.g. “Media must register by May 8 at 5 p.m. and bring press credentials.”"),
    )
    status = models.CharField(
        _("event status"),
        max_length=20,
        choices=Status.choices,
        default=Status.SCHEDULED,
        help_text=_(
            "A scheduled event whose time or place changes becomes “changed” by itself. "
            "Choose “cancelled” to remove it from subscribers' calendars."
        ),
    )
    sequence = models.PositiveIntegerField(
        _("revision"),
        default=0,
        editable=False,
        help_text=_("Raised on every change that calendars show (iCalendar SEQUENCE)."),
    )
    changed_at = models.DateTimeField(_("last changed"), auto_now=True)
    previous_starts_at = models.DateTimeField(
        _("previous start"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The start the event had before its advisory's last correction that moved it in "
            "time; empty if it was never moved once public."
        ),
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")),
                name="advisory_event_ends_on_or_after_start",
                violation_error_message=ENDS_BEFORE_START,
            ),
            models.CheckConstraint(
                condition=~Q(address="", online_url=""),
                name="advisory_event_has_a_place",
                violation_error_message=NOWHERE,
            ),
        ]

    def __str__(self):
        """“Briefing · Fri Jan 15, 2027 11:00 PST”: the start as the place's clocks read it."""
        return f"{self.release} · {desk_moment(self.starts_at, self.zone)}"

    def save(self, *args, **kwargs):
        """Raise ``sequence`` when something a calendar shows changed; a scheduled event whose
        time or place changed becomes “changed”. Cancelled, moved or back on once its advisory
        is public, it is news, saved only with a correction (``event_news.record``); moved in
        time so, it keeps the start it was moved from (``previous_starts_at``)."""
        if self.pk is not None:
            before = (
                type(self)
                .objects.filter(pk=self.pk)
                .values(*CALENDAR_FIELDS, "previous_starts_at")
                .first()
            )
            if before is not None:
                news = news_of_change(
                    before, {name: getattr(self, name) for name in CALENDAR_FIELDS}
                )
                if news is not None:
                    correction = event_news.record(release=self.release, change=news)
                    if correction is not None:
                        self._keep_where_it_moved_from(correction, before, news)
                moved = any(before[name] != getattr(self, name) for name in RESCHEDULING_FIELDS)
                # Put back on at another time or place, it is rescheduled too.
                if (
                    moved
                    and self.status == self.Status.SCHEDULED
                    and before["status"] in (self.Status.SCHEDULED, self.Status.CANCELLED)
                ):
                    self.status = self.Status.CHANGED
                if any(before[name] != getattr(self, name) for name in CALENDAR_FIELDS):
                    self.sequence += 1
        super().save(*args, **kwargs)

    def _keep_where_it_moved_from(
        self, correction: Correction, before: dict, news: Correction.EventChange
    ) -> None:
        """Keep the start the public knew before ``correction`` if it moves the event in time.
        Compared with the event as it was before the correction's first save of it, so that a
        script saving it twice in one correction keeps the start that was public, and one
        moving it there and back leaves it as it was. Put back on at the time last announced,
        it was moved from nothing the public still needs to know: the last news was that it
        is off."""
        public = event_news.before_correction(
            correction,
            {"starts_at": before["starts_at"], "previous": before["previous_starts_at"]},
        )
        if self.starts_at != public["starts_at"]:
            self.previous_starts_at = public["starts_at"]
        elif news == Correction.EventChange.REINSTATED:
            self.previous_starts_at = None
        else:
            self.previous_starts_at = public["previous"]

    def delete(self, *args, **kwargs):
        """An event removed from a public advisory is news, as a cancellation is."""
        event_news.record(release=self.release, change=Correction.EventChange.REMOVED)
        return super().delete(*args, **kwargs)

    def clean(self):
        release = getattr(self, "release", None)
        if release is not None and release.release_type != ReleaseType.MEDIA_ADVISORY:
            raise ValidationError(NOT_AN_ADVISORY, code="not-an-advisory")

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_cancelled(self) -> bool:
        """Cancelled by its editors, or its advisory withdrawn or unpublished."""
        return self.status == self.Status.CANCELLED or self.release.status in ENDINGS

    @property
    def moved_from(self) -> datetime | None:
        """The start the event was moved from, while it is rescheduled or cancelled (as
        schema.org's ``previousStartDate``); None for one happening as announced, or moved
        before the start was kept."""
        if self.status == self.Status.SCHEDULED and not self.is_cancelled:
            return None
        if self.previous_starts_at == self.starts_at:
            return None
        return self.previous_starts_at

    @property
    def calendar_sequence(self) -> int:
        """The SEQUENCE calendars see: a withdrawal is one more change, an unpublication
        (perhaps after a withdrawal) two."""
        return self.sequence + ENDINGS.get(self.release.status, 0)

    @property
    def place(self) -> str:
        """“National Press Theatre, 150 Wellington St, Ottawa”; the online link when there is
        no place at all."""
        return ", ".join(part for part in (self.venue, self.address) if part) or self.online_url
