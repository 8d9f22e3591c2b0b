"""oEmbed (https://oembed.com/) for every release: paste a release's address into a CMS or a
chat and it shows the release's card.

``/oembed?url=<address of a release page>&format=json[&maxwidth=…&maxheight=…]``: an address
that is not a public release page of this newsroom answers 404, a malformed request 400, and
``format=xml`` 501 (the specification's answer for a format not offered). An address whose page
leads on to a release (a former address of it, the wrong date) gives that release's card.
"""

import json
from datetime import date
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext

from formats import reading
from formats.responses import NO_PUBLIC_RELEASE, json_refusal, machine_response, preflight
from pagecache import caching
from releases.public import addresses
from releases.public.addresses import release_address_leads
from releases.text.languages import long_date
from releases.text.numbers import whole_number

MEDIA_TYPE = "application/json+oembed"
DEFAULT_WIDTH = 600
DEFAULT_HEIGHT = 240
CACHE_AGE = 3600


class BadRequest(Exception):
    pass


def _dimension(request, name: str) -> int | None:
    value = request.GET.get(name, "")
    if value == "":
        return None
    pixels = whole_number(value)
    if pixels is None or not 0 < pixels <= 10_000:
        raise BadRequest(gettext("%(name)s must be a whole number of pixels.") % {"name": name})
    return pixels


def _release_at(url: str, request):
    """The public release whose page is at ``url`` on this site, or the one that address's
    page leads to (a former address, a wrong date); 404 otherwise."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError as error:  # an unclosed IPv6 bracket, say
        raise Http404("Not an address") from error
    ours = {request.get_host().split(":")[0], reading.host()}
    if parts.scheme not in ("http", "https") or host not in ours:
        raise Http404("Not an address of this newsroom")
    language = parts.path.strip("/").split("/")[0]
    if language not in dict(settings.LANGUAGES):
        raise Http404("Not a release page")
    with translation.override(language):
        try:
            match = resolve(parts.path)
        except Resolver404 as error:
            raise Http404("Not a release page") from error
    if match.view_name != "releases:detail":
        raise Http404("Not a release page")
    try:
        day = date(int(match.kwargs["year"]), int(match.kwargs["month"]), int(match.kwargs["day"]))
    except ValueError as error:
        raise Http404("No such date") from error
    public = reading.public_releases(include_withdrawn=True)
    release = public.filter(language=language, publication_date=day, slug=match.kwargs["slug"])
    release = release.first()
    if release is None:
        # Where the page leads readers on to a release (a former address of it, or the wrong
        # date), its card follows; anything else the page answers is no card.
        lead = release_address_leads(language, day, match.kwargs["slug"])
        if lead is not None and lead.kind in (addresses.MOVED, addresses.ANOTHER_DAY):
            release = public.filter(pk=lead.release.pk).first()
    if release is None:
        raise Http404("No such release")
    return release


def card_html(release, organisation, page: str) -> str:
    """The card: a plain blockquote with a link (no script, no frame), in the release's
    language; its headline says first that an advisory's event is cancelled or moved, as the
    feeds title it."""
    with translation.override(release.language):
        withdrawn = (
            format_html("<p><strong>{}</strong></p>", gettext("This release has been withdrawn."))
            if release.is_withdrawn
            else ""
        )
        return format_html(
            '<blockquote class="newsroom-release" lang="{}" cite="{}">{}'
            '<p><a href="{}">{}</a></p><p>{}</p>'
            '<p>— {}, <time datetime="{}">{}</time></p></blockquote>',
            release.language,
            page,
            withdrawn,
            page,
            reading.flagged_headline(release),
            reading.summary(release),
            organisation.name if organisation else reading.host(),
            reading.published(release),
            long_date(release.publish_at),
        )


def document(release, organisation, request, *, maxwidth=None, maxheight=None) -> dict:
    page = reading.absolute(release.get_absolute_url(), request)
    width = min(DEFAULT_WIDTH, maxwidth or DEFAULT_WIDTH)
    height = min(DEFAULT_HEIGHT, maxheight or DEFAULT_HEIGHT)
    name = organisation.name if organisation else reading.host()
    with translation.override(release.language):
        title = reading.flagged_headline(release)  # a cancelled event is seen in the card
    data = {
        "version": "1.0",
        "type": "rich",
        "title": title,
        "author_name": name,
        "author_url": (organisation.website if organisation and organisation.website else "")
        or f"{reading.site_origin(request)}/",
        "provider_name": name,
        "provider_url": f"{reading.site_origin(request)}/",
        "cache_age": CACHE_AGE,
        "html": card_html(release, organisation, page),
        "width": width,
        "height": height,
        # Beyond the specification (its members may be extended): what the card is about.
        "url": page,
        "language": release.language,
        "published": reading.published(release),
        "updated": reading.updated(release),
    }
    card = release.social_image
    fits = card and card.width <= (maxwidth or card.width) and card.height <= (maxheight or 9999)
    if fits:
        data |= {
            "thumbnail_url": reading.absolute(card.url, request),
            "thumbnail_width": card.width,
            "thumbnail_height": card.height,
        }
    return data


def oembed_view(request):
    if request.method == "OPTIONS":
        return preflight()
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, OPTIONS"})
    try:
        response_format = request.GET.get("format", "json")
        if response_format == "xml":
            return json_refusal(501, gettext("Only the JSON format is offered."))
        if response_format != "json":
            raise BadRequest(gettext("format must be json."))
        url = request.GET.get("url", "").strip()
        if not url:
            raise BadRequest(gettext("Give the address of a release as url."))
        maxwidth, maxheight = _dimension(request, "maxwidth"), _dimension(request, "maxheight")
    except BadRequest as error:
        return json_refusal(400, error)
    key = caching.key_for(
        "oembed", reading.site_origin(request), url, str(maxwidth), str(maxheight)
    )

    def compute() -> bytes:
        release = _release_at(url, request)
        organisation = reading.organisation_of(request)
        data = document(release, organisation, request, maxwidth=maxwidth, maxheight=maxheight)
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()

    # Kept per address under the page cache's rules (this path is outside the language
    # prefixes, whose pages the page cache keeps).
    try:
        content = caching.remember(key, compute)
    except Http404:
        return json_refusal(404, NO_PUBLIC_RELEASE)
    return machine_response(request, content, "application/json; charset=utf-8")
