"""Alerts rendered once per release, kind and language, and copied for each subscriber.

Within a batch, the alerts about one release differ from one subscriber to the next only in the
address, their own links (manage, unsubscribe) and the words for their choices. The templates
are rendered once per (release, kind, correction, language) with stand-ins for those, and each
subscriber's copy replaces them. For SMTP the MIME text is serialised once as well (Python's
email package spends more time folding headers than a worker spends on anything else), and
each subscriber's bytes are that text with the stand-ins replaced. A value that could not go in
as it is (a non-ASCII address, non-ASCII words in a 7-bit part, a line grown past the limit)
makes that one email go the usual way instead.
"""

from dataclasses import dataclass, field
from email.utils import formatdate

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from alerts import tokens
from alerts.emails import (
    alert_headers,
    delivery_message_id,
    language_name,
    release_context,
    sender,
    site_url,
    subject_line,
)
from alerts.models import Delivery, Subscriber
from releases.models import Organisation

# What differs between subscribers, as it stands in the rendered text until each copy is made.
MANAGE_URL = "@@alerts-manage-url@@"
UNSUBSCRIBE_URL = "@@alerts-unsubscribe-url@@"
CHOICES = "@@alerts-choices@@"
PERSONAL = {"manage_url": MANAGE_URL, "unsubscribe_url": UNSUBSCRIBE_URL, "choices": CHOICES}
# In the serialised MIME text only: the HTML part's stand-ins (their values are escaped there)
# and the headers that differ. The address stand-in is shaped like an address so that Django
# takes it as one.
HTML_PREFIX = "@@alerts-html-"
TO = "alerts-to@stand-in.invalid"
DATE = "@@alerts-date@@"
MESSAGE_ID = "@@alerts-message-id@@"
HEADER_UNSUBSCRIBE = "@@alerts-header-unsubscribe@@"
TOKEN = "@@alerts-token@@"
LONGEST_LINE = 998  # RFC 5322


def _in_html(stand_in: str) -> str:
    return stand_in.replace("@@alerts-", HTML_PREFIX, 1)


@dataclass
class Rendered:
    """One alert with stand-ins: its subject and parts, and its MIME text for SMTP."""

    subject: str
    text: str
    html: str
    sender: str
    wire: bytes | None = None
    seven_bit: bool = False
    # The length of each line that holds stand-ins, and which: no line may pass LONGEST_LINE.
    lines: list[tuple[int, list[bytes]]] = field(default_factory=list)


@dataclass
class Personal:
    """One subscriber's values for the stand-ins."""

    email: str
    manage_url: str
    unsubscribe_url: str
    choices: str


