"""Render and store every dated release's body as readers see it (``releases.public.bodies``).

Bodies follow every change made through the application. ``--outdated`` renders those a new
version of the site outdates (its templates, typography or translations) and those never
stored: run it at every start. Run it without after changing releases by other means (SQL,
``QuerySet.update()``, ``bulk_create()``). Until then the outdated bodies are rendered on every
read: correct, only slower."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from releases.public import bodies


class Command(BaseCommand):
    help = "Render and store the body of every dated release."

    def add_arguments(self, parser):
        parser.add_argument(
            "--outdated",
            action="store_true",
            help="Only bodies never stored or stored by an earlier version of the site.",
        )

    def handle(self, *args, outdated=False, verbosity=1, **options):
        to_render = bodies.bodies_to_render(outdated_only=outdated)
        with tqdm(total=to_render.count(), unit="release", disable=verbosity == 0) as progress:
            stored = bodies.store_bodies(outdated_only=outdated, progress=progress.update)
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Rendered {stored} bodies."))
