"""The read-only content API, ``/api/v1/``, with django-ninja: releases (the list's filters,
cursor pagination), campaigns, spokespeople, topics and release types, as JSON with stable ids
and absolute addresses, and its OpenAPI 3 document at ``/api/v1/schema/``.

Every release comes from ``Release.objects.published()`` (a release's own address also answers
for a withdrawn one, marked so, as its page does). Each answer is computed once per address and
kept under the rules of ``pagecache.caching``; it carries an ETag (304 when unchanged), a shared
lifetime that ends before the next embargo lifts, and CORS for reads from any origin. Reads are
limited per client address (``API_RATE_LIMIT``; 429 with ``Retry-After`` past it).
"""

import base64
import binascii
import inspect
import json
from datetime import datetime
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from ninja import NinjaAPI, Query, Schema
from ninja.errors import ValidationError as NinjaValidationError
from pydantic.fields import FieldInfo

from formats import reading
from formats.api_errors import error_answer, not_allowed
from formats.api_schemas import (
    CampaignList,
    CampaignOut,
    ReleaseOut,
    ReleasePage,
    SpokespersonList,
    SpokespersonOut,
    TopicList,
    TypeList,
    TypeOut,
)
from formats.api_throttle import AddressThrottle
from formats.responses import allow_cors, machine_response, preflight
from pagecache import caching
from pagecache.middleware import page_cache_exempt
from releases.models import Campaign, ReleaseType, Spokesperson, Topic
from releases.public.forms import ReleaseFilterForm
from releases.search.query import filter_releases

DEFAULT_LIMIT = 20
MAX_LIMIT = 50
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


api = NinjaAPI(
    title="Newsroom content API",
    version="1",
    description=(
        "Read-only: public press releases, campaigns, spokespeople, topics and release types. "
        "Answers carry an ETag (send If-None-Match for a 304) and allow any origin (CORS)."
    ),
    urls_namespace="api",
    openapi_url="/schema/",
    docs_url=None,
    throttle=[AddressThrottle()],
)


@api.exception_handler(NinjaValidationError)
def bad_request(request, exc):
    """400, saying which parameter and why, never repeating what was sent."""
    problems = [
        {"loc": list(error.get("loc", [])), "msg": error.get("msg", "")} for error in exc.errors
    ]
    return error_answer(request, 400, problems)


@api.exception_handler(Http404)
def not_found(request, exc):
    return error_answer(request, 404)


class BadParameter(Exception):
    pass


@api.exception_handler(BadParameter)
def bad_parameter(request, exc):
    return error_answer(request, 400, str(exc))


def refuses_unknown_parameters(operation):
    """A parameter the operation does not take is a 400 that names it, rather than being
    ignored: a misspelt filter (``languag=fr``) would otherwise answer with every release."""
    understood = {
        parameter.default.alias or name
        for name, parameter in inspect.signature(operation).parameters.items()
        if isinstance(parameter.default, FieldInfo)  # Query(…); the path's are not asked for
    }

    @wraps(operation)
    def checked(request, *args, **kwargs):
        unknown = sorted(set(request.GET) - understood)
        if unknown:
            named = ", ".join(name[:40] for name in unknown[:5])
            raise BadParameter(
                f"Not a parameter of this address: {named}. "
                f"It takes: {', '.join(sorted(understood)) or 'none'}."
            )
        return operation(request, *args, **kwargs)

    return checked


api.add_decorator(refuses_unknown_parameters)


# Schemas: what each answer holds (and what the OpenAPI document says it holds).


def _api_url(request, name: str, **kwargs) -> str:
    return reading.absolute(reverse(f"api:{name}", kwargs=kwargs), request)


def _contact(contact) -> dict:
    return {
        "name": contact.name,
        "role": contact.role,
        "organisation": contact.organisation_name,
        "email": contact.email,
        "phone": contact.phone,
    }


def _topic(topic, request) -> dict:
    return {
        "id": topic.pk,
        "slug": topic.slug,
        "name": topic.name,
        "url": reading.absolute(topic.get_absolute_url(), request),
    }


def _campaign_ref(campaign, request) -> dict:
    return {
        "id": campaign.pk,
        "slug": campaign.slug,
        "name": str(campaign),
        "url": reading.absolute(campaign.get_absolute_url(), request),
        "api_url": _api_url(request, "campaign", campaign_id=campaign.pk),
    }


def _spokesperson_ref(person, request) -> dict:
    return {
        "id": person.pk,
        "slug": person.slug,
        "name": person.full_name,
        "url": reading.absolute(person.get_absolute_url(), request),
        "api_url": _api_url(request, "spokesperson", spokesperson_id=person.pk),
    }


