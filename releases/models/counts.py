"""The facet counts the public lists show, kept up to date as releases change
(``releases.search.counts``), so that no request counts or groups the table of releases."""

from django.db import models


class FacetCount(models.Model):
    """How many published releases of ``language`` have ``facet`` = ``value`` among those with
    ``within`` (a "facet:value" of their own, or "" for all of them).

    ``facet`` "total" counts the releases themselves. Releases scheduled for later count from
    their minute: until a write catches up with them, readers add the few that went public
    since (``releases.search.counts``), so that an embargo lifts by the clock alone."""

    language = models.CharField(max_length=5)
    within = models.CharField(max_length=40, blank=True)
    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=20, blank=True)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["within", "language", "facet", "value"], name="facet_count_unique"
            )
        ]

    def __str__(self):
        return f"{self.language} {self.within or '*'} {self.facet}={self.value}: {self.count}"


class CountedRelease(models.Model):
    """What a release adds to the counts now: compared with what it should add after a change,
    it tells which counts move. No foreign key: the row must outlive its release's deletion, so
    that the deletion can take its counts away."""

    release_id = models.IntegerField(primary_key=True)
    language = models.CharField(max_length=5)
    values = models.JSONField(default=list)

    def __str__(self):
        return f"release {self.release_id}: {self.values}"


class CountedUntil(models.Model):
    """The one row saying up to when releases that went public by the clock are in the counts
    (``releases.search.counts.catch_up``): those after it are added by whoever reads, until a
    write or a reader catches up."""

    moment = models.DateTimeField()

    def __str__(self):
        return str(self.moment)
