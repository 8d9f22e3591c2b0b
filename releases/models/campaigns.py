"""Campaigns (often yearly editions of one name) and their visuals."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from releases.models.release import Release
from releases.models.slugs import (
    SLUG_HELP,
    clean_slugs,
    said_as_duplicate,
    unique_slug_constraints,
)
from releases.models.stored_image import StoredImage

# Shared by campaigns, spokespeople and topics: nothing is announced by association.
ANNOUNCE_NOW_LABEL = _("announce now")
ANNOUNCE_NOW_HELP = _(
    "Show it to the public now. Otherwise it stays unknown to the public (no page, list, "
    "feed or search) until one of its releases is public."
)
CAMPAIGN_EXISTS = _(
    "“%(title)s” already exists: change the edition, or give this one another web address."
)


class CampaignQuerySet(models.QuerySet):
    def public(self):
        """Campaigns the public may know of: one of their releases is on record, or an editor
        chose to announce the campaign now. Before that it answers as an unknown one does."""
        return self.filter(
            Q(announce_now=True)
            | Exists(
                Release.objects.published(include_withdrawn=True).filter(campaign=OuterRef("pk"))
            )
        )

    def featured(self, today: date | None = None) -> "Campaign | None":
        """The campaign to show on the home page: on now, else the next to start (one query).
        A past campaign is never featured as if current: it stays in the campaign list."""
        today = today or timezone.localdate()
        on_now = models.Q(start_date__lte=today, end_date__gte=today)
        return (
            self.filter(models.Q(end_date__gte=today) | models.Q(start_date__gt=today))
            .annotate(
                featured_rank=models.Case(
                    models.When(on_now, then=models.Value(0)), default=models.Value(1)
                )
            )
            .order_by("featured_rank", "start_date")
            .first()
        )


class Campaign(models.Model):
    """One edition of a public-awareness campaign, such as National Police Week 2021."""

    name = models.CharField(
        _("name"), max_length=200, help_text=_("The campaign's name, without the year.")
    )
    edition = models.PositiveSmallIntegerField(
        _("edition"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2200)],
        help_text=_("The year of this edition, e.g. 2021."),
    )
    # Unique in each language (``Meta.constraints``), not across them.
    slug = models.SlugField(_("slug"), max_length=200, help_text=SLUG_HELP)
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    description = models.TextField(_("description"), blank=True)
    hashtag = models.CharField(
        _("hashtag"),
        max_length=100,
        blank=True,
        validators=[
            RegexValidator(
                r"^#?\w+\Z",
                _("A hashtag is one word: letters, digits and underscores, without spaces."),
            )
        ],
        help_text=_("One word, such as PoliceWeek; a # typed before it is left out."),
    )
    announce_now = models.BooleanField(
        ANNOUNCE_NOW_LABEL, default=False, help_text=ANNOUNCE_NOW_HELP
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
            *unique_slug_constraints("campaign"),
        ]

    def __str__(self):
        return self.titled(self.name, self.edition)

    def get_absolute_url(self):
        return reverse("releases:campaign-detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        clean_slugs(self)
        self.hashtag = self.hashtag.removeprefix("#")

    def full_clean(self, *args, **kwargs):
        """Another edition with the same name and year is said to exist, on the edition."""
        try:
            super().full_clean(*args, **kwargs)
        except ValidationError as error:
            raise said_as_duplicate(self, error, on="edition", message=CAMPAIGN_EXISTS) from None

    @staticmethod
    def titled(name: str, edition: int | None) -> str:
        """A campaign's name with its edition (“National Police Week 2021”), wherever it is
        printed: here, and in the facets, which read the columns alone."""
        return f"{name} {edition}" if edition else name

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
        """Every public edition of the same recurring campaign, this one included, newest
        first."""
        root_id = self.first_edition_id or self.pk
        return Campaign.objects.public().filter(Q(pk=root_id) | Q(first_edition_id=root_id))


class CampaignVisualQuerySet(models.QuerySet):
    def public(self):
        """A campaign's visual shows once one of its releases is public, never before (not
        even for a campaign announced early: the visual may belong to the embargoed news)."""
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
