"""Email alerts: who asked for which releases, what the dispatcher has seen go public, and one
row per email owed, which is what makes sending exactly-once."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from releases.models import Campaign, Correction, Release, ReleaseType, Topic


def new_key() -> str:
    return secrets.token_urlsafe(16)


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("As soon as a release is published")
    DAILY = "daily", _("A daily digest")
    WEEKLY = "weekly", _("A weekly digest")


def stored_types(codes) -> str:
    """Chosen release types as ``Subscriber.release_types`` keeps them: ",news-release,statement,"
    (in the types' order), which ``interested_in`` matches with one LIKE."""
    codes = [code for code in ReleaseType.values if code in set(codes)]
    return f",{','.join(codes)}," if codes else ""


class SubscriberQuerySet(models.QuerySet):
    def active(self):
        """Confirmed, not unsubscribed, and mail to them has not hard-bounced: who gets mail."""
        return self.filter(
            confirmed_at__isnull=False, unsubscribed_at__isnull=True, bounced_at__isnull=True
        )

    def interested_in(self, release: Release):
        """Those whose choices take in ``release``: everything, its type, a topic of its or its
        campaign."""
        topic_ids = [topic.pk for topic in release.topics.all()]
        wanted = Q(everything=True) | Q(release_types__contains=f",{release.release_type},")
        if topic_ids:
            wanted |= Exists(
                Subscriber.topics.through.objects.filter(
                    subscriber=OuterRef("pk"), topic_id__in=topic_ids
                )
            )
        if release.campaign_id:
            wanted |= Exists(
                Subscriber.campaigns.through.objects.filter(
                    subscriber=OuterRef("pk"), campaign_id=release.campaign_id
                )
            )
        return self.filter(wanted)


class Subscriber(models.Model):
    """An address that asked for alerts, with its choices; it needs no account. Mail goes only
    to an address that confirmed (double opt-in) and has not left or bounced."""

    email = models.EmailField(_("email"), unique=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    everything = models.BooleanField(
        _("every release"),
        default=True,
        help_text=_("Every release; otherwise only the chosen types, topics and campaigns."),
    )
    # The chosen release types, as ",news-release,statement," (matched with one LIKE).
    release_types = models.CharField(_("release types"), max_length=200, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="+", verbose_name=_("topics"))
    campaigns = models.ManyToManyField(
        Campaign, blank=True, related_name="+", verbose_name=_("campaigns")
    )
    frequency = models.CharField(
        _("frequency"), max_length=20, choices=Frequency.choices, default=Frequency.IMMEDIATELY
    )
    # Part of every signed link: a new key (after erasure or on request) voids the old links.
    key = models.CharField(max_length=32, default=new_key, editable=False)
    created_at = models.DateTimeField(_("signed up"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    bounced_at = models.DateTimeField(
        _("hard bounce"),
        null=True,
        blank=True,
        help_text=_("Mail to this address bounced for good: nothing more is sent to it."),
    )
    last_confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self):
        return self.email

    @property
    def is_active(self) -> bool:
        return bool(self.confirmed_at and not self.unsubscribed_at and not self.bounced_at)

    def chosen_types(self) -> list[str]:
        return [code for code in self.release_types.strip(",").split(",") if code]

    def set_chosen_types(self, codes) -> None:
        self.release_types = stored_types(codes)

    def choices_summary(self) -> str:
        """What they receive, in words (for emails, the manage page and the consent record)."""
        if self.everything:
            return str(_("every release"))
        labels = dict(ReleaseType.choices)
        parts = [str(labels[code]) for code in self.chosen_types()]
        parts += [topic.name for topic in self.topics.all()]
        parts += [str(campaign) for campaign in self.campaigns.all()]
        return ", ".join(parts)


class Consent(models.Model):
    """A record of consent: when, to what, from which page, and when it was confirmed."""

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="consents", verbose_name=_("subscriber")
    )
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    statement = models.TextField(_("what they agreed to"))
    choices = models.JSONField(_("choices"), default=dict)
    source = models.CharField(_("from page"), max_length=500, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        ordering = ["given_at", "pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self):
        return f"{self.given_at:%Y-%m-%d %H:%M} · {self.source}"


class NoticeKind(models.TextChoices):
    NEW = "new", _("New release")
    CORRECTED = "corrected", _("Correction")
    WITHDRAWN = "withdrawn", _("Withdrawal")
    # Unpublished: it went out in error and was taken down (its address answers 410).
    UNPUBLISHED = "unpublished", _("Taken down (published in error)")


class Notice(models.Model):
    """Something subscribers hear about, as the dispatcher found it: a release that went public,
    a correction, a withdrawal, a release taken down as published in error. Its row is claimed
    once, so the fan-out to subscribers happens once even when two dispatchers run."""

    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="+", verbose_name=_("release")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    correction = models.ForeignKey(
        Correction, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    found_at = models.DateTimeField(_("found"), default=timezone.now)
    fanned_out_at = models.DateTimeField(_("emails queued"), null=True, blank=True)

    class Meta:
        ordering = ["-found_at", "-pk"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [
            models.UniqueConstraint(
                fields=["release", "kind"],
                condition=~Q(kind=NoticeKind.CORRECTED),
                name="alerts_notice_once_per_release",
            ),
            models.UniqueConstraint(
                fields=["correction"],
                condition=Q(kind=NoticeKind.CORRECTED),
                name="alerts_notice_once_per_correction",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.release}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Not sent")


class Delivery(models.Model):
    """One email owed to one subscriber about one release. The unique constraints are what make
    sending exactly-once: a worker claims the row, sends, then marks it sent; a row claimed but
    never marked (a worker died) is handed out again after ``ALERTS_CLAIM_TIMEOUT``."""

    subscriber = models.ForeignKey(
        Subscriber,
        on_delete=models.SET_NULL,  # erasure keeps the counts, not the person
        null=True,
        related_name="deliveries",
        verbose_name=_("subscriber"),
    )
    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="+", verbose_name=_("release")
    )
    # A release and its translations are one release to a subscriber: one email, in their
    # language when it exists.
    translation_group = models.UUIDField(editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    correction = models.ForeignKey(
        Correction, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    in_digest = models.BooleanField(_("in a digest"), default=False)
    state = models.CharField(
        _("state"), max_length=20, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    due_at = models.DateTimeField(_("due"), default=timezone.now)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Who holds the claim: a worker checks it is still theirs just before each email.
    claim = models.CharField(max_length=32, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    message_id = models.CharField(_("message id"), max_length=255, blank=True, db_index=True)
    # What the provider said later through its webhook: delivered, bounced, complained…
    outcome = models.CharField(_("provider's report"), max_length=20, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [models.Index(fields=["state", "due_at"], name="alerts_delivery_due_idx")]
        constraints = [
            # One alert per release (in whichever language) per subscriber.
            models.UniqueConstraint(
                fields=["translation_group", "subscriber", "kind"],
                condition=Q(kind=NoticeKind.NEW),
                name="alerts_delivery_once_per_release",
            ),
            models.UniqueConstraint(
                fields=["release", "subscriber", "kind"],
                condition=Q(kind=NoticeKind.WITHDRAWN),
                name="alerts_delivery_once_per_withdrawal",
            ),
            models.UniqueConstraint(
                fields=["release", "subscriber", "kind"],
                condition=Q(kind=NoticeKind.UNPUBLISHED),
                name="alerts_delivery_once_per_takedown",
            ),
            models.UniqueConstraint(
                fields=["correction", "subscriber"],
                condition=Q(kind=NoticeKind.CORRECTED),
                name="alerts_delivery_once_per_correction",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.release_id} → {self.subscriber_id}"


class DispatcherState(models.Model):
    """The dispatcher's memory: when it last looked (one row)."""

    last_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("dispatcher")
        verbose_name_plural = _("dispatcher")

    def __str__(self):
        return f"{self.last_run_at:%Y-%m-%d %H:%M:%S}" if self.last_run_at else "—"


class ReleaseAlerts(Release):
    """Releases as the alerts admin lists them: with the fate of their emails."""

    class Meta:
        proxy = True
        verbose_name = _("emails of a release")
        verbose_name_plural = _("emails of releases")