def _releases_url(request, **filters) -> str:
    return f"{_api_url(request, 'releases')}?{urlencode(filters)}"


def _image(image, request) -> dict:
    return {
        "id": str(image.key),
        "alt": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "licence": image.licence,
        "width": image.width,
        "height": image.height,
        "renditions": [
            {
                "role": record["role"],
                "format": record["format"],
                "media_type": image.mime_type
                if record["format"] == image.format
                else f"image/{record['format'].lower()}",
                "width": record["width"],
                "height": record["height"],
                "bytes": record["bytes"],
                "url": reading.absolute(image.url_for(record), request),
            }
            for record in sorted(image.files, key=lambda r: (r["role"], r["format"], r["width"]))
        ],
    }


def _event(release, request) -> dict | None:
    event = reading.advisory_event(release)
    if event is None:
        return None
    contact = event.accreditation_contact
    return {
        "uid": str(event.uid),
        "starts_at": event.starts_at.astimezone(event.zone),
        "ends_at": event.ends_at.astimezone(event.zone),
        "time_zone": event.time_zone,
        "venue": event.venue,
        "address": event.address,
        "online_url": event.online_url,
        "status": "cancelled" if event.is_cancelled else event.status,
        "sequence": event.calendar_sequence,
        "accreditation": event.accreditation_note,
        "accreditation_contact": _contact(contact) if contact else None,
        "ics_url": reading.absolute(reading.ics_path(release), request),
    }


def release_data(release, organisation, request) -> dict:
    """One release loaded by ``reading.load``, as the API gives it."""
    with translation.override(release.language):
        page = reading.absolute(release.get_absolute_url(), request)
        return {
            "id": release.pk,
            "uri": release.feed_id,
            "url": page,
            "api_url": _api_url(request, "release", release_id=release.pk),
            "ninjs_url": reading.absolute(reading.ninjs_path(release), request),
            "text_url": reading.absolute(release.get_text_url(), request),
            "oembed_url": reading.oembed_url(page, request),
            "language": release.language,
            "type": release.release_type,
            "type_label": str(release.get_release_type_display()),
            "status": "withdrawn" if release.is_withdrawn else "published",
            "withdrawn_reason": release.withdrawn_reason if release.is_withdrawn else "",
            "headline": reading.headline(release),
            "subheadline": reading.subheadline(release),
            "summary": reading.summary(release),
            "dateline": release.dateline,
            "published": timezone.localtime(release.publish_at),
            "updated": timezone.localtime(release.last_public_change),
            "body_html": reading.body_html(release, request),
            "body_text": reading.body_text(release),
            "campaign": _campaign_ref(release.campaign, request) if release.campaign else None,
            "topics": [_topic(topic, request) for topic in release.topics.all()],
            "quotes": [
                {
                    "id": quote.pk,
                    "text": quote.text,
                    "attribution": quote.attribution,
                    "position": quote.position,
                    "spokesperson": _spokesperson_ref(quote.spokesperson, request),
                }
                for quote in release.quotes.all()
            ],
            "contacts": [_contact(contact) for contact in release.contacts],
            "images": [_image(image, request) for image in release.images.all()],
            "versions": [
                {
                    "id": twin.pk,
                    "language": twin.language,
                    "url": reading.absolute(twin.get_absolute_url(), request),
                    "api_url": _api_url(request, "release", release_id=twin.pk),
                }
                for twin in release.versions
            ],
            "corrections": [
                {
                    "note": correction.note,
                    "corrected_at": timezone.localtime(correction.corrected_at),
                }
                for correction in release.corrections.all()
            ],
            "event": _event(release, request),
        }


def _dump(schema: type[Schema], data: dict) -> bytes:
    """Validated against the schema the OpenAPI document shows, then written once."""
    payload = schema.model_validate(data).model_dump(mode="json")
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def _answer(request, compute, **headers):
    """The answer at this address (path and query), kept under the rules of
    ``pagecache.caching``."""
    query = urlencode(sorted(request.GET.items()))
    key = caching.key_for("api", reading.site_origin(request), request.path, query)
    content, extra = caching.remember(key, compute)
    return machine_response(
        request, content, "application/json; charset=utf-8", **(extra | headers)
    )


def _language(value: str | None) -> str:
    if value in (None, ""):
        return settings.LANGUAGE_CODE
    if value not in LANGUAGE_CODES:
        raise BadParameter(f"language must be one of {', '.join(LANGUAGE_CODES)}.")
    return value


