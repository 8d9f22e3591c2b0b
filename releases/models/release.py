"""The release: its fields, its states and the one visibility rule."""

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Coalesce, Substr
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from simple_history.models import HistoricalRecords

from releases.models.printed import PrintedRelease
from releases.text.html import (
    BODY_EDITOR_EXTENSIONS,
    drop_control_characters,
    sanitize_body,
)


def contacts_shown(own: list, defaults: list) -> list:
    """Whom a release tells journalists to call: its own media contacts, else the
    organisation's default ones (``Release.media_contacts_shown``; the feeds read both as
    values)."""
    return own or list(defaults)


def dated_url_kwargs(publication_date, slug: str) -> dict:
    """The arguments of a release's dated addresses (/2021/05/09/slug/): a release not yet
    dated is addressed by today."""
    day = publication_date or timezone.localdate()
    return {"year": day.year, "month": f"{day.month:02d}", "day": f"{day.day:02d}", "slug": slug}


class ReleaseType(models.TextChoices):
    NEWS_RELEASE = "news-release", _("News release")
    MEDIA_ADVISORY = "media-advisory", _("Media advisory")
    STATEMENT = "statement", _("Statement")
    BACKGROUNDER = "backgrounder", _("Backgrounder")

    @classmethod
    def translated_labels(cls) -> dict[str, str]:
        """Each type's name in the active language, translated once for a page that prints
        dozens (a lazy label is translated again each time it is printed)."""
        return {value: str(label) for value, label in cls.choices}


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in-review", _("In review")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    UNPUBLISHED = "unpublished", _("Unpublished (published in error)")


# Published and withdrawn releases stay on record: their pages remain.
ON_RECORD = [Status.PUBLISHED, Status.WITHDRAWN]


class ReleaseQuerySet(models.QuerySet):
    def published(self, *, include_withdrawn: bool = False, include_unpublished: bool = False):
        """The visibility rule, the only door to public releases.

        A release is public exactly when it is published and its publication time has come.
        A withdrawn release keeps its page (with its banner), so what shows the record asks for
        it with ``include_withdrawn``; it leaves every list and feed. A release unpublished as
        published in error shows nothing: only what must take back where it went (a calendar
        cancels its event) asks for it with ``include_unpublished``, and tells nothing of it
        but that (``Release.is_on_record`` is false for it).
        """
        statuses = ON_RECORD if include_withdrawn else [Status.PUBLISHED]
        if include_unpublished:
            statuses = [*statuses, Status.UNPUBLISHED]
        return self.filter(status__in=statuses, publish_at__lte=timezone.now())

    def going_public_after(self, moment):
        """The other side of the rule: releases that ``published(include_withdrawn=True)`` will
        let in after ``moment``, with no write (what every cache lifetime is bounded by)."""
        return self.filter(status__in=ON_RECORD, publish_at__gt=moment)

    def twins_of(self, release, *, including_itself: bool = False):
        """The other language versions of ``release``: its translation group, by language."""
        twins = self.filter(translation_group=release.translation_group).order_by("language")
        return twins if including_itself else twins.exclude(pk=release.pk)

    def first_go_live_after(self, moment):
        """When the next release becomes public after ``moment`` (None when none is scheduled):
        one indexed query. Withdrawn releases count too: their pages appear in the archives at
        their time."""
        return (
            self.going_public_after(moment)
            .order_by("publish_at")
            .values_list("publish_at", flat=True)
            .first()
        )

    def _moment_of(self, status: Status, action: str):
        """When the workflow's record (``action``) says each row in ``status`` came to it; None
        for a row in another state, or put in it outside the workflow (seeded data). Only a
        row in ``status`` looks its record up."""
        record = self.model._meta.get_field("events").related_model  # ReleaseEvent
        records = record.objects.filter(release=models.OuterRef("pk"), action=action)
        moment = models.Subquery(records.order_by("-at", "-pk").values("at")[:1])
        return Case(When(status=status, then=moment))

    def with_withdrawn_at(self):
        """Annotate ``withdrawn_at``: when each withdrawn release was withdrawn
        (``publishing.withdraw``), which ``last_public_change`` then reads."""
        action = self.model._meta.get_field("events").related_model.Action.WITHDRAWN
        return self.annotate(withdrawn_at=self._moment_of(Status.WITHDRAWN, action))

    def with_unpublished_at(self):
        """Annotate ``unpublished_at``: when each unpublished release was unpublished
        (``publishing.unpublish``), which ``last_public_change`` then reads."""
        action = self.model._meta.get_field("events").related_model.Action.UNPUBLISHED
        return self.annotate(unpublished_at=self._moment_of(Status.UNPUBLISHED, action))

    def gone(self):
        """Releases published in error and taken down: their addresses answer 410 Gone."""
        return self.filter(status=Status.UNPUBLISHED)

    def quoting(self, spokesperson):
        """The releases quoting ``spokesperson`` (an instance or a pk), each once."""
        return self.filter(quotes__spokesperson=spokesperson).distinct()

    def formerly_at(self, language: str, publication_date, slug: str):
        """The release whose address this was before its slug or date changed (``old_addresses``:
        an address is one release's at most)."""
        return self.filter(
            old_addresses__language=language,
            old_addresses__publication_date=publication_date,
            old_addresses__slug=slug,
        )

    def in_language(self, language: str | None = None):
        return self.filter(language=language or translation.get_language())

    def for_listing(self):
        """What a list of releases shows: the campaign, an advisory's event's status (its card
        says when it is cancelled or changed), without the bodies."""
        return (
            self.select_related("campaign")
            .with_event_status()
            .without_bodies()
            .order_by("-publish_at", "-pk")
        )

    def with_event_status(self):
        """Annotate ``event_status``: an advisory's event's, no query of its own. A subquery by
        the event's unique release index, run for the rows the page keeps, not a join that
        PostgreSQL may answer by reading every event."""
        event = self.model._meta.get_field("advisory_event").related_model  # AdvisoryEvent
        status = event.objects.filter(release=models.OuterRef("pk")).values("status")[:1]
        return self.annotate(event_status=models.Subquery(status))

    def without_bodies(self):
        """Rows without their (out-of-line) bodies; a release with no summary brings the
        body's start, enough for its card's first sentence (the others never read the body)."""
        lead_start = Case(When(summary="", then=Substr("body", 1, 600)), default=Value(""))
        return self.defer("body", "search_vector").annotate(lead_start=lead_start)


