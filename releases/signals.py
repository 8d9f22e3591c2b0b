"""Keep cached copies of the organisation in step with the admin."""

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from releases.models import CACHE_KEY_ORGANISATION, Organisation


@receiver([post_save, post_delete], sender=Organisation)
@receiver(m2m_changed, sender=Organisation.default_media_contacts.through)
def forget_cached_organisation(**kwargs):
    cache.delete(CACHE_KEY_ORGANISATION)
