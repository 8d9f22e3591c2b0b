"""What a feed says of each of its releases, read as values in a few statements.

A feed lists fifty releases with their full text. Read as model instances (each release with
its campaign, stored body, topics, contacts, quotes and their spokespeople: some 340 objects)
and written through a template per entry, it cost four times a plain Django feed of the same
rows (issue 18). Here each relation is read as plain values, the full text is the stored body
(``releases.public.bodies``, used only while its fingerprint matches, as the page uses it)
wrapped in a few lines of Python, and only what the feed prints is built: besides the body,
what the page prints around it (corrections, an advisory's event, documents, media contacts)."""

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple
from urllib.parse import quote

from django.conf import settings
from django.db import connections, router
from django.db.models import Case, F, Value, When
from django.db.models.functions import MD5, Substr
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext
from modeltranslation.utils import build_localized_fieldname, resolution_order

from formats import reading
from formats.models import AdvisoryEvent
from releases.models import (
    Campaign,
    Correction,
    MediaContact,
    Organisation,
    Quote,
    Release,
    Spokesperson,
    Topic,
)
from releases.models.files import ReleaseDocument, ReleaseImage
from releases.models.organisation import END_MARK
from releases.models.printed import feed_id_of
from releases.models.release import contacts_shown, dated_url_kwargs
from releases.public import bodies
from releases.public.relations import QUOTES_WITH_SPOKESPEOPLE, flag_optional_relations
from releases.sql import quoted_table
from releases.syndication.metadata import summary_of
from releases.text.typography import smart_quotes

# The columns an entry is written from: not the body, but its digest (to check the stored body's
# fingerprint) and, for a release without a summary, its start.
COLUMNS = (
    "pk",
    "headline",
    "subheadline",
    "slug",
    "language",
    "release_type",
    "summary",
    "body_md5",
    "lead_start",
    "dateline_city",
    "dateline_region",
    "publication_date",
    "publish_at",
    "updated_at",
    "created_at",
    "campaign__edition",
    "rendered_body__html",
    "rendered_body__fingerprint",
    "has_corrections",
    "has_images",
    "has_documents",
    "advisory_event__pk",  # a one-to-one's key: an advisory's event is read only when it has one
)


class Contact(NamedTuple):
    """A media contact as an entry prints it, in the feed's language (or a fallback)."""

    name: str
    role: str
    organisation_name: str
    phone: str
    email: str


@dataclass(slots=True)
class Entry:
    """One release as a feed prints it; ``content`` links to the site by paths."""

    pk: int
    headline: str
    url: str
    feed_id: str
    language: str
    release_type: str
    published: datetime
    updated: datetime
    summary: str
    categories: list[str]
    content: str = ""
    lead_image: ReleaseImage | None = None
    documents: list[ReleaseDocument] = field(default_factory=list)


@dataclass(slots=True)
class _Makings:
    """What an entry's content is written from, besides the organisation."""

    subheadline: str
    language: str
    body: str | None  # None: not stored, or stored from what has changed since
    contacts: list[Contact]
    has_corrections: bool
    has_images: bool
    has_documents: bool
    has_event: bool


