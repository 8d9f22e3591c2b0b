"""The newsroom's domain: an organisation publishes releases, grouped in campaigns, quoting
its spokespeople."""

import hashlib
import uuid
from datetime import date
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from simple_history.models import HistoricalRecords

from releases.html import (
    BODY_EDITOR_EXTENSIONS,
    clean_control_characters,
    sanitize_body,
    split_blocks,
)
from releases.images import StoredImage
from releases.languages import long_date, of_organisation, time_of_day, zone_abbreviation


class Organisation(models.Model):
    """The organisation that runs the newsroom. There is one; it is data, not code."""

    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_("Full name, as printed at the top of every release."),
    )
    short_name = models.CharField(
        _("short name"), max_length=30, blank=True, help_text=_("Acronym, e.g. CACP.")
    )
    tagline = models.CharField(
        _("tagline"),
        max_length=300,
        blank=True,
        help_text=_("One sentence printed under the name in the release header."),
    )
    boilerplate = models.TextField(
        _("boilerplate"),
        blank=True,
        help_text=_("The “About” paragraph printed after the end mark of every release."),
    )
    website = models.URLField(_("website"), blank=True)
    end_mark = models.CharField(
        _("end mark"),
        max_length=10,
        default="-30-",
        help_text=_("Printed after the body: “-30-” in Canada, “###” in the US."),
    )
    default_media_contacts = models.ManyToManyField(
        "MediaContact",
        blank=True,
        related_name="+",
        verbose_name=_("default media contacts"),
        help_text=_("Shown on a release that names no contact of its own."),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisation")

    def __str__(self):
        return self.name

    @classmethod
    def current(cls) -> "Organisation | None":
        return cls.objects.prefetch_related("default_media_contacts").first()


class Topic(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("releases:topic", kwargs={"slug": self.slug})


class MediaContact(models.Model):
    """A person journalists can call; reused across releases."""

    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=200, blank=True, help_text=_("Job title."))
    organisation_name = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty when it is the newsroom's own organisation."),
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("media contact")
        verbose_name_plural = _("media contacts")

    def __str__(self):
        return f"{self.name} ({self.role})" if self.role else self.name


class CampaignQuerySet(models.QuerySet):
    def on_now(self, today: date | None = None):
        today = today or timezone.localdate()
        return self.filter(start_date__lte=today, end_date__gte=today)

    def featured(self, today: date | None = None) -> "Campaign | None":
        """The campaign to show on the home page: on now, else the next, else the latest
        (one query)."""
        today = today or timezone.localdate()
        on_now, upcoming, past = 0, 1, 2
        rank = models.Case(
            models.When(start_date__lte=today, end_date__gte=today, then=models.Value(on_now)),
            models.When(start_date__gt=today, then=models.Value(upcoming)),
            default=models.Value(past),
        )
        soonest_first = models.Case(
            models.When(start_date__gt=today, then=F("start_date")),
            models.When(end_date__gte=today, then=F("start_date")),
        )
        return (
            self.annotate(featured_rank=rank)
            .order_by("featured_rank", soonest_first.asc(nulls_last=True), "-start_date")
            .first()
        )


class Campaign(models.Model):
    """One edition of a public-awareness campaign, such as National Police Week 2021."""

    name = models.CharField(
        _("name"), max_length=200, help_text=_("The campaign's name, without the year.")
    )
    edition = models.PositiveSmallIntegerField(
        _("edition"), null=True, blank=True, help_text=_("The year of this edition, e.g. 2021.")
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    description = models.TextField(_("description"), blank=True)
    hashtag = models.CharField(
        _("hashtag"), max_length=100, blank=True, help_text=_("Without the #.")
    )
    first_edition = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="later_editions",
        verbose_name=_("first edition"),
        help_text=_(
            "For a recurring campaign, its first edition: editions that share it are listed "
            "together. Leave empty on the first edition itself."
        ),
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="campaign_ends_on_or_after_start",
                violation_error_message=_("A campaign cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.edition}" if self.edition else self.name

    def get_absolute_url(self):
        return reverse("releases:campaign-detail", kwargs={"slug": self.slug})

    def phase(self, today: date | None = None) -> str:
        today = today or timezone.localdate()
        if today < self.start_date:
            return "upcoming"
        if today > self.end_date:
            return "past"
        return "on-now"

    def phase_label(self):
        return {"upcoming": _("Upcoming"), "on-now": _("On now"), "past": _("Past")}[self.phase()]

    def editions(self):
        """Every edition of the same recurring campaign, this one included, newest first."""
        root_id = self.first_edition_id or self.pk
        return Campaign.objects.filter(Q(pk=root_id) | Q(first_edition_id=root_id))


class Spokesperson(models.Model):
    honorific = models.CharField(
        _("honorific"), max_length=40, blank=True, help_text=_("E.g. Chief, Dr., Deputy Chief.")
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(
        _("current title"),
        max_length=200,
        blank=True,
        help_text=_("E.g. President. Quotes keep the title given at the time."),
    )
    organisation_name = models.CharField(
        _("organisation"), max_length=200, blank=True, help_text=_("Where they hold that title.")
    )
    bio = models.TextField(_("short bio"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("spokesperson")
        verbose_name_plural = _("spokespeople")

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("releases:spokesperson-detail", kwargs={"slug": self.slug})

    @property
    def full_name(self):
        return f"{self.honorific} {self.name}".strip()

    def current_attribution(self, language: str | None = None) -> str:
        """“Chief Bryan Larkin, President of the Canadian Association of Chiefs of Police”;
        in French « Chef Bryan Larkin, président de l'Association canadienne des chefs de
        police », from the fields of that language (the active one unless given)."""
        with translation.override(language or translation.get_language()):
            title, organisation = self.title, self.organisation_name
            if title and organisation:
                role = of_organisation(title, organisation)
            else:
                role = title or organisation
            return f"{self.full_name}, {role}" if role else self.full_name


class ReleaseType(models.TextChoices):
    NEWS_RELEASE = "news-release", _("News release")
    MEDIA_ADVISORY = "media-advisory", _("Media advisory")
    STATEMENT = "statement", _("Statement")
    BACKGROUNDER = "backgrounder", _("Backgrounder")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in-review", _("In review")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    UNPUBLISHED = "unpublished", _("Unpublished (published in error)")


class ReleaseQuerySet(models.QuerySet):
    def published(self, *, include_withdrawn: bool = False):
        """The visibility rule, the only door to public releases.

        A release is public exactly when it is published and its publication time has come.
        A withdrawn release keeps its page and its place in the archives (marked as such), so
        pages that show the record ask for it with ``include_withdrawn``.
        """
        statuses = [Status.PUBLISHED, Status.WITHDRAWN] if include_withdrawn else [Status.PUBLISHED]
        return self.filter(status__in=statuses, publish_at__lte=timezone.now())

    def going_public_after(self, moment):
        """The other side of the rule: releases that ``published(include_withdrawn=True)`` will
        let in after ``moment``, with no write (what every cache lifetime is bounded by)."""
        return self.filter(status__in=[Status.PUBLISHED, Status.WITHDRAWN], publish_at__gt=moment)

    def gone(self):
        """Releases published in error and taken down: their addresses answer 410 Gone."""
        return self.filter(status=Status.UNPUBLISHED)

    def in_language(self, language: str | None = None):
        return self.filter(language=language or translation.get_language())

    def for_listing(self):
        """What a list of releases shows: the campaign, without the bodies."""
        return (
            self.select_related("campaign")
            .defer("body", "search_vector")
            .order_by("-publish_at", "-pk")
        )


class Release(models.Model):
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
        _("slug"),
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
            "Paste from a word processor: headings, paragraphs, lists, links, bold and italic are "
            "kept, everything else is removed. Quotes are added below and placed between "
            "paragraphs."
        ),
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="releases",
        verbose_name=_("campaign"),
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="releases", verbose_name=_("topics")
    )
    media_contacts = models.ManyToManyField(
        MediaContact,
        blank=True,
        related_name="releases",
        verbose_name=_("media contacts"),
        help_text=_("Leave empty to show the organisation's default contacts."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    publish_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the release goes public; the embargo lifts at this minute."),
    )
    publication_date = models.DateField(
        _("publication date"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The date part of the publication time, in the newsroom's time zone."),
    )
    updated_at = models.DateTimeField(
        _("publicly updated"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Changes only with a correction, never with a minor edit."),
    )
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    modified_at = models.DateTimeField(_("modified"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    # Kept current by releases.search.refresh_search_vectors (PostgreSQL only; NULL on SQLite).
    # Its GIN index is created by migration 0005_search_vector on PostgreSQL only.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ReleaseQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["modified_at", "version", "search_vector"])

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
            # The next scheduled go-live (releases/caching.py) and lists across languages.
            models.Index(fields=["publish_at"], name="release_publish_at_idx"),
            models.Index(fields=["publication_date"], name="release_pubdate_idx"),
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
        self.headline = clean_control_characters(self.headline)
        self.subheadline = clean_control_characters(self.subheadline)
        self.summary = clean_control_characters(self.summary)
        self.body = sanitize_body(self.body)
        self.derive_publication_date()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self._dated_url("releases:detail")

    def get_text_url(self):
        """The plain-text (wire format) version of the page."""
        return self._dated_url("releases:detail-text")

    def _dated_url(self, name):
        day = self.publication_date or timezone.localdate()
        with translation.override(self.language):
            return reverse(
                name,
                kwargs={
                    "year": day.year,
                    "month": f"{day.month:02d}",
                    "day": f"{day.day:02d}",
                    "slug": self.slug,
                },
            )

    def clean(self):
        if self.release_type and self.release_type not in ReleaseType.values:
            raise ValidationError({"release_type": _("Choose a type from the list.")})

    def derive_publication_date(self) -> None:
        """The date part of ``publish_at`` in the newsroom's zone (needed before validation)."""
        self.publication_date = timezone.localdate(self.publish_at) if self.publish_at else None

    @property
    def is_published(self) -> bool:
        """Mirrors ``ReleaseQuerySet.published()`` for one release already in memory."""
        return (
            self.status == Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

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
        return (
            self.status in (Status.PUBLISHED, Status.WITHDRAWN)
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    @property
    def is_withdrawn(self) -> bool:
        return self.status == Status.WITHDRAWN

    @property
    def distribution_line(self) -> str:
        """“FOR IMMEDIATE RELEASE” once public; “EMBARGOED UNTIL …” while it waits."""
        with translation.override(self.language):
            if self.publish_at and self.publish_at > timezone.now():
                return str(
                    _("EMBARGOED UNTIL %(time)s %(zone)s, %(date)s")
                    % {
                        "time": time_of_day(
                            self.publish_at, pgettext("embargo time format", "H:i")
                        ),
                        "zone": zone_abbreviation(self.publish_at),
                        "date": long_date(
                            self.publish_at, pgettext("embargo date format", "F j, Y")
                        ),
                    }
                )
            return str(_("FOR IMMEDIATE RELEASE"))

    @property
    def dateline(self) -> str:
        """“Ottawa, ON, May 9, 2021” in English; “Ottawa (Ontario), le 9 mai 2021” in French.

        Print it followed by an en dash and the lead."""
        day = self.publication_date or timezone.localdate()
        with translation.override(self.language):
            if self.language == "fr":
                place = (
                    f"{self.dateline_city} ({self.dateline_region})"
                    if self.dateline_region
                    else self.dateline_city
                )
                return f"{place}, le {long_date(day)}"
            place = ", ".join(p for p in (self.dateline_city, self.dateline_region) if p)
            return f"{place}, {date_format(day, 'F j, Y')}"

    @property
    def last_public_change(self):
        return self.updated_at or self.publish_at

    @cached_property
    def feed_id(self) -> str:
        """A tag URI that never changes, whatever happens to the slug, title or date."""
        host = urlsplit(settings.SITE_URL).hostname or "localhost"
        return f"tag:{host},{self.created_at:%Y-%m-%d}:release/{self.pk}"

    def body_with_quotes(self):
        """The body's blocks with each quote placed after the paragraph it follows."""
        blocks = [{"html": block} for block in split_blocks(sanitize_body(self.body))]
        quotes = sorted(self.quotes.all(), key=lambda q: (q.position, q.pk))
        placed = []
        for index, block in enumerate(blocks, start=1):
            placed.append(block)
            placed.extend({"quote": q} for q in quotes if q.position == index)
        placed.extend({"quote": q} for q in quotes if q.position > len(blocks) or q.position < 1)
        return placed

    @property
    def lead_image(self) -> "ReleaseImage | None":
        """The first of the release's images (prefetch ``images`` when showing many)."""
        return next(iter(self.images.all()), None)

    @property
    def gallery_images(self) -> list["ReleaseImage"]:
        return list(self.images.all())[1:]

    @property
    def social_image(self):
        """The lead image's 1200×630 card for ``og:image`` (url, absolute_url, width, height,
        alt), or None."""
        lead = self.lead_image
        return lead.social_image if lead else None

    @property
    def has_press_kit(self) -> bool:
        return bool(self.images.all() or self.documents.all())

    def get_press_kit_url(self) -> str:
        return reverse("files:press-kit", kwargs={"pk": self.pk})


class Quote(models.Model):
    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="quotes", verbose_name=_("release")
    )
    spokesperson = models.ForeignKey(
        Spokesperson,
        on_delete=models.PROTECT,
        related_name="quotes",
        verbose_name=_("spokesperson"),
    )
    text = models.TextField(
        _("words"),
        help_text=_("The words only, without quotation marks; they are added in print."),
    )
    attribution = models.CharField(
        _("attribution"),
        max_length=300,
        blank=True,
        help_text=_(
            "As given at the time, e.g. “Chief Bryan Larkin, President of the Canadian "
            "Association of Chiefs of Police”. Left empty, it is filled from the spokesperson's "
            "current title and then kept as it is."
        ),
    )
    position = models.PositiveSmallIntegerField(
        _("after paragraph"),
        default=1,
        help_text=_("The quote is printed after this paragraph of the body (1 = the first)."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")

    def __str__(self):
        return f"“{self.text[:60]}…” — {self.attribution}"

    def save(self, *args, **kwargs):
        self.text = clean_control_characters(self.text).strip().strip('"“”«» ')
        if not self.attribution and self.spokesperson_id:
            self.attribution = self.spokesperson.current_attribution(self.release.language)
        super().save(*args, **kwargs)

    def printed(self) -> dict:
        """The words in the release language's quotation marks, and the verb that follows:
        “…,” said … in English; « … », a déclaré … in French."""
        words = self.text.rstrip()
        with translation.override(self.release.language):
            if self.release.language == "fr":
                words = words.removesuffix(".").rstrip()
                return {"words": f"«\u00a0{words}\u00a0»,", "verb": gettext("said")}
            if words.endswith("."):
                words = words[:-1]
            if not words.endswith(("?", "!", ",")):
                words += ","
            return {"words": f"“{words}”", "verb": gettext("said")}


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

    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="events", verbose_name=_("release")
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("release event")
        verbose_name_plural = _("release events")

    def __str__(self):
        return f"{self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"


class Correction(models.Model):
    """A public, dated note saying what a correction changed; shown on the page and in feeds."""

    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("release")
    )
    note = models.TextField(
        _("public note"), help_text=_("What was wrong and what it now says; shown publicly.")
    )
    corrected_at = models.DateTimeField(_("corrected at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
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


class PreviewLink(models.Model):
    """A signed, expiring and revocable link for a reviewer without an account."""

    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="preview_links", verbose_name=_("release")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("preview link")
        verbose_name_plural = _("preview links")

    def __str__(self):
        return f"{self.release} · {self.expires_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class ReleaseFileQuerySet(models.QuerySet):
    def public(self):
        """The files of releases on the public record: the visibility rule, through the one
        door (a withdrawn release keeps its page, so it keeps its files)."""
        return self.filter(release__in=Release.objects.published(include_withdrawn=True))


class ReleaseImage(StoredImage):
    """An image of a release: the first is the lead image, the others form the gallery."""

    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="images", verbose_name=_("release")
    )
    position = models.PositiveSmallIntegerField(
        _("order"),
        default=0,
        help_text=_("The first image is the lead image; the others form the gallery."),
    )

    objects = ReleaseFileQuerySet.as_manager()
    file_view_name = "files:release-image"

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("image")
        verbose_name_plural = _("images")


class CampaignVisualQuerySet(models.QuerySet):
    def public(self):
        """A campaign's visual shows once one of its releases is public, never before."""
        return self.filter(
            Exists(
                Release.objects.published(include_withdrawn=True).filter(
                    campaign=OuterRef("campaign")
                )
            )
        )


class CampaignVisual(StoredImage):
    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, related_name="visual", verbose_name=_("campaign")
    )

    objects = CampaignVisualQuerySet.as_manager()
    file_view_name = "files:campaign-visual"

    class Meta:
        verbose_name = _("campaign visual")
        verbose_name_plural = _("campaign visuals")


class SpokespersonHeadshot(StoredImage):
    spokesperson = models.OneToOneField(
        Spokesperson,
        on_delete=models.CASCADE,
        related_name="headshot",
        verbose_name=_("spokesperson"),
    )

    file_view_name = "files:headshot"

    class Meta:
        verbose_name = _("headshot")
        verbose_name_plural = _("headshots")


class DocumentKind(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (DOCX)"


class ReleaseDocument(models.Model):
    """A PDF (or Word) attachment, stored under a generated name and served by
    ``releases.file_views`` only while its release is public."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="documents", verbose_name=_("release")
    )
    title = models.CharField(
        _("title"), max_length=200, help_text=_("As readers see it, e.g. “Fact sheet”.")
    )
    file = models.FileField(_("file"), max_length=255, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=DocumentKind.choices, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0, editable=False)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = ReleaseFileQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Store a new upload (``pending_upload``: kind and bytes) under a generated name before
        the row; remove it again if the row cannot be saved."""
        pending = getattr(self, "pending_upload", None)
        if pending is None:
            return super().save(*args, **kwargs)
        kind, data = pending
        replaced = self.file.name
        fingerprint = hashlib.sha256(data).hexdigest()[:16]
        name = default_storage.save(f"documents/{self.key}/{fingerprint}.{kind}", ContentFile(data))
        self.file.name, self.kind, self.size = name, kind, len(data)
        try:
            super().save(*args, **kwargs)
        except Exception:
            default_storage.delete(name)
            raise
        self.pending_upload = None
        if replaced and replaced != name:
            transaction.on_commit(lambda: default_storage.delete(replaced))

    def get_absolute_url(self) -> str:
        return reverse("files:document", kwargs={"key": self.key, "name": self.download_name})

    @property
    def download_name(self) -> str:
        return f"{slugify(self.title) or 'document'}.{self.kind}"
