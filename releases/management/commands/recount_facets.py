"""Count every public release again into the facet counts the lists show.

The counts follow every change made through the application; run this after changing releases
by other means (SQL, ``QuerySet.update()``, ``bulk_create()``), which sends no signal."""

from django.core.management.base import BaseCommand

from pagecache import caching
from releases.search import counts


class Command(BaseCommand):
    help = "Count every public release again into the lists' facet counts."

    def handle(self, *args, verbosity=1, **options):
        counted = counts.rebuild()
        caching.invalidate()
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Counted {counted} public releases."))
