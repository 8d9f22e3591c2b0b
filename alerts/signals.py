"""What the email provider reports later (django-anymail's tracking webhooks): deliveries,
bounces, complaints. A hard bounce or a complaint stops mail to that address."""

from anymail.signals import tracking
from django.dispatch import receiver
from django.utils import timezone

from alerts.models import Delivery, Subscriber

OUTCOMES = {
    "delivered": "delivered",
    "bounced": "bounced",  # permanent, in anymail's terms; "deferred" is temporary
    "rejected": "bounced",  # the provider refused to send (a suppressed address)
    "complained": "complained",
    "unsubscribed": "unsubscribed",
}
STOPS_MAIL = {"bounced", "rejected"}
ENDS_SUBSCRIPTION = {"complained", "unsubscribed"}


@receiver(tracking)
def record_provider_report(sender, event, esp_name, **kwargs):
    outcome = OUTCOMES.get(event.event_type)
    if outcome is None:
        return
    deliveries = Delivery.objects.filter(message_id=event.message_id) if event.message_id else None
    if deliveries is not None:
        deliveries.update(outcome=outcome)
    addresses = Subscriber.objects.none()
    if event.recipient:
        addresses = Subscriber.objects.filter(email=event.recipient.strip().lower())
    elif deliveries is not None:
        addresses = Subscriber.objects.filter(pk__in=deliveries.values("subscriber_id"))
    now = timezone.now()
    if event.event_type in STOPS_MAIL:
        addresses.filter(bounced_at__isnull=True).update(bounced_at=now)
    elif event.event_type in ENDS_SUBSCRIPTION:
        addresses.filter(unsubscribed_at__isnull=True).update(unsubscribed_at=now)
