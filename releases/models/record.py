"""What happened to a release: its events, corrections, old addresses and preview links."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from releases.models.release import Release, user_on_record

# The workflow's own note on a publication dated in the past, kept in one form whatever the
# desk's language, followed by the moment in ISO 8601; shown translated
# (``releases.workflow.states.record_note``).
BACKDATED_NOTE = "backdated to "


class ReleaseEvent(models.Model):
    """One transition of a release, with who made it: the workflow's log."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        EDITED = "edited", _("Edited")
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Returned to draft")
        APPROVED = "approved", _("Approved")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        MINOR_EDIT = "minor-edit", _("Minor edit")
        CORRECTED = "corrected", _("Corrected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        UNPUBLISHED = "unpublished", _("Unpublished")
        RESTORED = "restored", _("Restored from a revision")
        PREVIEW_LINK = "preview-link", _("Preview link created")
        PREVIEW_REVOKED = "preview-revoked", _("Preview link revoked")
        REVIEW_APPROVED = "review-approved", _("Approved by an outside reviewer")
        REVIEW_CHANGES = "review-changes", _("Changes asked by an outside reviewer")

    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="events", verbose_name=_("release")
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = user_on_record(_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    # The link an outside reviewer answered through (their verdicts only).
    preview_link = models.ForeignKey(
        "PreviewLink",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="verdicts",
        verbose_name=_("preview link"),
    )
    # The fingerprint of the words an outside reviewer read (their verdicts only):
    # ``releases.workflow.reviews.words_fingerprint``.
    words_read = models.CharField(_("words read"), max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("release event")
        verbose_name_plural = _("release events")

    def __str__(self):
        return f"{self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"

    @classmethod
    def backdated_note(cls, moment: datetime) -> str:
        return f"{BACKDATED_NOTE}{moment.isoformat()}"


class Correction(models.Model):
    """A public, dated note saying what a correction changed; shown on the page and in feeds."""

    class EventChange(models.TextChoices):
        """What a correction did to its advisory's event: each is news to those who received
        the advisory, and its alert says so first."""

        CANCELLED = "cancelled", _("Event cancelled")
        REINSTATED = "reinstated", _("Event reinstated")
        MOVED = "moved", _("Event moved in time or place")
        REMOVED = "removed", _("Event removed from the advisory")

    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("release")
    )
    note = models.TextField(
        _("public note"), help_text=_("What was wrong and what it now says; shown publicly.")
    )
    corrected_at = models.DateTimeField(_("corrected at"), default=timezone.now)
    by = user_on_record(_("by"))
    event_change = models.CharField(
        _("change to the event"), max_length=20, choices=EventChange.choices, blank=True
    )

    class Meta:
        ordering = ["corrected_at", "pk"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self):
        return self.note[:80]


class ReleaseRedirect(models.Model):
    """An address a public release had before its slug or date changed; it answers 301."""

    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="old_addresses", verbose_name=_("release")
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    publication_date = models.DateField(_("old publication date"))
    slug = models.SlugField(_("old slug"), max_length=200)

    class Meta:
        verbose_name = _("old release address")
        verbose_name_plural = _("old release addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["language", "publication_date", "slug"],
                name="release_redirect_unique_address",
            ),
        ]

    def __str__(self):
        return f"{self.language}/{self.publication_date}/{self.slug}"


class FormerSlugQuerySet(models.QuerySet):
    def of(self, model, slug: str, language: str | None = None):
        """The former slug ``slug`` of a ``model`` (Campaign, Topic, Spokesperson) in
        ``language`` (the active one when not given), if any."""
        language = language or translation.get_language() or settings.LANGUAGE_CODE
        return self.filter(kind=model._meta.model_name, language=language, slug=slug)


class FormerSlug(models.Model):
    """An address a campaign, topic or spokesperson had in a language before its slug there
    changed: its page and feeds in that language answer 301 there, since subscribers and other
    sites keep the old addresses. A spokesperson's slug is the same in every language: each
    language's old address has its row."""

    # The model's name, which the admin and the redirects look it up by.
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=[
            ("campaign", _("campaign")),
            ("topic", _("topic")),
            ("spokesperson", _("spokesperson")),
        ],
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    slug = models.SlugField(_("old slug"), max_length=200)
    object_id = models.PositiveBigIntegerField(_("now at"))

    objects = FormerSlugQuerySet.as_manager()

    class Meta:
        verbose_name = _("old address")
        verbose_name_plural = _("old addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "language", "slug"], name="former_slug_unique_in_language"
            ),
        ]

    def __str__(self):
        return f"{self.language}/{self.kind}/{self.slug}"


class PreviewLinkQuerySet(models.QuerySet):
    def active(self):
        """Links that still work: neither revoked nor expired (``PreviewLink.is_active``)."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class PreviewLink(models.Model):
    """A signed, expiring and revocable link for a reviewer without an account; who may
    preview what is decided in ``releases.workflow.previews``."""

    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="preview_links", verbose_name=_("release")
    )
    created_by = user_on_record(_("created by"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    reviewer = models.CharField(
        _("reviewer"),
        max_length=200,
        blank=True,
        help_text=_(
            "Who the link is for, e.g. “Legal: Jane Smith”; their verdict is recorded in the "
            "release's history under this name."
        ),
    )

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("preview link")
        verbose_name_plural = _("preview links")

    def __str__(self):
        return f"{self.release} · {self.expires_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        """The rule of ``PreviewLinkQuerySet.active``, for a link already loaded."""
        return self.revoked_at is None and self.expires_at > timezone.now()
