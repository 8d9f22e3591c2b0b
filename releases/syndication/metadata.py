"""What machines read about a page: summaries, canonical addresses, OpenGraph and schema.org data.

Feeds, sitemaps and page heads share these helpers so a release is described the same way
everywhere. Absolute addresses come from the request, or from ``settings.SITE_URL`` where
there is none.
"""

import json
import re
from datetime import date, datetime

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from releases.models import CampaignVisual, ReleaseType, newsroom_name
from releases.public.forms import ReleaseFilterForm
from releases.text.html import clean_control_characters, clipped, first_blocks, text_start
from releases.text.numbers import whole_number
from releases.text.typography import smart_quotes
from releases.text.zones import newsroom_in_canada

DESCRIPTION_LENGTH = 200

# The same escapes as django.utils.html.json_script: a string in the data can never close the
# <script> element or open a comment, whatever an editor typed.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def origin(request=None) -> str:
    """``https://news.example.org``: the scheme and host of the request, else of SITE_URL."""
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return settings.SITE_URL.rstrip("/")


def absolute(url: str, request=None) -> str:
    return url if "://" in url else f"{origin(request)}{url}"


def iso_datetime(moment: datetime | date | None) -> str | None:
    """RFC 3339 with the newsroom's offset: ``2021-05-09T06:00:00-04:00``."""
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return timezone.localtime(moment).isoformat()
    return moment.isoformat()


def headline_text(release) -> str:
    """The headline as the page prints it, for every other place it goes (a page's head, the
    feeds, the sitemap, the calendars, the emails, the machine formats): with the quotation
    marks and apostrophes of the release's own language. What staff typed stays stored, and
    the admin shows it."""
    return smart_quotes(release.headline, release.language)


def subheadline_text(release) -> str:
    """The subheadline as the page prints it (``headline_text()``)."""
    return smart_quotes(release.subheadline, release.language)


def summary_text(release, length: int = DESCRIPTION_LENGTH) -> str:
    """The editor's summary, or else the start of the body, as plain text with the language's
    quotation marks (as the page prints it), cut after a whole word."""
    return summary_of(release.summary, release.body, release.language, length)


def summary_of(summary: str, body: str, language: str, length: int = DESCRIPTION_LENGTH) -> str:
    """``summary_text()`` from a release's values."""
    text = summary or text_start(body, length)
    text = re.sub(r"\s+", " ", clean_control_characters(text)).strip()
    return clipped(smart_quotes(text, language), length)


def summary_paragraphs(release, length: int = DESCRIPTION_LENGTH) -> list[str]:
    """``summary_text()`` with its paragraphs kept apart, for what can show them (an alert
    email): the editor's summary, or else the body's first paragraphs, in at most ``length``
    characters counting a blank line between two, the last cut after a whole word."""
    if release.summary:
        paragraphs = re.split(r"\n\s*\n", release.summary)
    else:
        paragraphs = first_blocks(release.body, length)
    paragraphs = [re.sub(r"\s+", " ", clean_control_characters(p)).strip() for p in paragraphs]
    text = "\n\n".join(smart_quotes(p, release.language) for p in paragraphs if p)
    return clipped(text, length).split("\n\n")


def json_ld(data: dict) -> SafeString:
    """A ``<script type="application/ld+json">`` element, escaped like ``json_script``."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_JSON_SCRIPT_ESCAPES)),
    )


def organization_data(organisation, request=None) -> dict:
    data = {"@type": "Organization", "name": organisation.name if organisation else ""}
    if organisation and organisation.website:
        data["url"] = organisation.website
    else:
        data["url"] = f"{origin(request)}/"
    # The site's largest icon: drawn from the uploaded logo, or the initials until there is one.
    data["logo"] = {
        "@type": "ImageObject",
        "url": absolute(reverse("icon", kwargs={"size": LOGO_SIZE}), request),
        "width": LOGO_SIZE,
        "height": LOGO_SIZE,
    }
    return data


def release_image(release, request=None) -> dict | None:
    """The lead image's 1200×630 social card as ``{"url", "alt", "width", "height", "type"}``
    (an absolute ``url``), or None when the release has no image. Prefetch ``images``."""
    return image_card(release.social_image, request)


def image_card(card, request=None) -> dict | None:
    """``release_image()`` of a lead image's social card (None: no image)."""
    if card is None:
        return None
    return {
        "url": absolute(card.url, request),
        "alt": card.alt,
        "width": card.width,
        "height": card.height,
        "type": card.type,
        "card": "summary_large_image",
    }


def shared_image(own_card, organisation, request=None) -> dict:
    """What a shared link shows: the page's own social card (a release's lead image, a
    campaign's visual), else the organisation's sharing image (both 1200×630, a large
    preview), else the site's largest icon, which every newsroom has (a small preview)."""
    if own_card is None and organisation is not None:
        uploaded = organisation.own_sharing_image
        own_card = uploaded.social_image if uploaded else None
    if own_card is not None:
        return image_card(own_card, request)
    return {
        "url": absolute(reverse("icon", kwargs={"size": LOGO_SIZE}), request),
        "alt": newsroom_name(organisation),
        "width": LOGO_SIZE,
        "height": LOGO_SIZE,
        "type": "image/png",
        "card": "summary",
    }


def image_shared_instead(campaign, organisation):
    """The image that links to a release of ``campaign`` (or None) without an image of its
    own show: the campaign's visual (public with a public release), else the organisation's
    sharing image; None for neither (the site's icon). The release's page and its checklist
    both ask here. Read the campaign with its visual: ``select_related("visual")``."""
    if campaign is not None:
        try:
            return campaign.visual
        except CampaignVisual.DoesNotExist:
            pass
    return organisation.own_sharing_image if organisation else None


