"""Render and store every dated release's body as readers see it (``releases.public.bodies``).

Bodies follow every change made through the application. Run this after a deployment that
changes how bodies are printed (their templates, typography or translations), or after
changing releases by other means (SQL, ``QuerySet.update()``, ``bulk_create()``): until then
the outdated bodies are rendered on every read, correct but slower."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from releases.models import Release
from releases.public import bodies


class Command(BaseCommand):
    help = "Render and store the body of every dated release."

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing",
            action="store_true",
            help="Only the releases that have no stored body (quick: run at every start).",
        )

    def handle(self, *args, missing=False, verbosity=1, **options):
        dated = Release.objects.filter(publication_date__isnull=False)
        if missing:
            dated = dated.filter(rendered_body__isnull=True)
        with tqdm(total=dated.count(), unit="release", disable=verbosity == 0) as progress:
            stored = bodies.store_bodies(missing_only=missing, progress=progress.update)
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Rendered {stored} bodies."))
