"""The emails subscribers receive, as text and HTML, in their language.

Every email carries a link to the page where the subscriber changes or ends their alerts, and
``List-Unsubscribe`` with ``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058).
The HTML keeps to 600 pixels, inlines its styles and loads nothing: no images, no pixels.
"""

from collections.abc import Iterable
from email.utils import formataddr, parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from alerts import tokens
from alerts.models import Delivery, NoticeKind, Subscriber
from formats import reading
from releases.models import Correction, Organisation, Release
from releases.syndication.metadata import summary_paragraphs

SUMMARY_LENGTH = 400


def site_url(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def sender(organisation: Organisation | None) -> str:
    """Who the email is from: ``DEFAULT_FROM_EMAIL``, under the organisation's name (in the
    active language) when the setting gives no name of its own. Encoded by ``formataddr``, so
    that accents and commas in a name reach mail programs whole."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if name or organisation is None or not address:
        return settings.DEFAULT_FROM_EMAIL
    return formataddr((organisation.name, address))


def subscriber_links(subscriber: Subscriber) -> dict[str, str]:
    """The absolute addresses of the subscriber's own pages, in their language."""
    token = tokens.manage_token(subscriber)
    with translation.override(subscriber.language):
        return {
            "manage_url": site_url(reverse("alerts:manage", kwargs={"token": token})),
            "unsubscribe_url": site_url(reverse("alerts:unsubscribe", kwargs={"token": token})),
        }


def alert_headers(unsubscribe_url: str, message_id: str | None) -> dict[str, str]:
    """The headers of every email to a subscriber: one-click unsubscribe (RFC 8058), the list's
    id, and the stable Message-ID when there is one."""
    headers = {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"<alerts.{site_host()}>",
        "Auto-Submitted": "auto-generated",
    }
    if message_id:
        headers["Message-ID"] = message_id
    return headers


def _message(
    *,
    subscriber: Subscriber,
    subject: str,
    template: str,
    context: dict,
    message_id: str | None = None,
) -> EmailMultiAlternatives:
    """The email with its headers, rendered in the subscriber's language."""
    links = subscriber_links(subscriber)
    if "organisation" not in context:
        context["organisation"] = Organisation.current()
    with translation.override(subscriber.language):
        full = {
            "subscriber": subscriber,
            **links,
            "choices_summary": subscriber.choices_summary(),
            **context,
        }
        text = render_to_string(f"alerts/email/{template}.txt", full)
        html = render_to_string(f"alerts/email/{template}.html", full)
        from_email = sender(context["organisation"])
    message = EmailMultiAlternatives(
        subject=subject.replace("\n", " ").strip(),
        body=text,
        from_email=from_email,
        to=[subscriber.email],
        headers=alert_headers(links["unsubscribe_url"], message_id),
    )
    message.attach_alternative(html, "text/html")
    return message


def delivery_message_id(delivery_ids: Iterable[int]) -> str:
    """The same id every time the same email is sent (a retry after a worker died), so mail
    programs recognise a duplicate."""
    first = min(delivery_ids)
    return f"<alert.{first}@{site_host()}>"


def release_context(release: Release, organisation: Organisation | None) -> dict:
    return {
        "release": release,
        "summary": summary_paragraphs(release, SUMMARY_LENGTH),
        "url": site_url(release.get_absolute_url()),
        "contacts": release.media_contacts_shown(organisation),
    }


def subject_line(
    kind: str, release: Release, language: str, correction: Correction | None = None
) -> str:
    headline = reading.headline(release)
    with translation.override(language):
        if kind == NoticeKind.CORRECTED:
            return reading.correction_headline(correction, headline)
        if kind == NoticeKind.WITHDRAWN:
            return gettext("Withdrawn: %(headline)s") % {"headline": headline}
        if kind == NoticeKind.UNPUBLISHED:
            return gettext("Taken down: %(headline)s") % {"headline": headline}
        return headline


def digest_message(
    subscriber: Subscriber, deliveries: list[Delivery], organisation: Organisation | None = None
) -> EmailMultiAlternatives:
    """Every release, correction and withdrawal owed to a digest subscriber, in one email."""
    items = [
        release_context(delivery.release, organisation)
        | {
            "kind": delivery.kind,
            "correction": delivery.correction,
            "other_language": delivery.release.language != subscriber.language,
            "release_language": language_name(delivery.release.language, subscriber.language),
            "own_language": language_name(subscriber.language, subscriber.language),
        }
        for delivery in deliveries
    ]
    with translation.override(subscriber.language):
        if subscriber.frequency == "weekly":
            subject = gettext("Your weekly digest: %(count)s releases") % {"count": len(items)}
        else:
            subject = gettext("Your daily digest: %(count)s releases") % {"count": len(items)}
        if len(items) == 1:
            subject = gettext("Your digest: %(headline)s") % {
                "headline": subject_line(
                    items[0]["kind"],
                    items[0]["release"],
                    subscriber.language,
                    items[0]["correction"],
                )
            }
    return _message(
        subscriber=subscriber,
        subject=subject,
        template="digest",
        context={"organisation": organisation, "items": items},
        message_id=delivery_message_id([delivery.pk for delivery in deliveries]),
    )


def confirmation_message(subscriber: Subscriber, consent_id: int) -> EmailMultiAlternatives:
    token = tokens.confirmation_token(subscriber, consent_id)
    with translation.override(subscriber.language):
        confirm_url = site_url(reverse("alerts:confirm", kwargs={"token": token}))
        subject = gettext("Confirm your email alerts")
        choices = subscriber.choices_summary()
    return _message(
        subscriber=subscriber,
        subject=subject,
        template="confirm",
        context={"confirm_url": confirm_url, "choices": choices},
    )


def already_subscribed_message(subscriber: Subscriber) -> EmailMultiAlternatives:
    """Sent instead of a confirmation when a confirmed address signs up again: the page said the
    same thing either way, so nobody learns from it whether an address is subscribed."""
    with translation.override(subscriber.language):
        subject = gettext("You already receive our email alerts")
        choices = subscriber.choices_summary()
    return _message(
        subscriber=subscriber,
        subject=subject,
        template="already_subscribed",
        context={"choices": choices},
    )


def language_name(code: str, in_language: str) -> str:
    """“French” in English, “français” in French (names of languages are not capitalised)."""
    with translation.override(in_language):
        name = str(dict(settings.LANGUAGES).get(code, code))
    return name.lower() if in_language == "fr" else name