def latest_entries(releases, count: int, organisation, summary_length: int) -> list[Entry]:
    """The first ``count`` of ``releases`` (public, ordered) as entries, with their content.
    Two statements, whatever the releases carry (one more for corrections, for images, for
    documents, for advisories' events, for bodies not stored by the current renderer, each
    only when some release has them)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    # The campaign's name in each language, the first found in the feed's order printed.
    campaign_names = [f"campaign__{column}" for column in _translations("name")]
    printed = _printed_in(language)
    zone = timezone.get_current_timezone()  # the newsroom's: its dates, read once
    # As much of the body as ``text_start()`` reads for the summary, only where there is none.
    lead_start = Case(
        When(summary="", then=Substr("body", 1, summary_length * 20)), default=Value("")
    )
    rows = list(
        flag_optional_relations(releases, "corrections", "images", "documents")
        .annotate(body_md5=MD5("body"), lead_start=lead_start)
        .values_list(*COLUMNS, *campaign_names)[:count]
    )
    if not rows:
        return []
    detail_path = _detail_path_writer()
    topics, quotes, contacts, default_contacts = _carried(
        [row[0] for row in rows], organisation, language
    )
    entries, makings = [], {}
    for row in rows:
        (pk, headline, subheadline, slug, release_language, release_type, summary, body_md5,
         lead_start, city, region, publication_date, publish_at, updated_at, created_at,
         edition, stored_html, stored_fingerprint, has_corrections, has_images,
         has_documents, event_pk, *campaign) = row  # fmt: skip
        categories = [*topics.get(pk, ())]
        if any(campaign):
            categories.append(Campaign.titled(printed(campaign), edition))
        fingerprint = bodies.fingerprint_of(
            body_md5, release_language, city, region, publication_date, quotes.get(pk, ())
        )
        entries.append(
            Entry(
                pk=pk,
                headline=smart_quotes(headline, release_language),
                url=detail_path(publication_date, slug),
                feed_id=feed_id_of(pk, created_at),
                language=release_language,
                release_type=release_type,
                published=publish_at.astimezone(zone),
                updated=(updated_at or publish_at).astimezone(zone),
                summary=summary_of(summary, lead_start, release_language, summary_length),
                categories=categories,
            )
        )
        makings[pk] = _Makings(
            subheadline=subheadline,
            language=release_language,
            body=stored_html if stored_fingerprint == fingerprint else None,
            contacts=contacts_shown(contacts.get(pk, []), default_contacts),
            has_corrections=has_corrections,
            has_images=has_images,
            has_documents=has_documents,
            has_event=event_pk is not None,
        )
    _render_missing_bodies(makings)
    # A release deleted since its row was read has no body to render: it is left out.
    entries = [entry for entry in entries if makings[entry.pk].body is not None]
    _fetch_lead_images(entries, makings)
    _fetch_documents(entries, makings)
    corrections = _corrections(makings)
    events = _events([entry.pk for entry in entries if makings[entry.pk].has_event])
    for entry in entries:
        event = events.get(entry.pk)
        entry.content = _content(
            makings[entry.pk],
            corrections.get(entry.pk, ()),
            organisation,
            event=event,
            documents=entry.documents,
        )
        if event is not None:
            # A cancelled or moved event is news to subscribers: dated as its calendar event is.
            entry.updated = max(entry.updated, timezone.localtime(event.event.changed_at))
        # and a reader skimming titles must see that it is off, not as announced or removed
        entry.headline = reading.event_headline(
            event.event if event else None, entry.headline, corrections.get(entry.pk, ())
        )
    return entries


# The end of a release's address (releases.public.urls): its publication date and slug.
DATED_PART = "{year}/{month}/{day}/{slug}/"


def _detail_path_writer() -> Callable[[date | None, str], str]:
    """A writer of releases' dated paths as ``reverse("releases:detail")`` writes them, in the
    active language: reversed once with a sample date and slug, whose place in the path (its
    end) is then filled per release. Fifty calls of ``reverse()`` cost a feed a millisecond."""
    sample = dated_url_kwargs(date(1999, 12, 31), "slug-of-the-release")
    dated_part = DATED_PART.format(**sample)
    prefix, found, suffix = reverse("releases:detail", kwargs=sample).rpartition(dated_part)
    if not found:  # the address has another shape: reverse each one
        return lambda day, slug: reverse("releases:detail", kwargs=dated_url_kwargs(day, slug))

    def detail_path(publication_date: date | None, slug: str) -> str:
        values = dated_url_kwargs(publication_date, slug)
        # Quoted as reverse() quotes it.
        values["slug"] = quote(slug, safe=RFC3986_SUBDELIMS + "/~:@")
        return prefix + DATED_PART.format(**values) + suffix

    return detail_path


def _translations(field: str) -> list[str]:
    """The columns of a translated field, one per language (``name_en``, ``name_fr``)."""
    return [build_localized_fieldname(field, code) for code, _name in settings.LANGUAGES]


def _printed_in(language: str) -> Callable[[Sequence[str]], str]:
    """A reader of a translated field's values (as ``_translations`` orders them) that gives
    the one printed in ``language``: its own, else the first of its fallbacks that has one,
    as modeltranslation reads a field (MODELTRANSLATION_FALLBACK_LANGUAGES). The order is
    worked out once per feed, not for each of its hundred-odd values."""
    codes = [code for code, _name in settings.LANGUAGES]
    order = [codes.index(code) for code in resolution_order(language) if code in codes]

    def printed(values: Sequence[str]) -> str:
        return next((values[index] for index in order if values[index]), "")

    return printed


def _carried(ids: list[int], organisation, language: str) -> tuple[dict, dict, dict, list]:
    """Each release's topic names and quotes (as ``bodies.fingerprint_of()`` takes them), its
    own media contacts and the organisation's default ones, in ``language``, each in the
    order its model gives (the database's, as on the release's page). One statement written
    out: four through the ORM took longer to build and read than the database to answer."""
    count = len(settings.LANGUAGES)
    marks = ", ".join(["%s"] * len(ids))
    # Typed, so that PostgreSQL matches the parts' columns whichever part comes first.
    none = "CAST(NULL AS varchar(1))"
    # Each part: kind, owner, id, position (quotes), the key its model orders it by (topics,
    # contacts: a name), then 3 + 2 × languages texts.
    width = 3 + 2 * count

    def texts(*columns: str) -> str:
        return ", ".join([*columns, *[none] * (width - len(columns))])

    roles = [f"c.{column}" for column in _translations("role")]
    organisation_names = [f"c.{column}" for column in _translations("organisation_name")]
    contact = "c.id, 0, c.name, " + texts(
        "c.name", "c.phone", "c.email", *roles, *organisation_names
    )
    topic_name = build_localized_fieldname("name", language)
    printed = _printed_in(language)
    parts = [
        f"SELECT 't', l.release_id, t.id, 0, t.{topic_name}, "
        + texts(*(f"t.{column}" for column in _translations("name")))
        + f" FROM {quoted_table(Release.topics.through)} l "
        f"JOIN {quoted_table(Topic)} t ON t.id = l.topic_id WHERE l.release_id IN ({marks})",
        f"SELECT 'q', q.release_id, q.id, q.position, {none}, "
        + texts("q.text", "q.attribution", "s.slug")
        + f" FROM {quoted_table(Quote)} q "
        f"JOIN {quoted_table(Spokesperson)} s ON s.id = q.spokesperson_id "
        f"WHERE q.release_id IN ({marks})",
        f"SELECT 'c', l.release_id, {contact} "
        f"FROM {quoted_table(Release.media_contacts.through)} l "
        f"JOIN {quoted_table(MediaContact)} c ON c.id = l.mediacontact_id "
        f"WHERE l.release_id IN ({marks})",
    ]
    params = ids * 3
    if organisation is not None:
        parts.append(
            f"SELECT 'd', d.organisation_id, {contact} "
            f"FROM {quoted_table(Organisation.default_media_contacts.through)} d "
            f"JOIN {quoted_table(MediaContact)} c ON c.id = d.mediacontact_id "
            "WHERE d.organisation_id = %s"
        )
        params.append(organisation.pk)
    # Sorted by the database, as the release's page sorts them (its collation, its NULLs).
    statement = " UNION ALL ".join(parts) + " ORDER BY 1, 4, 5, 3"
    topics, quotes = defaultdict(list), defaultdict(list)
    contacts = {"c": defaultdict(list), "d": defaultdict(list)}
    with connections[router.db_for_read(Release)].cursor() as cursor:
        cursor.execute(statement, params)
        for kind, owner, pk, position, _key, *values in cursor.fetchall():
            if kind == "t":
                topics[owner] += filter(None, [printed(values[:count])])
            elif kind == "q":
                text, attribution, slug = values[:3]
                quotes[owner].append((pk, text, attribution, position, slug))
            else:
                name, phone, email = values[:3]
                contacts[kind][owner].append(
                    Contact(
                        name=name,
                        role=printed(values[3 : 3 + count]),
                        organisation_name=printed(values[3 + count : 3 + 2 * count]),
                        phone=phone,
                        email=email,
                    )
                )
    default = contacts["d"][organisation.pk] if organisation is not None else []
    return topics, quotes, contacts["c"], default


def _render_missing_bodies(makings: dict[int, _Makings]) -> None:
    """Render the bodies not stored, or stored from what has changed since, as the page does."""
    missing = [pk for pk, making in makings.items() if making.body is None]
    if not missing:
        return
    for release in Release.objects.filter(pk__in=missing).prefetch_related(
        QUOTES_WITH_SPOKESPEOPLE
    ):
        makings[release.pk].body = bodies.render_body(release)


def _fetch_lead_images(entries: list[Entry], makings: dict[int, _Makings]) -> None:
    having = {entry.pk: entry for entry in entries if makings[entry.pk].has_images}
    if not having:
        return
    for image in ReleaseImage.objects.filter(release_id__in=having).order_by(
        F("release_id"), *ReleaseImage._meta.ordering
    ):
        entry = having[image.release_id]
        if entry.lead_image is None:
            entry.lead_image = image


def _fetch_documents(entries: list[Entry], makings: dict[int, _Makings]) -> None:
    having = {entry.pk: entry for entry in entries if makings[entry.pk].has_documents}
    if not having:
        return
    for document in ReleaseDocument.objects.filter(release_id__in=having).order_by(
        F("release_id"), *ReleaseDocument._meta.ordering
    ):
        having[document.release_id].documents.append(document)


# What an event is read with: of its release, what says whether it is cancelled and where its
# calendar file is; all of the event and of its accreditation contact.
_EVENT_RELEASE_FIELDS = (
    "pk",
    "release_type",
    "status",
    "language",
    "slug",
    "publication_date",
    *(f"advisory_event__{field.name}" for field in AdvisoryEvent._meta.concrete_fields),
)


class _Event(NamedTuple):
    """An advisory's event, and the address of its calendar file."""

    event: AdvisoryEvent
    ics_path: str


