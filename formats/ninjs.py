"""A release as IPTC ninjs 3.1 (News in JSON), the format wire services and agencies exchange.

The schema refuses unknown top-level properties, so everything a release carries maps onto
ninjs's own: quotes' speakers and media contacts are ``people``, the boilerplate and the
corrections are ``bodies`` with their own role, images are ``associations`` with their
renditions, the other language's version an association with ``rel: translation``. There is no
IPTC genre for a press release: each release type has a stable URI of the newsroom's own
(``/api/v1/types/<type>``).
"""

from datetime import date

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from formats import reading
from releases.media.images import MIME_TYPES
from releases.models import Organisation, Release

MEDIA_TYPE = "application/ninjs+json"
STANDARD = {
    "name": "ninjs",
    "version": "3.1",
    "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#",
}


def genre_uri(release_type: str, request=None) -> str:
    return reading.absolute(reverse("api:type", kwargs={"code": release_type}), request)


def image_uri(image) -> str:
    return f"tag:{reading.host()},{image.uploaded_at:%Y-%m-%d}:image/{image.key}"


def renditions(image, request=None) -> list[dict]:
    """Every stored file of an image, widest last: the original, the renditions (in the
    original format and WebP) and the 1200×630 social card."""
    return [
        {
            "name": f"{record['role']}-{record['width']}-{record['format'].lower()}",
            "href": reading.absolute(image.url_for(record), request),
            "contentType": MIME_TYPES.get(record["format"], "application/octet-stream"),
            "width": record["width"],
            "height": record["height"],
            "sizeInBytes": record["bytes"],
        }
        for record in sorted(image.files, key=lambda r: (r["role"], r["format"], r["width"]))
    ]


def _image(image, position: int, request=None) -> dict:
    association = {
        "name": "lead-image" if position == 0 else f"image-{position + 1}",
        "rel": "lead-image" if position == 0 else "gallery",
        "uri": image_uri(image),
        "type": "picture",
        "descriptions": [{"role": "alt", "contentType": "text/plain", "value": image.alt_text}],
        "renditions": renditions(image, request),
    }
    if image.caption:
        association["descriptions"].append(
            {"role": "caption", "contentType": "text/plain", "value": image.caption}
        )
    if image.credit:
        association["by"] = image.credit
    if image.licence:
        association["usageTerms"] = image.licence
    return association


def _translation(twin: Release, request=None) -> dict:
    page = reading.absolute(twin.get_absolute_url(), request)
    return {
        "name": f"translation-{twin.language}",
        "rel": "translation",
        "uri": twin.feed_id,
        "type": "text",
        "language": twin.language,
        "renditions": [
            {"name": "html", "href": page, "contentType": "text/html"},
            {
                "name": "ninjs",
                "href": reading.absolute(reading.ninjs_path(twin), request),
                "contentType": MEDIA_TYPE,
            },
        ],
    }


def _contact_info(contact) -> list[dict]:
    info = []
    if contact.email:
        info.append({"type": "email", "role": "office", "value": contact.email})
    if contact.phone:
        info.append({"type": "phone", "role": "office", "value": contact.phone})
    return info


def _people(release: Release, request=None) -> list[dict]:
    people = []
    seen = set()
    for quote in release.quotes.all():
        if quote.spokesperson_id in seen:
            continue
        seen.add(quote.spokesperson_id)
        people.append(
            {
                "name": quote.spokesperson.full_name,
                "rel": "quoted",
                "uri": reading.absolute(quote.spokesperson.get_absolute_url(), request),
                "literal": quote.attribution,
            }
        )
    for contact in release.contacts:
        person = {"name": contact.name, "rel": "media-contact"}
        role = ", ".join(part for part in (contact.role, contact.organisation_name) if part)
        if role:
            person["literal"] = role
        if info := _contact_info(contact):
            person["contactInfo"] = info
        people.append(person)
    return people


