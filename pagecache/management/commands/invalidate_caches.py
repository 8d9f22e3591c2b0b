"""``manage.py invalidate_caches``: make every cached value stale, in every process (after a
restore, or after a change made while the cache could not be told)."""

from django.core.cache import cache
from django.core.management.base import BaseCommand

from pagecache import caching


class Command(BaseCommand):
    help = "Make every cached page and value stale, in every process and on every server."

    def handle(self, *args, **options):
        caching.invalidate()
        if hasattr(cache, "delete_pattern"):  # Redis: free the memory of this site's keys now
            cache.delete_pattern("*")
        self.stdout.write("Every cached value is now stale.")
