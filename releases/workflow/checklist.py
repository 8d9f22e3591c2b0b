"""The checklist a release passes before it goes public: one list, in one place.

``checklist(release)`` answers with what is wrong (errors: the release cannot be approved,
scheduled or published until they are fixed) and what may be wrong (warnings: the admin asks for
a confirmation first). Each item is a full sentence saying how to fix it, with the anchor of the
admin field it is about. ``releases.workflow.publishing`` refuses on errors whoever calls it; the
change form shows the whole list beside the workflow's buttons.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from releases.models import (
    Campaign,
    CampaignVisual,
    MediaContact,
    Organisation,
    Release,
    ReleaseRedirect,
    Spokesperson,
    Status,
)
from releases.syndication import metadata
from releases.text.html import paragraph_count, plain_text
from releases.text.languages import language_in_sentence

ERROR = "error"
WARNING = "warning"

# Canada.ca keeps titles to 95 characters: longer ones are cut in search results and feeds.
HEADLINE_LIMIT = 95
# Search engines and link previews show about 160 characters of a summary; alerts print it whole.
SUMMARY_LIMIT = 300
# Narrower images look blurred in link previews and on large screens.
IMAGE_MIN_WIDTH = 600
# Quotation marks a quote may be wrapped in (its words are printed in the language's own).
OPENING_MARKS = "\"'“‘«‹„‚"
CLOSING_MARKS = "\"'”’»›“‘"

NO_HEADLINE = _("The release has no headline. Write one in “Headline”.")
NO_BODY = _("The release has no text. Write it in “Body”.")
NO_DATELINE = _(
    "The release has no dateline city. Write where the news comes from in “Dateline city”, "
    "e.g. Ottawa."
)
NO_TYPE = _(
    "The release has no type. Choose one in “Type”: news release, media advisory, statement "
    "or backgrounder."
)
IMAGE_WITHOUT_ALT = _(
    "Image %(number)s has no alt text. Describe what it shows in its “Alt text”, for people "
    "who cannot see it."
)
QUOTE_WITHOUT_SPOKESPERSON = _(
    "Quote %(number)s says nobody said it. Choose its spokesperson, or write its attribution."
)
ADDRESS_TAKEN = _(
    "The web address %(address)s is already taken on %(date)s by “%(headline)s”. Change the "
    "end of the address in “Web address”."
)
HEADLINE_TOO_LONG = _(
    "The headline has %(count)s characters; Canada.ca keeps headlines to 95 or fewer, since "
    "longer ones are cut in search results. Shorten it if you can."
)
SUMMARY_TOO_LONG = _(
    "The summary has %(count)s characters; search engines and link previews show about 160, "
    "and email alerts print it whole. Keep it to one or two sentences."
)
QUOTE_AFTER_THE_END = _(
    "Quote %(number)s is set after paragraph %(position)s, but the body has %(count)s: it is "
    "printed at the end. Check its “After paragraph”."
)
STILL_TO_TRANSLATE = _(
    "This version is marked as still to translate or to bring up to date with the other "
    "language. Finish it, then untick “needs translation”."
)
NO_SUMMARY = _(
    "The release has no summary, so search engines, link previews and feeds show the start "
    "of the body. Write one or two sentences in “Summary”."
)
NO_MEDIA_CONTACT = _(
    "The release names no media contact, and the organisation has no default one: journalists "
    "will not know whom to call. Choose one in “Media contacts”."
)
QUOTE_IN_QUOTATION_MARKS = _(
    "Quote %(number)s is wrapped in its own quotation marks, so readers would see them twice. "
    "Remove them from its words: they are added in print."
)
IMAGE_TOO_NARROW = _(
    "Image %(number)s is %(width)s px wide; under 600 px it looks blurred in link previews and "
    "on large screens. Upload a larger one if you have it."
)
TWIN_MISSING = _(
    "There is no %(language)s version of this release. Add it from “Language versions”, or go "
    "ahead with this language alone."
)
TWIN_OLDER = _(
    "The %(language)s version, “%(headline)s”, is behind this one: its words changed here since "
    "it was translated. Bring it up to date (then untick its “needs translation”), or go ahead."
)

TWIN_SLUG = _(
    "The web address ends as the %(language)s version's does, “%(slug)s”. Give this version "
    "one in its own words in “Web address”, or go ahead."
)
UNTRANSLATED = _(
    "%(what)s has no %(language)s text, so this release's page will show another language's. "
    "Add it on its own page in the admin, or go ahead."
)
# The shared texts a release's page prints, and how a sentence names each.
ORGANISATION_TEXTS = {
    "name": _("The organisation's name"),
    "tagline": _("The organisation's tagline"),
    "boilerplate": _("The organisation's boilerplate"),
}
CAMPAIGN_TEXTS = {"name": _("The campaign's name"), "theme": _("The campaign's theme")}
TOPIC_TEXT = _("The topic “%(name)s”")
UNTRANSLATED_ALT_TEXT = _(
    "%(what)s has no %(language)s alt text, so links to this release will describe it in "
    "another language. Add it on its own page in the admin, or go ahead."
)
# The people the page names, and the texts of theirs it prints. Their texts "in a sentence"
# are left out: empty in a language, it reads its own honorific and organisation instead.
SPOKESPERSON_TEXTS = ("honorific", "title", "organisation_name")
CONTACT_TEXTS = ("role", "organisation_name")
SPOKESPERSON_TEXT = _("The “%(field)s” of spokesperson %(name)s")
CONTACT_TEXT = _("The “%(field)s” of media contact %(name)s")
UNTRANSLATED_SPOKESPERSON = _(
    "%(what)s has no %(language)s text, so their quotes here name them in another language. "
    "Add it on their page in the admin, then empty those quotes' “Attribution” to fill it "
    "again, or go ahead."
)
CAMPAIGN_VISUAL = _("The campaign's visual")
SHARING_IMAGE = _("The organisation's sharing image")


@dataclass(frozen=True)
class Item:
    """One point of the checklist: how serious, what to do, and where (a field's anchor)."""

    level: str  # ERROR or WARNING
    code: str
    message: str
    anchor: str  # e.g. "#id_headline", the admin field the item is about

    @property
    def is_error(self) -> bool:
        return self.level == ERROR


def _error(code: str, message, anchor: str) -> Item:
    return Item(ERROR, code, str(message), anchor)


def _warning(code: str, message, anchor: str) -> Item:
    return Item(WARNING, code, str(message), anchor)


def checklist(release: Release, *, at: datetime | None = None) -> list[Item]:
    """Everything to fix (errors first) or to confirm before ``release`` goes public at ``at``
    (by default its scheduled time, or now); as saved, with its quotes, images and twins."""
    items = _required_fields(release)
    images, quotes = [], []
    if release.pk is not None:
        images = list(release.images.order_by("position", "pk"))
        quotes = list(release.quotes.select_related("spokesperson").order_by("position", "pk"))
        items += _images(images) + _quotes(release, quotes)
    items += _address(release, at)
    if len(release.headline) > HEADLINE_LIMIT:
        items.append(
            _warning(
                "headline-long",
                HEADLINE_TOO_LONG % {"count": len(release.headline)},
                "#id_headline",
            )
        )
    if not release.summary.strip():
        items.append(_warning("no-summary", NO_SUMMARY, "#id_summary"))
    elif len(release.summary) > SUMMARY_LIMIT:
        count = {"count": len(release.summary)}
        items.append(_warning("summary-long", SUMMARY_TOO_LONG % count, "#id_summary"))
    if release.needs_translation:
        items.append(_warning("needs-translation", STILL_TO_TRANSLATE, "#id_needs_translation"))
    if release.pk is not None:
        organisation = Organisation.current()  # once, for the points that read it
        prefetch_related_objects([release], "media_contacts")  # read once, for every point
        contacts = release.media_contacts_shown(organisation)
        items += _media_contacts(contacts) + _twins(release)
        items += _shared_texts(release, organisation)
        items += _spokespeople_texts(release, quotes) + _contacts_texts(release, contacts)
        if not images:
            items += _shared_image(release, organisation)
    return sorted(items, key=lambda item: not item.is_error)


def errors(release: Release, *, at: datetime | None = None) -> list[Item]:
    return [item for item in checklist(release, at=at) if item.is_error]


def warnings(release: Release, *, at: datetime | None = None) -> list[Item]:
    return [item for item in checklist(release, at=at) if not item.is_error]


def _required_fields(release: Release) -> list[Item]:
    required = [
        ("no-headline", release.headline.strip(), NO_HEADLINE, "#id_headline"),
        ("no-body", _has_text(release.body), NO_BODY, "#id_body"),
        ("no-dateline", release.dateline_city.strip(), NO_DATELINE, "#id_dateline_city"),
        ("no-type", release.release_type, NO_TYPE, "#id_release_type"),
    ]
    return [
        _error(code, message, anchor) for code, present, message, anchor in required if not present
    ]


def _has_text(body: str) -> bool:
    return bool(plain_text(body or "").strip())


def _images(images: list) -> list[Item]:
    """The release's own images, in their order."""
    items = []
    for index, image in enumerate(images):
        params = {"number": index + 1, "width": image.width}
        if not image.alt_text.strip():
            items.append(
                _error("image-alt", IMAGE_WITHOUT_ALT % params, f"#id_images-{index}-alt_text")
            )
        if 0 < image.width < IMAGE_MIN_WIDTH:
            items.append(_warning("image-narrow", IMAGE_TOO_NARROW % params, f"#images-{index}"))
    return items


def _quotes(release: Release, quotes: list) -> list[Item]:
    items = []
    paragraphs = paragraph_count(release.body) if quotes else 0
    for index, quote in enumerate(quotes):
        params = {"number": index + 1, "position": quote.position, "count": paragraphs}
        if quote.position > paragraphs > 0:
            items.append(
                _warning(
                    "quote-after-end", QUOTE_AFTER_THE_END % params, f"#id_quotes-{index}-position"
                )
            )
        if quote.spokesperson_id is None or not quote.attribution.strip():
            items.append(
                _error(
                    "quote-spokesperson",
                    QUOTE_WITHOUT_SPOKESPERSON % params,
                    f"#id_quotes-{index}-spokesperson",
                )
            )
        if _wrapped_in_quotation_marks(quote.text):
            items.append(
                _warning(
                    "quote-marks", QUOTE_IN_QUOTATION_MARKS % params, f"#id_quotes-{index}-text"
                )
            )
    return items


def _wrapped_in_quotation_marks(text: str) -> bool:
    words = text.strip()
    return len(words) > 1 and words[0] in OPENING_MARKS and words[-1] in CLOSING_MARKS


def _going_public_on(release: Release, at: datetime | None) -> date:
    if at is None and release.publish_at is not None and release.status != Status.DRAFT:
        at = release.publish_at
    return timezone.localdate(at or timezone.now())


def _address(release: Release, at: datetime | None) -> list[Item]:
    """Another release at the address this one would have (its language, date and slug)."""
    if not release.slug:
        return []
    day = _going_public_on(release, at)
    place = {"language": release.language, "publication_date": day, "slug": release.slug}
    holder = Release.objects.filter(**place).exclude(pk=release.pk).only("headline").first()
    if holder is None:
        old = (
            ReleaseRedirect.objects.filter(**place)
            .exclude(release_id=release.pk)
            .select_related("release")
            .first()
        )
        holder = old.release if old else None
    if holder is None:
        return []
    params = {
        "address": _address_on(release, day),
        "date": date_format(day, "DATE_FORMAT"),
        "headline": holder.headline,
    }
    return [_error("address-taken", ADDRESS_TAKEN % params, "#id_slug")]


def _address_on(release: Release, day: date) -> str:
    kept = release.publication_date
    release.publication_date = day
    try:
        return release.get_absolute_url()
    finally:
        release.publication_date = kept


def _media_contacts(contacts: list) -> list[Item]:
    """``contacts``: those the page shows, its own or else the organisation's defaults."""
    if contacts:
        return []
    return [_warning("no-media-contact", NO_MEDIA_CONTACT, "#id_media_contacts")]


def _twins(release: Release) -> list[Item]:
    twins = list(
        Release.objects.twins_of(release).only("language", "headline", "slug", "needs_translation")
    )
    present = {twin.language for twin in twins}
    items = [
        _warning(
            "twin-missing",
            TWIN_MISSING % {"language": language_in_sentence(code)},
            "#id_translation_of",
        )
        for code, _name in settings.LANGUAGES
        if code != release.language and code not in present
    ]
    # A version started from another carries its address over: one in the reader's words is
    # what its page, its feed entry and its shared links will show. The later version is the
    # copy to change; the original keeps its address.
    items += [
        _warning(
            "twin-slug",
            TWIN_SLUG % {"language": language_in_sentence(twin.language), "slug": twin.slug},
            "#id_slug",
        )
        for twin in twins
        if release.slug and twin.slug == release.slug and release.created_at > twin.created_at
    ]
    # Behind: marked when this version's words changed after it was translated (publishing).
    for twin in twins:
        if twin.needs_translation:
            params = {
                "language": language_in_sentence(twin.language),
                "headline": twin.headline,
            }
            items.append(_warning("twin-older", TWIN_OLDER % params, "#id_translation_of"))
    return items


def _shared_texts(release: Release, organisation) -> list[Item]:
    """The organisation's, campaign's and topics' texts the page prints that have a value in
    some language but none in the release's: the page would fall back to another language."""
    lacking = []
    for field, what in ORGANISATION_TEXTS.items() if organisation else ():
        if _lacks(organisation, field, release.language):
            lacking.append((str(what), ""))
    campaign = release.campaign
    for field, what in CAMPAIGN_TEXTS.items() if campaign else ():
        if _lacks(campaign, field, release.language):
            lacking.append((str(what), "#id_campaign"))
    for topic in release.topics.all():
        if _lacks(topic, "name", release.language):
            lacking.append((TOPIC_TEXT % {"name": topic.name}, "#id_topics"))
    language = language_in_sentence(release.language)
    return [
        _warning("untranslated", UNTRANSLATED % {"what": what, "language": language}, anchor)
        for what, anchor in lacking
    ]


def _spokespeople_texts(release: Release, quotes: list) -> list[Item]:
    """The texts of the quotes' spokespeople that have a value in some language but none in
    the release's: a quote's attribution, filled from them, reads another language's. Once per
    person, pointing at their first quote (``quotes`` read with their spokesperson)."""
    language = language_in_sentence(release.language)
    items, seen = [], set()
    for index, quote in enumerate(quotes):
        person = quote.spokesperson
        if person.pk in seen:
            continue
        seen.add(person.pk)
        for field in SPOKESPERSON_TEXTS:
            if _lacks(person, field, release.language):
                what = SPOKESPERSON_TEXT % {
                    "field": _label(Spokesperson, field),
                    "name": person.name,
                }
                items.append(
                    _warning(
                        "untranslated",
                        UNTRANSLATED_SPOKESPERSON % {"what": what, "language": language},
                        f"#id_quotes-{index}-spokesperson",
                    )
                )
    return items


def _contacts_texts(release: Release, contacts: list) -> list[Item]:
    """The texts of the media contacts the page shows that lack the release's language. The
    release's own are changed from its form; the organisation's defaults, on its page."""
    anchor = "#id_media_contacts" if release.media_contacts.all() else ""
    language = language_in_sentence(release.language)
    return [
        _warning(
            "untranslated",
            UNTRANSLATED
            % {
                "what": CONTACT_TEXT % {"field": _label(MediaContact, field), "name": contact.name},
                "language": language,
            },
            anchor,
        )
        for contact in contacts
        for field in CONTACT_TEXTS
        if _lacks(contact, field, release.language)
    ]


def _label(model, field: str) -> str:
    """A field's label as the admin shows it (“Current title”), in the active language."""
    return capfirst(model._meta.get_field(field).verbose_name)


def _shared_image(release: Release, organisation) -> list[Item]:
    """What links to a release without an image of its own show instead, as its page picks
    it (``metadata.image_shared_instead``), when its alt text has a value in some language but
    none in the release's."""
    campaign = None
    if release.campaign_id is not None:  # with its visual, in one query
        campaign = Campaign.objects.select_related("visual").filter(pk=release.campaign_id).first()
    image = metadata.image_shared_instead(campaign, organisation)
    if isinstance(image, CampaignVisual):
        what, anchor = CAMPAIGN_VISUAL, "#id_campaign"
    else:
        what, anchor = SHARING_IMAGE, ""
    if image is None or not _lacks(image, "alt_text", release.language):
        return []
    params = {"what": what, "language": language_in_sentence(release.language)}
    return [_warning("untranslated", UNTRANSLATED_ALT_TEXT % params, anchor)]


def _lacks(instance, field: str, language: str) -> bool:
    """Whether the translated ``field`` of ``instance`` is empty in ``language`` but not in
    every other (modeltranslation then shows another's)."""
    values = {
        code: (getattr(instance, build_localized_fieldname(field, code)) or "").strip()
        for code, _name in settings.LANGUAGES
    }
    return not values.get(language) and any(values.values())