def encode_cursor(release) -> str:
    raw = f"{release.publish_at.isoformat()}|{release.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, pk = raw.split("|")
        parsed = datetime.fromisoformat(moment)
        if parsed.tzinfo is None:
            raise ValueError
        return parsed, int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise BadParameter("cursor is not one this API gave.") from error


def find_releases(request, *, month: int | None, cursor: str | None):
    """The releases the list and search pages would find with these parameters (every
    language unless ``language`` is given), newest first."""
    # A slug in any language: the API's addresses have none (the page's language's first).
    form = ReleaseFilterForm.from_query(request.GET, any_language=True)
    if not form.is_valid():
        raise BadParameter(" ".join(FILTER_PROBLEMS.get(name, name) for name in form.errors))
    chosen_language = form.cleaned_data.get("language")
    filters = form.filters(default_language=chosen_language or settings.LANGUAGE_CODE)
    releases = filter_releases(filters, ignore="" if chosen_language else "language")
    if month is not None:
        if filters.year is None:
            raise BadParameter("month needs a year.")
        releases = releases.filter(publication_date__month=month)
    if cursor:
        moment, pk = decode_cursor(cursor)
        releases = releases.filter(Q(publish_at__lt=moment) | Q(publish_at=moment, pk__lt=pk))
    return (
        releases.select_related("campaign", "advisory_event__accreditation_contact")
        .defer("search_vector")
        .order_by("-publish_at", "-pk")
    )


# What is wrong with a filter, without repeating what was sent.
FILTER_PROBLEMS = {
    "q": "q: too long.",
    "type": f"type must be one of {', '.join(ReleaseType.values)}.",
    "campaign": "campaign: no campaign has that slug.",
    "topic": "topic: no topic has that slug.",
    "spokesperson": "spokesperson: no spokesperson has that slug.",
    "year": "year must be a year from 1900 to 2999.",
    "language": f"language must be one of {', '.join(LANGUAGE_CODES)}.",
}


# Operations.


@api.get(
    "/releases/",
    response=ReleasePage,
    url_name="releases",
    summary="Public releases, newest first",
    description=(
        "The filters of the release list and search pages. Follow `next` (or send "
        "`next_cursor` as `cursor`) for the next page."
    ),
)
def list_releases(
    request,
    language: str | None = Query(None, description="en or fr; every language when absent"),
    release_type: str | None = Query(
        None, alias="type", description="news-release, media-advisory, statement, backgrounder"
    ),
    topic: str | None = Query(None, description="A topic's slug"),
    campaign: str | None = Query(None, description="A campaign's slug"),
    spokesperson: str | None = Query(None, description="A spokesperson's slug"),
    year: int | None = Query(None, ge=1900, le=2999),
    month: int | None = Query(None, ge=1, le=12, description="Needs year"),
    q: str | None = Query(None, description="Words, as in the search page"),
    cursor: str | None = Query(None),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
):
    def compute():
        organisation = reading.organisation_of(request)
        found = list(find_releases(request, month=month, cursor=cursor)[: limit + 1])
        page = reading.load(found[:limit], organisation)
        next_cursor = encode_cursor(page[-1]) if len(found) > limit else None
        next_url = None
        headers = {}
        if next_cursor:
            query = request.GET.copy()
            query["cursor"] = next_cursor
            next_url = reading.absolute(f"{request.path}?{query.urlencode()}", request)
            headers["Link"] = f'<{next_url}>; rel="next"'
        data = {
            "items": [release_data(release, organisation, request) for release in page],
            "next": next_url,
            "next_cursor": next_cursor,
        }
        return _dump(ReleasePage, data), headers

    return _answer(request, compute)


@api.get("/releases/{release_id}", response=ReleaseOut, url_name="release", summary="A release")
def get_release(request, release_id: int):
    def compute():
        release = reading.public_releases(include_withdrawn=True).filter(pk=release_id).first()
        if release is None:
            raise Http404("No such release")
        organisation = reading.organisation_of(request)
        reading.load_one(release, organisation)
        page = reading.absolute(release.get_absolute_url(), request)
        return _dump(ReleaseOut, release_data(release, organisation, request)), {
            "Link": f'<{page}>; rel="canonical"'
        }

    return _answer(request, compute)


def _campaign(campaign, request) -> dict:
    return _campaign_ref(campaign, request) | {
        "edition": campaign.edition,
        "theme": campaign.theme,
        "description": campaign.description,
        "hashtag": campaign.hashtag,
        "start_date": campaign.start_date,
        "end_date": campaign.end_date,
        "phase": campaign.phase(),
        "releases_url": _releases_url(request, campaign=campaign.slug),
    }


