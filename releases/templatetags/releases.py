from datetime import date

from django import template
from django.conf import settings
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe

from formats.models import AdvisoryEvent
from pagecache import caching
from releases.colours import colours_of
from releases.models import ReleaseType, newsroom_name
from releases.models.organisation import END_MARK
from releases.public import bodies
from releases.public.icons import header_logo, icons_version
from releases.search import query as search_query
from releases.syndication.metadata import canonical_query, headline_text, subheadline_text
from releases.text.languages import (
    fallback_url,
    language_in_sentence,
    long_date,
    page_versions,
    period_html,
    time_of_day,
    zone_abbreviation,
)
from releases.text.phones import tel_uri
from releases.text.typography import smart_quotes, smart_quotes_html

register = template.Library()


@register.filter
def highlighted(text, language="en"):
    """A snippet or headline from full-text search, escaped, with the matched words in <mark>,
    typeset as the release's own words are everywhere else (its language's quotation marks)."""
    return smart_quotes_html(search_query.highlight(text), language)


@register.filter
def phone_link(phone: str):
    """A phone number as typed, linked to ``tel:`` as RFC 3966 writes it (a phone dials
    “613-555-0199 ext. 12” from ``tel:+1-613-555-0199;ext=12``); not linked when it is no
    number that could be dialled."""
    uri = tel_uri(phone)
    return format_html('<a href="{}">{}</a>', uri, phone) if uri else phone


@register.simple_tag(takes_context=True)
def alternate_language_url(context, language_code):
    """The same page in another language: a release's twin, or the same address under the
    other language's prefix; when the page has no version in that language, the page's own
    fallback there (``language_fallbacks``: a release's says where it is), else the list of
    releases in that language (never the home page)."""
    return (
        page_versions(context).get(language_code)
        or context.get("language_fallbacks", {}).get(language_code)
        or fallback_url(language_code)
    )


@register.inclusion_tag("includes/language_alternates.html", takes_context=True)
def language_alternates(context):
    """``<link rel="alternate" hreflang>`` for each language version, plus ``x-default``."""
    versions = page_versions(context)
    request = context.get("request")
    if len(versions) < 2 or request is None:
        return {"alternates": []}
    if "alternate_urls" not in context:
        if canonical_query(request):
            return {"alternates": []}  # a list's page 2 has no like page in another language
        # The same page's address in each language, without its query (filters, tracking):
        # hreflang names canonical pages, and a filtered list's canonical is the whole list
        # (``default_page_meta``).
        versions = {code: path.partition("?")[0] for code, path in versions.items()}
    alternates = [(code, request.build_absolute_uri(path)) for code, path in versions.items()]
    default = versions.get(settings.LANGUAGE_CODE) or next(iter(versions.values()))
    alternates.append(("x-default", request.build_absolute_uri(default)))
    return {"alternates": alternates}


# A release's headline and subheadline as its page prints them, wherever a template puts them.
register.filter("headline_text", headline_text)
register.filter("subheadline_text", subheadline_text)


@register.filter(name="newsroom_name")
def newsroom_name_filter(organisation):
    """The organisation's name, or “Newsroom” when there is none yet."""
    return newsroom_name(organisation)


@register.filter
def brand_colour(organisation):
    """The organisation's brand colour (the default one without an organisation): for the
    ``theme-color`` and emails' inline styles; pages take theirs from the brand stylesheet."""
    return colours_of(organisation).brand


register.filter("icons_version", icons_version)
register.filter("header_logo", header_logo)


@register.filter
def media_contacts_shown(release, organisation):
    """The release's own media contacts, else the organisation's defaults."""
    return release.media_contacts_shown(organisation)


@register.filter
def longdate(value):
    """A date as a reader of the page's language writes it: “May 9, 2021”, « 1er mai 2021 »."""
    return long_date(value) if value else ""


@register.simple_tag
def period(start, end):
    """A campaign's days as the page's language writes a period (“May 9–15, 2021”)."""
    return period_html(start, end) if start and end else longdate(start or end)


@register.filter
def end_mark_in(organisation, language):
    """What ends a release in ``language``: the organisation's mark for it, else the default."""
    return organisation.end_mark_in(language) if organisation else END_MARK


@register.filter(name="language_in_sentence")
def language_in_sentence_filter(code):
    """A language's name inside a sentence of the page's language: “French”, « anglais »."""
    return language_in_sentence(code)


@register.filter
def typeset(value, language=None):
    """Typographic quotes and apostrophes for ``language`` (the page's by default): safe HTML
    keeps its markup, plain text is escaped as usual afterwards."""
    if not value:
        return value
    language = language or translation.get_language()
    if isinstance(value, SafeData):
        return smart_quotes_html(value, language)
    return smart_quotes(str(value), language)


@register.simple_tag(takes_context=True)
def page_address(context):
    """This page's own address, whole: printed in the footer of a printed page."""
    request = context.get("request")
    return whole_address(request.path if request is not None else "/")


