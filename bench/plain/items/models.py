from django.db import models
from django.urls import reverse


class Item(models.Model):
    """A release's public columns, the same sizes as ``releases.Release``'s."""

    headline = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    summary = models.TextField(blank=True)
    body = models.TextField()
    publish_at = models.DateTimeField()
    language = models.CharField(max_length=5)

    class Meta:
        # What a list ordered by date in one language needs, as anyone would add it.
        indexes = [models.Index(fields=["language", "-publish_at"], name="item_language_date")]

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        return reverse("item-detail", args=[self.pk])
