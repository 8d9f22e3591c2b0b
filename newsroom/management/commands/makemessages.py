"""Django's makemessages with the newsroom's options as its defaults, so that `make messages`
and the test that guards the catalogue (tests/test_message_extraction.py) extract alike."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    """An entry no source marks any more leaves the catalogue (--no-obsolete: what another
    package says and we translate in our own words is marked in newsroom/catalogue_overrides.py),
    and entries name their files without line numbers, so that parallel branches do not conflict
    on every entry.

    Skipped: the tests, a build, and a collection of static files left by a former STATIC_ROOT.
    Django skips the current MEDIA_ROOT and STATIC_ROOT itself. A pattern matches a folder's
    name at any depth: never ``media``, which would skip releases/media/ too."""

    ignored = ["tests", "build", "staticfiles"]

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(no_obsolete=True, add_location="file")

    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options["ignore_patterns"], *self.ignored]
        return super().handle(*args, **options)
