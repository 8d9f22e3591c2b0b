from django.db import models


class ScopeVersion(models.Model):
    """The version of one scope of cached values ("site", "lang:en", "campaign:7"…), kept here
    when the cache belongs to one process (local memory): every process reads these rows, so a
    change made anywhere (another gunicorn worker, ``manage.py shell``) makes what depends on
    the changed scopes stale in every process, and nothing else (``pagecache.generation``)."""

    name = models.CharField(max_length=64, primary_key=True)
    version = models.CharField(max_length=32)
    previous = models.CharField(
        max_length=32, blank=True, help_text="The version before the last change."
    )
    changed_at = models.FloatField(help_text="Unix time of the last change.")
    hard_at = models.FloatField(
        default=0,
        help_text="Unix time of the last change after which no earlier copy may be served "
        "(a withdrawal, an unpublishing, a correction).",
    )

    class Meta:
        verbose_name = "cache scope version"

    def __str__(self):
        return f"{self.name}: {self.version}"