def _events(having: list[int]) -> dict[int, _Event]:
    """The event of each release of ``having`` (those with one), read as its page reads it
    (``reading.advisory_event``: a media advisory's only, with the release that says whether
    it is cancelled): one statement, only when some entry has an event."""
    if not having:
        return {}
    releases = (
        Release.objects.filter(pk__in=having)
        .select_related("advisory_event__accreditation_contact")
        .only(*_EVENT_RELEASE_FIELDS)
        .order_by()
    )
    events = {}
    for release in releases:
        event = reading.advisory_event(release)
        if event is not None:
            events[release.pk] = _Event(event, reading.ics_path(release))
    return events


def _corrections(makings: dict[int, _Makings]) -> dict[int, list[Correction]]:
    having = [pk for pk, making in makings.items() if making.has_corrections]
    by_release = defaultdict(list)
    for correction in Correction.objects.filter(release_id__in=having) if having else ():
        by_release[correction.release_id].append(correction)
    return by_release


def _content(
    making: _Makings,
    corrections,
    organisation,
    *,
    event: _Event | None = None,
    documents: list[ReleaseDocument] = (),
) -> str:
    """An entry's full text as its page shows it: subheadline, corrections, an advisory's
    event, body, end mark, documents and media contacts (the organisation's when the release
    names none)."""
    parts = []
    if making.subheadline:
        parts.append(f"<p><em>{escape(smart_quotes(making.subheadline, making.language))}</em></p>")
    # Escaped as the template language escapes: the values, not the translations.
    for correction in corrections:
        label = escape(reading.corrected_label(correction))
        parts.append(f"<p><strong>{label}</strong> {escape(correction.note)}</p>")
    if event is not None:
        parts += _event_html(*event)
    end_mark = organisation.end_mark_in(making.language) if organisation else END_MARK
    parts += [making.body, f"<p>{escape(end_mark)}</p>"]
    if documents:
        parts += [
            f"\n<h2>{gettext('Documents')}</h2>",
            "<ul>{}</ul>".format("\n".join(_document_html(document) for document in documents)),
        ]
    if making.contacts:
        parts += [
            f"\n<h2>{gettext('Media contacts')}</h2>",
            "<p>{}</p>".format(
                gettext("For more information, or to arrange an interview, please contact:")
            ),
            *(_contact_html(contact) for contact in making.contacts),
        ]
    return "\n".join(parts)


