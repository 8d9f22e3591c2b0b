"""How a release reads in print: distribution line, dateline, body with its quotes, images."""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from releases.text.html import (
    first_sentence,
    is_paragraph,
    plain_text,
    sanitized_blocks,
)
from releases.text.languages import long_date, time_of_day, zone_abbreviation


def feed_id_of(pk: int, created_at) -> str:
    """The ``feed_id`` of the release ``pk`` created at ``created_at``."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"tag:{host},{created_at:%Y-%m-%d}:release/{pk}"


class PrintedRelease:
    """The parts of a release as readers see them, for ``Release`` (which this mixes into)."""

    @property
    def distribution_line(self) -> str:
        """“FOR IMMEDIATE RELEASE” once public; “EMBARGOED UNTIL …” while it waits."""
        with translation.override(self.language):
            if self.publish_at and self.publish_at > timezone.now():
                return str(
                    _("EMBARGOED UNTIL %(time)s %(zone)s, %(date)s")
                    % {
                        "time": time_of_day(self.publish_at, "EMBARGO_TIME_FORMAT"),
                        "zone": zone_abbreviation(self.publish_at),
                        "date": long_date(self.publish_at, "EMBARGO_DATE_FORMAT"),
                    }
                )
            return str(_("FOR IMMEDIATE RELEASE"))

    @property
    def dateline_place(self) -> str:
        """“Ottawa, ON” in English; “Ottawa (Ontario)” in French: where the release is from."""
        if self.language == "fr" and self.dateline_region:
            return f"{self.dateline_city} ({self.dateline_region})"
        return ", ".join(part for part in (self.dateline_city, self.dateline_region) if part)

    @property
    def dateline(self) -> str:
        """“Ottawa, ON, May 9, 2021” in English (“London, 9 May 2021” in a UK newsroom's:
        ``ENGLISH_FORMATS``); “Ottawa (Ontario), le 9 mai 2021” in French.

        Print it followed by an en dash and the lead."""
        day = self.publication_date or timezone.localdate()
        with translation.override(self.language):
            return f"{self.dateline_place}, {long_date(day, 'DATELINE_DATE_FORMAT')}"

    @property
    def last_public_change(self):
        """When readers last saw the release change: published, corrected, withdrawn (its
        page then carries the banner) or unpublished (its event then leaves calendars). The
        one answer of the page, the API, ninjs, oEmbed and the calendars: the rows they read
        a withdrawn or unpublished release from carry that moment (``withdrawn_at``,
        ``unpublished_at``: ``with_withdrawn_at()``, ``with_unpublished_at()``)."""
        changed = self.updated_at or self.publish_at
        ended = getattr(self, "withdrawn_at", None) or getattr(self, "unpublished_at", None)
        return max(changed, ended) if ended else changed

    @cached_property
    def feed_id(self) -> str:
        """A tag URI that never changes, whatever happens to the slug, title or date."""
        return feed_id_of(self.pk, self.created_at)

    def body_with_quotes(self):
        """The body's blocks with each quote placed after the paragraph it follows
        (``is_paragraph``: headings are not counted)."""
        blocks = [{"html": block} for block in sanitized_blocks(self.body)]
        quotes = sorted(self.quotes.all(), key=lambda q: (q.position, q.pk))
        placed, paragraphs = [], 0
        for block in blocks:
            placed.append(block)
            if not is_paragraph(block["html"]):
                continue
            paragraphs += 1
            placed.extend({"quote": q} for q in quotes if q.position == paragraphs)
        placed.extend({"quote": q} for q in quotes if q.position > paragraphs or q.position < 1)
        return placed

    @property
    def card_summary(self) -> str:
        """What a list card says under the headline: the summary, else the lead's first
        sentence (from ``lead_start``, which list queries annotate so no body is loaded)."""
        if self.summary:
            return self.summary
        start = getattr(self, "lead_start", None)
        return first_sentence(plain_text(start)) if start else ""

    @property
    def lead_image(self):
        """The first of the release's images (prefetch ``images`` when showing many)."""
        return next(iter(self.images.all()), None)

    @property
    def gallery_images(self) -> list:
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
