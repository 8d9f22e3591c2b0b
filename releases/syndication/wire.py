"""A release as plain text in wire format, ready to paste into an e-mail or a wire service."""

import re
from html import unescape
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from formats import reading
from releases.models.organisation import END_MARK, newsroom_name
from releases.text.html import block_text, clean_control_characters
from releases.text.typography import smart_quotes

_LINK = re.compile(r"<a\s[^>]*?href=\"([^\"]*)\"[^>]*>(.*?)</a>", re.DOTALL)


class References:
    """Link addresses as numbered references, as a wire service prints them: “the report [1]”
    in the text, “[1] https://…” after it. Addresses on this site are spelled out whole."""

    def __init__(self, origin: str):
        self.origin = origin.rstrip("/")
        self.addresses: list[str] = []

    def number(self, html: str) -> str:
        def replace(match):
            address = unescape(match.group(1))
            if address.startswith("/") and not address.startswith("//"):
                address = self.origin + address
            if address.startswith("mailto:"):
                return match.group(2)
            if address not in self.addresses:
                self.addresses.append(address)
            return f"{match.group(2)} [{self.addresses.index(address) + 1}]"

        return _LINK.sub(replace, html)

    def listed(self) -> str:
        return "\n".join(f"[{n}] {address}" for n, address in enumerate(self.addresses, start=1))


def _contact_lines(contact) -> list[str]:
    fields = (contact.name, contact.role, contact.organisation_name, contact.phone, contact.email)
    return [field for field in fields if field]


def wire_text(release, organisation, url: str = "") -> str:
    """The organisation's name, distribution line, headline, an advisory's event, dateline and
    body with quotes, end mark, contacts, boilerplate, the release's address and the body's
    links as numbered references; a withdrawal and the corrections, dated, flagged first. In
    the release's own language, with its typographic quotes."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url)) if url else settings.SITE_URL
    references = References(origin)
    with translation.override(release.language):
        parts = []
        if release.is_withdrawn:  # before anything else, as a wire service flags a kill
            parts.append(gettext("This release has been withdrawn."))
            if release.withdrawn_reason:
                parts.append(release.withdrawn_reason)
        corrections = list(release.corrections.all())
        # and its corrections, as the page and the feeds date them
        parts += [f"{reading.corrected_label(c)} {c.note}" for c in corrections]
        parts.append(newsroom_name(organisation))
        parts.append(release.distribution_line)
        parts.append(str(release.get_release_type_display()).upper())
        event = reading.advisory_event(release)
        # A cancelled or moved event says so first, as the feeds and the alerts title it.
        headline = reading.event_headline(event, release.headline, corrections)
        parts.append(headline + (f"\n{release.subheadline}" if release.subheadline else ""))
        if event is not None:  # the when and where are what an advisory is for
            parts += reading.event_text(event, origin + reading.ics_path(release))

        body = []
        for block in release.body_with_quotes():
            if "quote" in block:
                printed = block["quote"].printed()
                body.append(f"{printed['words']} {printed['verb']} {block['quote'].attribution}.")
            else:
                body.append(block_text(references.number(block["html"])))
        lead = f"{release.dateline} –"
        if body and not body[0].startswith(("“", "«", "- ", "1. ")):
            body[0] = f"{lead} {body[0]}"
        else:
            body.insert(0, lead)
        parts.extend(body)

        parts.append(organisation.end_mark_in(release.language) if organisation else END_MARK)

        contacts = release.media_contacts_shown(organisation)
        if contacts:
            parts.append(
                gettext("For more information, or to arrange an interview, please contact:")
            )
            parts.extend("\n".join(_contact_lines(contact)) for contact in contacts)

        if organisation and organisation.boilerplate:
            parts.append(
                gettext("About %(name)s") % {"name": organisation.name_after_of}
                + "\n"
                + organisation.boilerplate.strip()
            )
        parts = [smart_quotes(part.strip(), release.language) for part in parts if part]
        if url:
            parts.append(url)
        if references.addresses:
            parts.append(gettext("Links:") + "\n" + references.listed())
    return clean_control_characters("\n\n".join(parts)) + "\n"
