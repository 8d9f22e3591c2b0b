"""An event shows on its advisory's page, in calendars, ninjs and the API: any change to one
makes every cached public value stale, like a change to a release (``releases/signals.py``)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from formats.models import AdvisoryEvent
from pagecache import caching


@receiver([post_save, post_delete], sender=AdvisoryEvent)
def invalidate_public_caches(**kwargs):
    caching.invalidate(before_commit=True)
    transaction.on_commit(caching.invalidate)