def user_on_record(verbose_name, **options) -> models.ForeignKey:
    """Who did something. The record outlives the account: deleting the user leaves it empty."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
        **options,
    )


def _set_by_publishing(field_class, verbose_name, help_text):
    """A field only releases.workflow.publishing sets: empty until then, in no form."""
    return field_class(verbose_name, null=True, blank=True, editable=False, help_text=help_text)


class Release(PrintedRelease, models.Model):
    """A press release in one language; its translation is another release of the same group."""

    headline = models.CharField(
        _("headline"),
        max_length=200,
        help_text=_("Title case in English, sentence case in French; 95 characters or fewer."),
    )
    subheadline = models.CharField(
        _("subheadline"),
        max_length=300,
        blank=True,
        help_text=_("Optional; one line that adds to the headline."),
    )
    slug = models.SlugField(
        # As the desk labels its field (releases.workflow.desk_admin), read-only views too.
        _("web address"),
        max_length=200,
        allow_unicode=False,
        help_text=_("The last part of the address; unique for its publication date."),
    )
    release_type = models.CharField(
        _("type"), max_length=20, choices=ReleaseType.choices, default=ReleaseType.NEWS_RELEASE
    )
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    translation_group = models.UUIDField(
        _("translation group"),
        default=uuid.uuid4,
        editable=False,
        help_text=_("Releases that are translations of each other share this value."),
    )
    dateline_city = models.CharField(
        _("dateline city"), max_length=100, help_text=_("Where the news comes from, e.g. Ottawa.")
    )
    dateline_region = models.CharField(
        _("dateline province or region"),
        max_length=100,
        blank=True,
        help_text=_("As written in this language: “ON” in English, “Ontario” in French."),
    )
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_(
            "One or two sentences for search engines, link previews and feeds. "
            "Leave empty to use the start of the body."
        ),
    )
    body = ProseEditorField(
        _("body"),
        extensions=BODY_EDITOR_EXTENSIONS,
        sanitize=True,
        blank=True,
        help_text=_(
            "Paste from Word, LibreOffice or Google Docs: headings, paragraphs, lists, tables, "
            "links, bold, italic, sub- and superscript are kept; anything else is removed, and "
            "a note says so. Quotes are added below and placed between paragraphs."
        ),
    )
    campaign = models.ForeignKey(
        "Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="releases",
        verbose_name=_("campaign"),
    )
    topics = models.ManyToManyField(
        "Topic", blank=True, related_name="releases", verbose_name=_("topics")
    )
    media_contacts = models.ManyToManyField(
        "MediaContact",
        blank=True,
        related_name="releases",
        verbose_name=_("media contacts"),
        help_text=_("Leave empty to show the organisation's default contacts."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    publish_at = _set_by_publishing(
        models.DateTimeField,
        _("publication time"),
        _("When the release goes public; the embargo lifts at this minute."),
    )
    publication_date = _set_by_publishing(
        models.DateField,
        _("publication date"),
        _("The date part of the publication time, in the newsroom's time zone."),
    )
    updated_at = _set_by_publishing(
        models.DateTimeField,
        _("publicly updated"),
        _("Changes only with a correction, never with a minor edit."),
    )
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True, editable=False)
    needs_translation = models.BooleanField(
        _("needs translation"),
        default=False,
        db_default=False,  # rows written by SQL alone (bulk loads, imports) are translated
        help_text=_(
            "Ticked while this version still has to be translated, or brought up to date after "
            "the other language changed. Untick it when the translation is done."
        ),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    modified_at = models.DateTimeField(_("modified"), auto_now=True)
    created_by = user_on_record(_("created by"), editable=False)
    # Kept current by releases.search.index.refresh_search_vectors (PostgreSQL only; NULL on
    # SQLite).
    # Its GIN index is created by migration 0005_search_vector on PostgreSQL only.
    search_vector = SearchVectorField(null=True, editable=False)
    # A copy of ``CountedRelease.values`` (NULL while not counted), written with it in the same
    # transaction (releases.search.counts): a search reads the values of its thousands of
    # matches from the rows it found, not with a lookup each.
    counted_values = models.JSONField(null=True, editable=False)

    objects = ReleaseQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["modified_at", "version", "search_vector", "counted_values"]
    )

    class Meta:
        ordering = ["-publish_at", "-pk"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        get_latest_by = "publish_at"
        permissions = [
            ("approve_release", _("Can approve or return releases in review")),
            ("publish_release", _("Can schedule, publish, backdate and correct releases")),
            ("withdraw_release", _("Can withdraw or unpublish releases")),
            ("preview_release", _("Can preview releases and send preview links")),
        ]
        indexes = [
            # Every public list: newest first within a language (id breaks ties for keysets).
            models.Index(
                fields=["language", "status", "-publish_at", "-id"], name="release_public_order_idx"
            ),
            models.Index(
                fields=["campaign", "language", "status", "-publish_at", "-id"],
                name="release_campaign_listing_idx",
            ),
            models.Index(
                fields=["release_type", "language", "status", "-publish_at", "-id"],
                name="release_type_listing_idx",
            ),
            # The next scheduled go-live (first_go_live_after) and lists across languages.
            models.Index(fields=["publish_at"], name="release_publish_at_idx"),
            models.Index(fields=["publication_date"], name="release_pubdate_idx"),
            # The sitemaps' last modifications: the newest public change, overall and by
            # campaign, found at the top of an index instead of by sorting every release.
            models.Index(
                Coalesce("updated_at", "publish_at").desc(), name="release_last_change_idx"
            ),
            models.Index(
                "campaign",
                Coalesce("updated_at", "publish_at").desc(),
                name="release_campaign_change_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "publication_date", "slug"],
                name="release_slug_unique_per_date_and_language",
                violation_error_message=_(
                    "Another release in this language already uses this slug on that date."
                ),
            ),
            models.UniqueConstraint(
                fields=["translation_group", "language"],
                name="release_one_translation_per_language",
                violation_error_message=_(
                    "This release already has a translation in that language."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values),
                name="release_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[Status.PUBLISHED, Status.WITHDRAWN])
                | Q(publish_at__isnull=False),
                name="release_published_has_time",
                violation_error_message=_("A published release needs a publication time."),
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        self.normalize_words()
        self.derive_publication_date()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self._dated_url("releases:detail")

    def get_text_url(self):
        """The plain-text (wire format) version of the page."""
        return self._dated_url("releases:detail-text")

    def normalize_words(self) -> None:
        """The words as they are stored: control characters gone, the body sanitised (so that
        two spellings of the same text, ``&nbsp;`` or U+00A0, ``<b>`` or ``<strong>``, are one)."""
        drop_control_characters(self)
        self.body = sanitize_body(self.body)

    def _dated_url(self, name):
        kwargs = dated_url_kwargs(self.publication_date, self.slug)
        if self.language == translation.get_language():  # a list's every card, mostly
            return reverse(name, kwargs=kwargs)
        with translation.override(self.language):
            return reverse(name, kwargs=kwargs)

    def clean(self):
        if self.release_type and self.release_type not in ReleaseType.values:
            raise ValidationError({"release_type": _("Choose a type from the list.")})

    def derive_publication_date(self) -> None:
        """The date part of ``publish_at`` in the newsroom's zone (needed before validation)."""
        self.publication_date = timezone.localdate(self.publish_at) if self.publish_at else None

    def _time_has_come(self) -> bool:
        return self.publish_at is not None and self.publish_at <= timezone.now()

    @property
    def is_published(self) -> bool:
        """Mirrors ``ReleaseQuerySet.published()`` for one release already in memory."""
        return self.status == Status.PUBLISHED and self._time_has_come()

    is_published.fget.boolean = True
    is_published.fget.short_description = _("public")

    @property
    def is_scheduled(self) -> bool:
        return self.status == Status.PUBLISHED and bool(self.publish_at) and not self.is_published

    @property
    def is_schedulable(self) -> bool:
        """Ready for a go-live time (in review or approved), or already waiting for one."""
        return self.status in (Status.IN_REVIEW, Status.APPROVED) or self.is_scheduled

    @property
    def is_on_record(self) -> bool:
        """Mirrors ``published(include_withdrawn=True)``: public, or withdrawn but kept."""
        return self.status in ON_RECORD and self._time_has_come()

    @property
    def is_withdrawn(self) -> bool:
        return self.status == Status.WITHDRAWN

    def media_contacts_shown(self, organisation) -> list:
        """Whom the release tells journalists to call: its own media contacts (prefetch them),
        else the organisation's default ones."""
        own = list(self.media_contacts.all())
        if own or organisation is None:
            return own  # the organisation's defaults not read: a query of their own
        return contacts_shown(own, organisation.default_contacts)
