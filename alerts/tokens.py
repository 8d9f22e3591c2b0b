"""Signed links in emails. A confirmation link lasts seven days; a manage link lasts as long as
the subscriber's key (a new key voids every link sent before)."""

from datetime import timedelta

from django.core import signing

from alerts.models import Subscriber

CONFIRMATION_LIFETIME = timedelta(days=7)
CONFIRM_SALT = "alerts.confirm"
MANAGE_SALT = "alerts.manage"


def confirmation_token(subscriber: Subscriber, consent_id: int) -> str:
    return signing.dumps(
        {"s": subscriber.pk, "k": subscriber.key, "c": consent_id}, salt=CONFIRM_SALT
    )


def manage_token(subscriber: Subscriber) -> str:
    return signing.dumps({"s": subscriber.pk, "k": subscriber.key}, salt=MANAGE_SALT)


def _load(token: str, salt: str, max_age: timedelta | None) -> dict | None:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("s"), int):
        return None
    return data


def _subscriber(data: dict | None) -> Subscriber | None:
    if data is None:
        return None
    subscriber = Subscriber.objects.filter(pk=data["s"]).first()
    if subscriber is None or subscriber.key != data.get("k"):
        return None
    return subscriber


def from_confirmation_token(token: str) -> tuple[Subscriber, int] | None:
    """The subscriber and the consent a confirmation link names, or None (tampered, expired,
    or voided by a new key)."""
    data = _load(token, CONFIRM_SALT, CONFIRMATION_LIFETIME)
    subscriber = _subscriber(data)
    if subscriber is None or not isinstance(data.get("c"), int):
        return None
    return subscriber, data["c"]


def from_manage_token(token: str) -> Subscriber | None:
    return _subscriber(_load(token, MANAGE_SALT, None))