class AlertRenderer:
    """Makes the alerts of one batch; keep one for the whole batch."""

    def __init__(self, organisation: Organisation | None):
        self.organisation = organisation
        self._rendered: dict[tuple, Rendered] = {}
        self._links: dict[str, tuple[str, str]] = {}
        self._every_release: dict[str, str] = {}

    def message(self, delivery: Delivery, *, message_id: str | None = "") -> EmailMultiAlternatives:
        """The email for ``delivery``; ``message_id`` None lets Django make one (a preview)."""
        rendered = self._render(delivery)
        personal = self._personal(delivery.subscriber)
        values = {
            MANAGE_URL: personal.manage_url,
            UNSUBSCRIBE_URL: personal.unsubscribe_url,
            CHOICES: personal.choices,
        }
        message = EmailMultiAlternatives(
            subject=rendered.subject,
            body=_replace(rendered.text, values),
            from_email=rendered.sender,
            to=[personal.email],
            headers=alert_headers(
                personal.unsubscribe_url,
                delivery_message_id([delivery.pk]) if message_id == "" else message_id,
            ),
        )
        html_values = {_in_html(key): escape(value) for key, value in values.items()}
        message.attach_alternative(_replace(rendered.html, html_values), "text/html")
        return message

    def smtp_bytes(self, delivery: Delivery) -> bytes | None:
        """The same email as ``message(delivery)``, as the bytes an SMTP server receives; None
        when this one must be built the usual way."""
        rendered = self._render(delivery)
        personal = self._personal(delivery.subscriber)
        if rendered.wire is None or not personal.email.isascii():
            return None
        texts = {
            MANAGE_URL: personal.manage_url,
            UNSUBSCRIBE_URL: personal.unsubscribe_url,
            CHOICES: personal.choices,
        }
        values = (
            texts
            | {_in_html(key): escape(value) for key, value in texts.items()}
            | {
                TO: personal.email,
                DATE: formatdate(localtime=settings.EMAIL_USE_LOCALTIME),
                MESSAGE_ID: delivery_message_id([delivery.pk]),
                HEADER_UNSUBSCRIBE: personal.unsubscribe_url,
            }
        )
        encoded = {key.encode(): value.encode() for key, value in values.items()}
        if rendered.seven_bit and not all(value.isascii() for value in encoded.values()):
            return None
        for length, keys in rendered.lines:
            if length + sum(len(encoded[key]) - len(key) for key in keys) > LONGEST_LINE:
                return None
        wire = rendered.wire
        for stand_in, value in encoded.items():
            wire = wire.replace(stand_in, value)
        return wire

    def _render(self, delivery: Delivery) -> Rendered:
        subscriber, release = delivery.subscriber, delivery.release
        key = (release.pk, delivery.kind, delivery.correction_id, subscriber.language)
        if key in self._rendered:
            return self._rendered[key]
        language = subscriber.language
        context = release_context(release, self.organisation) | {
            "organisation": self.organisation,
            "subscriber": subscriber,
            "kind": delivery.kind,
            "correction": delivery.correction,
            "other_language": release.language != language,
            "release_language": language_name(release.language, language),
            "own_language": language_name(language, language),
            "manage_url": MANAGE_URL,
            "unsubscribe_url": UNSUBSCRIBE_URL,
            "choices_summary": CHOICES,
        }
        with translation.override(language):
            text = render_to_string("alerts/email/alert.txt", context)
            html = render_to_string("alerts/email/alert.html", context)
            from_email = sender(self.organisation)
        for stand_in in PERSONAL.values():
            html = html.replace(stand_in, _in_html(stand_in))
        subject = subject_line(delivery.kind, release, language, delivery.correction)
        subject = subject.replace("\n", " ").strip()
        rendered = Rendered(subject=subject, text=text, html=html, sender=from_email)
        _serialise(rendered)
        self._rendered[key] = rendered
        return rendered

    def _personal(self, subscriber: Subscriber) -> Personal:
        language = subscriber.language
        if language not in self._links:
            with translation.override(language):
                self._links[language] = (
                    site_url(reverse("alerts:manage", kwargs={"token": TOKEN})),
                    site_url(reverse("alerts:unsubscribe", kwargs={"token": TOKEN})),
                )
        manage, unsubscribe = self._links[language]
        token = tokens.manage_token(subscriber)
        return Personal(
            email=subscriber.email,
            manage_url=manage.replace(TOKEN, token),
            unsubscribe_url=unsubscribe.replace(TOKEN, token),
            choices=self._choices(subscriber),
        )

    def _choices(self, subscriber: Subscriber) -> str:
        language = subscriber.language
        if subscriber.everything and language in self._every_release:
            return self._every_release[language]
        with translation.override(language):
            words = subscriber.choices_summary()
        if subscriber.everything:
            self._every_release[language] = words
        return words


def _replace(text: str, values: dict[str, str]) -> str:
    for stand_in, value in values.items():
        text = text.replace(stand_in, value)
    return text


def _serialise(rendered: Rendered) -> None:
    """Django makes the MIME text once, with stand-ins; it is kept only if every stand-in came
    out whole, as often as it went in (not folded, not quoted-printable), and the parts are
    7 or 8 bit."""
    headers = alert_headers(HEADER_UNSUBSCRIBE, MESSAGE_ID) | {"To": TO, "Date": DATE}
    template = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=rendered.sender,
        to=[TO],
        headers=headers,
    )
    template.attach_alternative(rendered.html, "text/html")
    wire = template.message().as_bytes(linesep="\r\n")
    expected = {TO: 1, DATE: 1, MESSAGE_ID: 1, HEADER_UNSUBSCRIBE: 1}
    for stand_in in PERSONAL.values():
        expected[stand_in] = rendered.text.count(stand_in)
        expected[_in_html(stand_in)] = rendered.html.count(_in_html(stand_in))
    if any(wire.count(key.encode()) != count for key, count in expected.items()):
        return
    for encoding in (b"quoted-printable", b"base64"):
        if b"Content-Transfer-Encoding: " + encoding in wire:
            return
    stand_ins = [key.encode() for key in expected]
    rendered.wire = wire
    rendered.seven_bit = b"Content-Transfer-Encoding: 7bit" in wire
    rendered.lines = [
        (len(line), [key for key in stand_ins for _ in range(line.count(key))])
        for line in wire.split(b"\r\n")
        if any(key in line for key in stand_ins)
    ]


def alert_message(
    delivery: Delivery,
    organisation: Organisation | None = None,
    *,
    message_id: str | None = "",
) -> EmailMultiAlternatives:
    """One release, one correction or one withdrawal, for one subscriber."""
    return AlertRenderer(organisation).message(delivery, message_id=message_id)
