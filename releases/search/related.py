"""Releases related to a release: the same campaign or topics first, then the newest."""

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import (
    Coalesce,
)

from releases.models import Release

RELATED_CANDIDATES = 200


def related_releases(release: Release, limit: int = 3) -> list[Release]:
    """Up to ``limit`` public releases in the same language: same campaign first, then those
    sharing the most topics, newest first. One query; the release's topics should be
    prefetched."""
    topic_ids = [topic.pk for topic in release.topics.all()]
    if not release.campaign_id and not topic_ids:
        return []
    shared_topics = Release.topics.through.objects.filter(
        release_id=OuterRef("pk"), topic_id__in=topic_ids
    )
    shared_count = (
        shared_topics.order_by().values("release_id").annotate(n=Count("*")).values("n")[:1]
    )
    related = Q(Exists(shared_topics))
    if release.campaign_id:
        related |= Q(campaign_id=release.campaign_id)
    # Ranked among the newest related releases only: a common topic may be shared by
    # thousands, and ranking them all would cost a scan of every one.
    candidates = (
        Release.objects.published()
        .filter(related, language=release.language)
        .exclude(pk=release.pk)
        .order_by("-publish_at", "-pk")
        .values("pk")[:RELATED_CANDIDATES]
    )
    return list(
        Release.objects.filter(pk__in=candidates)
        .select_related("campaign")
        .defer("body", "search_vector")
        .annotate(
            same_campaign=Case(
                When(campaign_id=release.campaign_id, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
            if release.campaign_id
            else Value(0, output_field=IntegerField()),
            shared_topics=Coalesce(Subquery(shared_count), Value(0)),
        )
        .order_by("-same_campaign", "-shared_topics", "-publish_at", "-pk")[:limit]
    )
