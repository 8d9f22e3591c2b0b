"""The releases' background work, through Django's tasks API (settings.TASKS chooses the
database queue or RQ): what would hold an editor's request for seconds."""

from django_tasks import task


@task()
def store_bodies_quoting(spokesperson_id: int) -> int:
    """Render again the outdated stored bodies of the releases quoting a spokesperson (after
    their address changed); how many were stored."""
    from releases.models import Release
    from releases.public import bodies

    quoting = Release.objects.quoting(spokesperson_id).values("pk")
    return bodies.store_bodies(quoting, outdated_only=True)