def _contact_html(contact: Contact) -> str:
    lines = [escape(contact.name)]
    lines += [
        escape(value) for value in (contact.role, contact.organisation_name, contact.phone) if value
    ]
    if contact.email:
        email = escape(contact.email)
        lines.append(f'<a href="mailto:{email}">{email}</a>')
    return "<p>" + "<br>".join(lines) + "</p>"


def _event_html(event: AdvisoryEvent, ics_path: str) -> list[str]:
    """The event as the page's ``formats/advisory_event.html`` shows it, its times worded by the
    page's ``reading.event_times()`` (in the active language, in the place's zone, the
    newsroom's and UTC); without what only a browser runs (the reader's own time)."""
    parts = [f"\n<h2>{gettext('Event')}</h2>"]
    if event.is_cancelled:
        parts.append(f"<p><strong>{gettext('This event is cancelled.')}</strong></p>")
    elif event.status == AdvisoryEvent.Status.CHANGED:
        changed = gettext("The time or place of this event has changed.")
        parts.append(f"<p><strong>{changed}</strong></p>")
    spans = "".join(f"<li>{escape(span['text'])}</li>" for span in reading.event_times(event))
    parts += [f"<h3>{gettext('When')}</h3>", f"<ul>{spans}</ul>"]
    moved_from = reading.moved_from(event)
    if moved_from:
        parts.append(f"<p>{escape(moved_from)}</p>")
    if event.venue or event.address:
        place = "<br>".join(escape(part) for part in (event.venue, event.address) if part)
        parts += [f"<h3>{gettext('Where')}</h3>", f"<p>{place}</p>"]
    if event.online_url:
        url = escape(event.online_url)
        parts.append(f'<p>{gettext("Online:")} <a href="{url}">{url}</a></p>')
    contact = event.accreditation_contact
    if event.accreditation_note or contact:
        parts.append(f"<h3>{gettext('Accreditation')}</h3>")
        if event.accreditation_note:
            parts.append(f"<p>{escape(event.accreditation_note)}</p>")
        if contact:
            parts.append(
                _contact_html(Contact(contact.name, contact.role, "", contact.phone, contact.email))
            )
    if not event.is_cancelled:
        label = gettext("Add to calendar")
        parts.append(f'<p><a href="{escape(ics_path)}" type="text/calendar">{label}</a></p>')
    return parts


def _document_html(document: ReleaseDocument) -> str:
    """“Fact sheet (PDF, 1.2 MB)”, linked, as the page lists it."""
    url, title = escape(document.get_absolute_url()), escape(document.title)
    kind, size = escape(document.get_kind_display()), filesizeformat(document.size)
    return f'<li><a href="{url}">{title}</a> ({kind}, {size})</li>'
