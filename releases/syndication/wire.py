"""A release as plain text in wire format, ready to paste into an e-mail or a wire service."""

import re

from django.utils import translation
from django.utils.translation import gettext

from releases.text.html import clean_control_characters, plain_text, text_line
from releases.text.languages import after_of

_LIST_ITEM = re.compile(r"<li[^>]*>(.*?)</li>", re.DOTALL)


def _block_text(html: str) -> str:
    """One body block as text: lists become one “- item” line per item."""
    if html.startswith(("<ul", "<ol")):
        items = [text_line(item) for item in _LIST_ITEM.findall(html)]
        if html.startswith("<ol"):
            return "\n".join(f"{n}. {item}" for n, item in enumerate(items, start=1))
        return "\n".join(f"- {item}" for item in items)
    return plain_text(html)


def _contact_lines(contact) -> list[str]:
    fields = (contact.name, contact.role, contact.organisation_name, contact.phone, contact.email)
    return [field for field in fields if field]


def wire_text(release, organisation, url: str = "") -> str:
    """Distribution line, headline, dateline and body with quotes, end mark, contacts,
    boilerplate; in the release's own language."""
    with translation.override(release.language):
        parts = []
        if release.is_withdrawn:
            parts.append(gettext("This release has been withdrawn."))
            if release.withdrawn_reason:
                parts.append(release.withdrawn_reason)
        parts.append(release.distribution_line)
        parts.append(str(release.get_release_type_display()).upper())
        parts.append(release.headline + (f"\n{release.subheadline}" if release.subheadline else ""))

        body = []
        for block in release.body_with_quotes():
            if "quote" in block:
                printed = block["quote"].printed()
                body.append(f"{printed['words']} {printed['verb']} {block['quote'].attribution}.")
            else:
                body.append(_block_text(block["html"]))
        lead = f"{release.dateline} –"
        if body and not body[0].startswith(("“", "«", "- ", "1. ")):
            body[0] = f"{lead} {body[0]}"
        else:
            body.insert(0, lead)
        parts.extend(body)

        parts.append(organisation.end_mark if organisation else "-30-")

        contacts = release.media_contacts_shown(organisation)
        if contacts:
            parts.append(
                gettext("For more information, or to arrange an interview, please contact:")
            )
            parts.extend("\n".join(_contact_lines(contact)) for contact in contacts)

        if organisation and organisation.boilerplate:
            parts.append(
                gettext("About %(name)s") % {"name": after_of(organisation.name)}
                + "\n"
                + organisation.boilerplate.strip()
            )
        if url:
            parts.append(url)
    return clean_control_characters("\n\n".join(part.strip() for part in parts if part)) + "\n"