LanguageQuery = Query(None, description="The language of names and addresses (default en)")


@api.get("/campaigns/", response=CampaignList, url_name="campaigns", summary="Campaigns")
def list_campaigns(request, language: str | None = LanguageQuery):
    def compute():
        with translation.override(_language(language)):
            items = [
                _campaign(c, request)
                for c in Campaign.objects.public().order_by("-start_date", "pk")
            ]
        return _dump(CampaignList, {"items": items}), {}

    return _answer(request, compute)


@api.get(
    "/campaigns/{campaign_id}", response=CampaignOut, url_name="campaign", summary="A campaign"
)
def get_campaign(request, campaign_id: int, language: str | None = LanguageQuery):
    def compute():
        campaign = Campaign.objects.public().filter(pk=campaign_id).first()
        if campaign is None:
            raise Http404("No such campaign")
        with translation.override(_language(language)):
            return _dump(CampaignOut, _campaign(campaign, request)), {}

    return _answer(request, compute)


def _spokesperson(person, request) -> dict:
    return _spokesperson_ref(person, request) | {
        "honorific": person.honorific,
        "title": person.title,
        "organisation": person.organisation_name,
        "bio": person.bio,
        "releases_url": _releases_url(request, spokesperson=person.slug),
    }


@api.get(
    "/spokespeople/", response=SpokespersonList, url_name="spokespeople", summary="Spokespeople"
)
def list_spokespeople(request, language: str | None = LanguageQuery):
    def compute():
        with translation.override(_language(language)):
            items = [
                _spokesperson(p, request)
                for p in Spokesperson.objects.public().order_by("name", "pk")
            ]
        return _dump(SpokespersonList, {"items": items}), {}

    return _answer(request, compute)


@api.get(
    "/spokespeople/{spokesperson_id}",
    response=SpokespersonOut,
    url_name="spokesperson",
    summary="A spokesperson",
)
def get_spokesperson(request, spokesperson_id: int, language: str | None = LanguageQuery):
    def compute():
        person = Spokesperson.objects.public().filter(pk=spokesperson_id).first()
        if person is None:
            raise Http404("No such spokesperson")
        with translation.override(_language(language)):
            return _dump(SpokespersonOut, _spokesperson(person, request)), {}

    return _answer(request, compute)


@api.get("/topics/", response=TopicList, url_name="topics", summary="Topics")
def list_topics(request, language: str | None = LanguageQuery):
    def compute():
        with translation.override(_language(language)):
            items = [
                _topic(topic, request) for topic in Topic.objects.public().order_by("name", "pk")
            ]
        return _dump(TopicList, {"items": items}), {}

    return _answer(request, compute)


def _type(code: str, request) -> dict:
    return {
        "code": code,
        "label": str(ReleaseType(code).label),
        "uri": _api_url(request, "type", code=code),
        "releases_url": _releases_url(request, type=code),
    }


@api.get("/types/", response=TypeList, url_name="types", summary="Release types")
def list_types(request, language: str | None = LanguageQuery):
    def compute():
        with translation.override(_language(language)):
            items = [_type(code, request) for code in ReleaseType.values]
        return _dump(TypeList, {"items": items}), {}

    return _answer(request, compute)


@api.get(
    "/types/{code}",
    response=TypeOut,
    url_name="type",
    summary="A release type",
    description="Its address is the stable URI that ninjs documents give as their genre.",
)
def get_type(request, code: str, language: str | None = LanguageQuery):
    if code not in ReleaseType.values:
        raise Http404("No such type")

    def compute():
        with translation.override(_language(language)):
            return _dump(TypeOut, _type(code, request)), {}

    return _answer(request, compute)


def _for_machines(view):
    """Every API address: CORS (and its preflight), HEAD as GET, a method it does not take
    refused in JSON, and outside the page cache, so that the rate limit sees every request
    (answers are cached inside, per address)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "OPTIONS":
            return preflight()
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        response = view(request, *args, **kwargs)
        if response.status_code == 405:
            response = not_allowed(request)
        if head:
            request.method = "HEAD"
            if not response.streaming:
                response.content = b""
        return allow_cors(response)

    return page_cache_exempt(wrapped)


def urls():
    """The API's URL patterns and app name, each view wrapped by ``_for_machines``."""
    patterns, app_name, _namespace = api.urls
    for pattern in patterns:
        pattern.callback = _for_machines(pattern.callback)
    return patterns, app_name