def _subjects(release: Release, request=None) -> list[dict]:
    subjects = [
        {
            "name": topic.name,
            "rel": "topic",
            "uri": reading.absolute(topic.get_absolute_url(), request),
            "literal": topic.slug,
        }
        for topic in release.topics.all()
    ]
    if release.campaign:
        subjects.append(
            {
                "name": str(release.campaign),
                "rel": "campaign",
                "uri": reading.absolute(release.campaign.get_absolute_url(), request),
                "literal": release.campaign.slug,
            }
        )
    return subjects


def _bodies(release: Release, organisation: Organisation | None, request=None) -> list[dict]:
    text = reading.body_text(release)
    bodies = [
        {"role": "main", "contentType": "text/html", "value": reading.body_html(release, request)},
        {
            "role": "main",
            "contentType": "text/plain",
            "charCount": len(text),
            "wordCount": len(text.split()),
            "value": text,
        },
    ]
    if release.is_withdrawn:
        notice = gettext("This release has been withdrawn.")
        if release.withdrawn_reason:
            notice += f" {release.withdrawn_reason}"
        bodies.append({"role": "withdrawal", "contentType": "text/plain", "value": notice})
    for correction in release.corrections.all():
        bodies.append(
            {
                "role": "correction",
                "contentType": "text/plain",
                "value": f"{correction.corrected_at.date().isoformat()}: {correction.note}",
            }
        )
    if organisation and organisation.boilerplate:
        bodies.append(
            {
                "role": "boilerplate",
                "contentType": "text/plain",
                "value": gettext("About %(name)s") % {"name": organisation.name_after_of}
                + "\n\n"
                + organisation.boilerplate.strip(),
            }
        )
    return bodies


def _event_details(event) -> dict:
    return {
        "dates": {
            "startDate": event.starts_at.astimezone(event.zone).isoformat(),
            "endDate": event.ends_at.astimezone(event.zone).isoformat(),
        }
    }


def document(release: Release, organisation: Organisation | None, request=None) -> dict:
    """The ninjs document of a public (or withdrawn) release loaded by ``reading.load``."""
    with translation.override(release.language):
        page = reading.absolute(release.get_absolute_url(), request)
        name = organisation.name if organisation else ""
        item = {
            "uri": release.feed_id,
            "standard": STANDARD,
            "type": "text",
            "representationType": "full",
            "version": str(release.version),
            "firstCreated": reading.published(release),
            "versionCreated": reading.updated(release),
            "pubStatus": "canceled" if release.is_withdrawn else "usable",
            "language": release.language,
            "headlines": [
                {"role": "main", "contentType": "text/plain", "value": reading.headline(release)}
            ],
            "descriptions": [
                {"role": "summary", "contentType": "text/plain", "value": reading.summary(release)}
            ],
            "bodies": _bodies(release, organisation, request),
            "located": release.dateline_place,
            "genres": [
                {
                    "name": str(release.get_release_type_display()),
                    "uri": genre_uri(release.release_type, request),
                    "literal": release.release_type,
                }
            ],
            "subjects": _subjects(release, request),
            "people": _people(release, request),
            "associations": [
                *(_image(image, n, request) for n, image in enumerate(release.images.all())),
                *(_translation(twin, request) for twin in release.versions),
            ],
            "altIds": [
                {"role": "url", "value": page},
                {"role": "newsroom-id", "value": str(release.pk)},
            ],
            "renditions": [
                {"name": "html", "href": page, "contentType": "text/html"},
                {
                    "name": "text",
                    "href": reading.absolute(release.get_text_url(), request),
                    "contentType": "text/plain",
                },
            ],
        }
        if release.subheadline:
            item["headlines"].append(
                {
                    "role": "subheadline",
                    "contentType": "text/plain",
                    "value": reading.subheadline(release),
                }
            )
        if name:
            item["by"] = name
            item["copyrightHolder"] = name
            year = (release.publication_date or date.today()).year
            item["copyrightNotice"] = f"© {year} {name}"
        event = reading.advisory_event(release)
        if event is not None:
            item["eventDetails"] = _event_details(event)
        for key in ("associations", "subjects", "people"):
            if not item[key]:
                del item[key]
    return item