# A language's territory in an OpenGraph locale when the newsroom is not in Canada (en_US is
# OpenGraph's own default). A language code that names its region ("pt-br") says it itself.
LANGUAGE_TERRITORIES = {"en": "US", "fr": "FR"}


def og_locale(language: str) -> str | None:
    """``en_CA``, ``fr_CA``: a language as OpenGraph names a locale (language_TERRITORY), as
    written where the newsroom is (``en_GB`` when its English is British: ``LANGUAGE_TAG``);
    None for a language with no territory known."""
    code, _, region = language.partition("-")
    tag = formats.get_format("LANGUAGE_TAG", lang=code)
    region = region or (tag.partition("-")[2] if tag.startswith(f"{code}-") else "")
    territory = region or ("CA" if newsroom_in_canada() else LANGUAGE_TERRITORIES.get(code))
    return f"{code}_{territory.upper()}" if territory else None


def locales(language: str, versions: dict[str, str]) -> dict:
    """``og:locale`` of a page in ``language`` and ``og:locale:alternate`` of its other
    language ``versions`` (``page_versions``: a release's public twins only)."""
    others = (og_locale(code) for code in versions if code != language)
    return {"locale": og_locale(language), "locale_alternates": [code for code in others if code]}


# The publisher's logo: the site's icon of this size (releases.public.icons).
LOGO_SIZE = 512
# schema.org has no press release; a backgrounder has its own kind of article.
ARTICLE_TYPES = {ReleaseType.BACKGROUNDER: "BackgroundNewsArticle"}


def release_page_meta(release, request, organisation) -> dict:
    canonical = absolute(release.get_absolute_url(), request)
    description = summary_text(release)
    image = release_image(release, request)
    instead = None if image else image_shared_instead(release.campaign, organisation)
    organization = organization_data(organisation, request)
    article = {
        "@context": "https://schema.org",
        "@type": ARTICLE_TYPES.get(release.release_type, "NewsArticle"),
        "headline": headline_text(release),
        "description": description,
        "dateline": release.dateline,
        "datePublished": iso_datetime(release.publish_at),
        "dateModified": iso_datetime(release.last_public_change),
        "inLanguage": release.language,
        "url": canonical,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "author": organization,
        "publisher": organization,
        "articleSection": str(release.get_release_type_display()),
    }
    corrections = release.corrections.all()
    if corrections:
        article["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": correction.note,
                "datePublished": iso_datetime(correction.corrected_at),
            }
            for correction in corrections
        ]
    keywords = [topic.name for topic in release.topics.all()]
    if keywords:
        article["keywords"] = keywords
    if image:
        article["image"] = [
            {
                "@type": "ImageObject",
                "url": image["url"],
                "width": image["width"],
                "height": image["height"],
                "caption": image["alt"],
            }
        ]
    return {
        "title": headline_text(release),
        "description": description,
        "canonical": canonical,
        "og_type": "article",
        "published_time": iso_datetime(release.publish_at),
        "modified_time": iso_datetime(release.last_public_change),
        "section": article["articleSection"],
        "tags": keywords,
        "image": image
        or shared_image(instead.social_image if instead else None, organisation, request),
        "json_ld": json_ld(article),
    }


def campaign_page_meta(campaign, request, organisation, visual=None) -> dict:
    """A campaign's page: an event, shared with its ``visual`` (give it only once public)."""
    canonical = absolute(campaign.get_absolute_url(), request)
    description = clipped(
        " ".join((campaign.theme or campaign.description or str(campaign)).split()),
        DESCRIPTION_LENGTH,
    )
    event = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": str(campaign),
        "description": description,
        "startDate": iso_datetime(campaign.start_date),
        "endDate": iso_datetime(campaign.end_date),
        "url": canonical,
        "organizer": organization_data(organisation, request),
    }
    if campaign.hashtag:
        event["keywords"] = f"#{campaign.hashtag}"
    return {
        "title": str(campaign),
        "description": description,
        "canonical": canonical,
        "og_type": "website",
        "image": shared_image(visual.social_image if visual else None, organisation, request),
        "json_ld": json_ld(event),
    }


def canonical_query(request) -> str:
    """What the canonical address keeps of the page's query: the page number of an unfiltered
    list beyond its first page ("?page=2"); nothing else (filters, tracking)."""
    page = whole_number(request.GET.get("page", "")) or 1
    filtered = any(request.GET.get(name) for name in ReleaseFilterForm.base_fields)
    return f"?page={page}" if page > 1 and not filtered else ""


def default_page_meta(request, organisation) -> dict:
    """Any other page: its own address as canonical, keeping the page number of an unfiltered
    list. A filtered list names the whole list, page 1: its page 2 is not the whole list's."""
    canonical = absolute(request.path, request) + canonical_query(request)
    name = newsroom_name(organisation)
    return {
        "title": name,
        "description": (organisation.tagline if organisation else "") or name,
        "canonical": canonical,
        "og_type": "website",
        "image": shared_image(None, organisation, request),
    }


def home_page_meta(request, organisation) -> dict:
    """The home page: the defaults, and the organisation described for search engines (its
    name, its site, its logo) as the publisher of every release."""
    meta = default_page_meta(request, organisation)
    if organisation:
        about = {"@context": "https://schema.org"} | organization_data(organisation, request)
        meta["json_ld"] = json_ld(about)
    return meta
