"""Keep cached copies of public content in step with the admin."""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from releases import caching
from releases.models import CACHE_KEY_ORGANISATION, Organisation


@receiver([post_save, post_delete], sender=Organisation)
@receiver(m2m_changed, sender=Organisation.default_media_contacts.through)
def forget_cached_organisation(**kwargs):
    cache.delete(CACHE_KEY_ORGANISATION)


@receiver([post_save, post_delete])
@receiver(m2m_changed)
def invalidate_public_caches(sender, **kwargs):
    """Any saved or deleted object of this app, or changed link between two, may show on a
    public page: make every cached page, count and page position stale.

    Receivers for every sender, filtered by app, so that models added later (corrections,
    images) are covered without a line here. The generation is bumped at once and again when
    the transaction commits, so that no page rendered from the old data in between survives.
    """
    if sender._meta.app_label != "releases" or kwargs.get("action", "post").startswith("pre"):
        return
    caching.invalidate()
    transaction.on_commit(caching.invalidate)
