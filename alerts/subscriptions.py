"""Every change to a subscription: sign up, confirm, change, leave, download, erase.

A sign-up answers the same whatever the address's state (new, waiting, confirmed, gone): the
difference shows only in the email that address receives.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, override
from django_tasks import task

from alerts import emails
from alerts.models import Consent, DeliveryState, Subscriber
from alerts.sending import Sender
from releases.models import Campaign, Topic

logger = logging.getLogger(__name__)

RATE_WINDOW = 60 * 60
# A sign-up repeating the address's last one within this time is the same form sent twice.
DOUBLE_POST_WINDOW = timedelta(minutes=2)


@dataclass
class Choices:
    language: str
    everything: bool
    release_types: list[str]
    topics: list[Topic]
    campaigns: list[Campaign]
    frequency: str

    def as_record(self) -> dict:
        return {
            "language": self.language,
            "everything": self.everything,
            "release_types": list(self.release_types),
            "topics": [topic.slug for topic in self.topics],
            "campaigns": [campaign.slug for campaign in self.campaigns],
            "frequency": self.frequency,
        }


def consent_statement(language: str) -> str:
    with override(language):
        return gettext(
            "I agree to receive email alerts of the newsroom’s releases at this address, as "
            "chosen, until I unsubscribe. My address is used for nothing else."
        )


def normalise_email(email: str) -> str:
    return email.strip().lower()


def within_rate(scope: str, *, per_hour: int) -> bool:
    """Counts one sign-up against ``scope`` (an address, a client); False once it passed
    ``per_hour`` in the last hour. The cache is shared by all processes in production
    (Redis)."""
    key = "alerts:rate:" + hashlib.sha256(scope.encode()).hexdigest()[:32]
    cache.add(key, 0, RATE_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW)
        count = 1
    return count <= per_hour


def apply_choices(subscriber: Subscriber, choices: Choices) -> None:
    subscriber.language = choices.language
    subscriber.frequency = choices.frequency
    subscriber.everything = choices.everything
    subscriber.set_chosen_types([] if choices.everything else choices.release_types)
    subscriber.save()
    subscriber.topics.set([] if choices.everything else choices.topics)
    subscriber.campaigns.set([] if choices.everything else choices.campaigns)


def sign_up(*, email: str, choices: Choices, source: str) -> None:
    """Record the request and its consent, and queue the one email this address gets: a
    confirmation link, or a note that it is already subscribed (its choices unchanged)."""
    email = normalise_email(email)
    with transaction.atomic():
        subscriber, created = Subscriber.objects.select_for_update().get_or_create(
            email=email, defaults={"language": choices.language}
        )
        if subscriber.is_active:
            transaction.on_commit(lambda: send_already_subscribed_task.enqueue(subscriber.pk))
            return
        if _asked_just_now(subscriber, choices):
            return  # the same form sent twice (a double click): its email is on its way
        apply_choices(subscriber, choices)
        consent = Consent.objects.create(
            subscriber=subscriber,
            statement=consent_statement(choices.language),
            choices=choices.as_record(),
            source=source[:500],
        )
        transaction.on_commit(lambda: send_confirmation_task.enqueue(subscriber.pk, consent.pk))


def _asked_just_now(subscriber: Subscriber, choices: Choices) -> bool:
    """The address asked for these very choices within ``DOUBLE_POST_WINDOW``, unconfirmed."""
    latest = subscriber.consents.filter(confirmed_at__isnull=True).last()
    return (
        latest is not None
        and latest.given_at > timezone.now() - DOUBLE_POST_WINDOW
        and latest.choices == choices.as_record()
    )


def _send_now(message) -> None:
    sender = Sender()
    try:
        sender.send(message)
    finally:
        sender.close()


def send_confirmation(subscriber_id: int, consent_id: int) -> bool:
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.is_active:
        return False
    _send_now(emails.confirmation_message(subscriber, consent_id))
    Subscriber.objects.filter(pk=subscriber_id).update(last_confirmation_sent_at=timezone.now())
    return True


def send_already_subscribed(subscriber_id: int) -> bool:
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or not subscriber.is_active:
        return False
    _send_now(emails.already_subscribed_message(subscriber))
    return True


@transaction.atomic
def confirm(*, subscriber: Subscriber, consent_id: int) -> Subscriber:
    """The button on the confirmation page: alerts start, and the consent is confirmed."""
    now = timezone.now()
    consent = subscriber.consents.filter(pk=consent_id).first()
    if consent is not None and consent.confirmed_at is None:
        consent.confirmed_at = now
        consent.save(update_fields=["confirmed_at"])
    if not subscriber.is_active:
        subscriber.confirmed_at = now
        subscriber.unsubscribed_at = None
        subscriber.bounced_at = None
        subscriber.save(update_fields=["confirmed_at", "unsubscribed_at", "bounced_at"])
    return subscriber


@transaction.atomic
def change(*, subscriber: Subscriber, choices: Choices, source: str) -> Subscriber:
    """New choices from the manage page (reached through a signed link only the address has),
    recorded as a new consent; alerts (re)start."""
    apply_choices(subscriber, choices)
    Consent.objects.create(
        subscriber=subscriber,
        statement=consent_statement(choices.language),
        choices=choices.as_record(),
        source=source[:500],
        confirmed_at=timezone.now(),
    )
    # The link came by email to this address and a button was pressed: that confirms it too.
    subscriber.confirmed_at = subscriber.confirmed_at or timezone.now()
    subscriber.unsubscribed_at = None
    subscriber.save(update_fields=["confirmed_at", "unsubscribed_at"])
    return subscriber


@transaction.atomic
def unsubscribe(*, subscriber: Subscriber) -> Subscriber:
    """No more mail; emails already queued are not sent."""
    if subscriber.unsubscribed_at is None:
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["unsubscribed_at"])
    subscriber.deliveries.filter(state=DeliveryState.PENDING).update(
        state=DeliveryState.CANCELLED, last_error="unsubscribed"
    )
    return subscriber


def export(subscriber: Subscriber) -> dict:
    """Everything held about the subscriber, as JSON-ready data."""

    def moment(value):
        return value.isoformat() if value else None

    return {
        "email": subscriber.email,
        "language": subscriber.language,
        "frequency": subscriber.frequency,
        "everything": subscriber.everything,
        "release_types": subscriber.chosen_types(),
        "topics": [topic.name for topic in subscriber.topics.all()],
        "campaigns": [str(campaign) for campaign in subscriber.campaigns.all()],
        "signed_up": moment(subscriber.created_at),
        "confirmed": moment(subscriber.confirmed_at),
        "unsubscribed": moment(subscriber.unsubscribed_at),
        "hard_bounce": moment(subscriber.bounced_at),
        "consents": [
            {
                "given": moment(consent.given_at),
                "statement": consent.statement,
                "choices": consent.choices,
                "from_page": consent.source,
                "confirmed": moment(consent.confirmed_at),
            }
            for consent in subscriber.consents.all()
        ],
        "emails": [
            {
                "release": delivery.release.headline,
                "kind": delivery.kind,
                "state": delivery.state,
                "sent": moment(delivery.sent_at),
                "provider_report": delivery.outcome,
            }
            for delivery in subscriber.deliveries.select_related("release").order_by("pk")
        ],
    }


@transaction.atomic
def erase(*, subscriber: Subscriber) -> None:
    """Forget the subscriber: the row and its consents go; the count of emails sent stays,
    attached to no one."""
    subscriber.deliveries.filter(state=DeliveryState.PENDING).update(
        state=DeliveryState.CANCELLED, last_error="erased"
    )
    subscriber.delete()


@task()
def send_confirmation_task(subscriber_id: int, consent_id: int) -> bool:
    return send_confirmation(subscriber_id, consent_id)


@task()
def send_already_subscribed_task(subscriber_id: int) -> bool:
    return send_already_subscribed(subscriber_id)
