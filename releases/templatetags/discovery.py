"""How pages tell readers and machines about themselves: feed links and page metadata."""

from django import template
from django.urls import reverse
from django.utils import translation

from releases.models import Release
from releases.syndication import metadata
from releases.syndication.feeds import feed_links
from releases.syndication.metadata import DESCRIPTION_LENGTH
from releases.templatetags.images import public_campaign_visual
from releases.text.html import clipped
from releases.text.languages import page_versions

register = template.Library()


def _page_feeds(context, subject=None) -> list[dict]:
    """The subject's feeds then the site's; a view may also set ``feeds`` in the context."""
    if context.get("feeds"):
        return context["feeds"]
    feeds = [feed_links(subject)] if subject is not None else []
    return [*feeds, feed_links()]


@register.inclusion_tag("includes/feed_alternates.html", takes_context=True)
def feed_alternates(context, subject=None):
    """``<link rel="alternate">`` autodiscovery for RSS, Atom and JSON Feed."""
    request = context.get("request")
    feeds = _page_feeds(context, subject)
    for feed in feeds:
        for fmt in feed["formats"]:
            fmt["absolute_url"] = metadata.absolute(fmt["url"], request)
    return {"feeds": feeds}


@register.inclusion_tag("includes/subscribe.html", takes_context=True)
def subscribe_links(context, subject=None):
    """The visible “Subscribe” links for the page's feeds; the site's pages (home, lists,
    archives: no ``subject``) add the language's calendar of media advisories."""
    links = {"feeds": _page_feeds(context, subject)}
    if subject is None:
        links["calendar"] = calendar_links(context.get("request"))
    return links


def calendar_links(request) -> dict:
    """The calendar of media advisories at its https address, and as ``webcal:``, the same
    address, which calendar programs open as a subscription (some mishandle it: both are
    given)."""
    url = metadata.absolute(reverse("formats:advisories-calendar"), request)
    return {"url": url, "webcal": "webcal://" + url.partition("://")[2]}


@register.inclusion_tag("includes/page_meta.html", takes_context=True)
def page_metadata(context, subject=None, title="", description="", home=False):
    """Canonical address, description, OpenGraph, Twitter card and JSON-LD of the page.

    A release or campaign describes itself; any other page gets sensible defaults, with the
    ``title`` and ``description`` it gives (a link preview then names the page, not only the
    newsroom). Every page shares an image: its own, else the organisation's, else the icon."""
    request = context.get("request")
    organisation = context.get("organisation")
    if home and request is not None:
        meta = metadata.home_page_meta(request, organisation)
    elif subject is None or request is None:
        meta = metadata.default_page_meta(request, organisation) if request else {}
        if meta and title:
            meta["title"] = str(title)
        if meta and description:
            meta["description"] = clipped(" ".join(str(description).split()), DESCRIPTION_LENGTH)
    elif isinstance(subject, Release):
        meta = metadata.release_page_meta(subject, request, organisation)
    else:
        # The same cached lookup as the page's figure: no statement of its own.
        visual = public_campaign_visual(subject)
        meta = metadata.campaign_page_meta(subject, request, organisation, visual)
    if meta:
        language = subject.language if isinstance(subject, Release) else None
        meta |= metadata.locales(language or translation.get_language(), page_versions(context))
    site_name = organisation.name if organisation else ""
    return {"meta": meta, "site_name": site_name}