@register.filter
def whole_address(path: str) -> str:
    """A path of this site as a whole address, for paper: a printout cannot follow a link."""
    return settings.SITE_URL.rstrip("/") + path


@register.filter
def timeofday(value):
    """“9 a.m. EDT”, « 9 h 00 HAE »: a time with its zone, for readers in every province."""
    return f"{time_of_day(value)} {zone_abbreviation(value)}" if value else ""


@register.simple_tag
def release_body(release):
    """The body as readers see it: the dateline, the paragraphs typeset, the quotes in place."""
    return bodies.body_html(release)


@register.simple_tag
def fallback_lang(obj, field):
    """` lang="en"` when ``obj.field`` shows the default language's text because this
    language's is empty, so that screen readers pronounce it right (WCAG 3.1.2). Nothing for
    a field kept in one language only (a release's own image: the release's language)."""
    language = translation.get_language()
    own = f"{field}_{language}"
    if language == settings.LANGUAGE_CODE or not hasattr(obj, own) or getattr(obj, own):
        return ""
    return format_html(' lang="{}"', settings.LANGUAGE_CODE)


def card_of(
    release,
    type_labels: dict[str, str],
    long_dates: dict[date, str],
    campaigns: dict[int, tuple[str, str]],
) -> dict:
    """What a card prints of ``release``, found once: the type's name translated once a list
    (``type_labels``), each day written out once (``long_dates``), each campaign's name and
    address once (``campaigns``), and the search's highlights.
    A dict with every key, so that each of the template's lookups succeeds at its first try
    (an object's, or a key looked up in vain, costs the template an exception first)."""
    moment = timezone.localtime(release.publish_at) if release.publish_at else None
    day = moment.date() if moment else None
    if day not in long_dates:
        long_dates[day] = long_date(day) if day else ""
    campaign = release.campaign if release.campaign_id else None
    if campaign and campaign.pk not in campaigns:
        campaigns[campaign.pk] = (str(campaign), campaign.get_absolute_url())
    campaign_name, campaign_url = campaigns[campaign.pk] if campaign else ("", "")
    return {
        "url": release.get_absolute_url(),
        "language": release.language,
        "type_label": type_labels.get(release.release_type, release.release_type),
        "published_iso": moment.isoformat() if moment else "",
        "published_on": long_dates[day],
        "withdrawn": release.is_withdrawn,
        "headline": release.headline,
        "headline_highlighted": getattr(release, "headline_highlighted", None),
        "snippet": getattr(release, "snippet", None),
        "subheadline": release.subheadline,
        "summary": release.card_summary,
        "campaign": campaign_name,
        "campaign_url": campaign_url,
    }


def advisory_event_states(releases) -> dict[int, str]:
    """{release id: "cancelled" or "changed"} for the advisories among ``releases`` whose event
    is no longer as first announced: a reader skimming a list must see it. One query, only
    when there are advisories."""
    advisories = [r for r in releases if r.release_type == ReleaseType.MEDIA_ADVISORY]
    # A list's releases come with their event's status (``for_listing``); others are asked.
    states = {r.pk: r.event_status for r in advisories if hasattr(r, "event_status")}
    asked = [r.pk for r in advisories if r.pk not in states]
    if asked:
        events = AdvisoryEvent.objects.filter(release_id__in=asked)
        states |= dict(events.values_list("release_id", "status"))
    scheduled = AdvisoryEvent.Status.SCHEDULED
    return {pk: state for pk, state in states.items() if state and state != scheduled}


@register.simple_tag
def release_cards(releases, heading_level=2, query=""):
    """Each release's card as a list item. A card is the same for every reader of a language
    (and, in search results, of the same words), so it is rendered once and kept under the rules
    of ``pagecache.caching`` (stale after any change, never kept past the next go-live); a list
    fetches all its cards in one round trip."""
    language = translation.get_language()
    keyed = [
        (
            caching.key_for("release-card", str(release.pk), language, str(heading_level), query),
            release,
        )
        for release in releases
    ]

    def render(missing: list[str]) -> dict[str, str]:
        template = get_template("includes/release_card.html").template
        by_key = dict(keyed)
        type_labels = ReleaseType.translated_labels()
        long_dates: dict[date, str] = {}
        campaigns: dict[int, tuple[str, str]] = {}
        # A string: an int would be localized, at a cost, twice a card.
        context = Context({"heading_level": str(heading_level)})
        event_states = advisory_event_states([by_key[key] for key in missing])
        rendered = {}
        for key in missing:
            card = card_of(by_key[key], type_labels, long_dates, campaigns)
            card["event_state"] = event_states.get(by_key[key].pk, "")
            # The release's own words are marked when they are not in the page's language.
            card["lang"] = card["language"] if card["language"] != language else ""
            with context.push(card=card):
                rendered[key] = template.render(context)
        return rendered

    languages = {f"lang:{release.language}" for release in releases}
    cards = caching.remember_many(list(dict(keyed)), render, scopes=["site", *languages])
    return mark_safe("".join(f"<li>{cards[key]}</li>" for key, _ in keyed))
