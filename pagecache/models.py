from django.db import models


class Generation(models.Model):
    """The one row that holds the cache generation when the cache belongs to one process
    (local memory): every process reads it, so a change made anywhere (another gunicorn worker,
    ``manage.py shell``) makes every process's cached values stale on its next request."""

    value = models.CharField(max_length=32)
    changed_at = models.FloatField(help_text="Unix time of the last change.")

    class Meta:
        verbose_name = "cache generation"

    def __str__(self):
        return self.value
