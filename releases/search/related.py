"""Releases related to a release: the same campaign or topics first, then the newest."""

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import (
    Coalesce,
)

from releases.models import Release

RELATED_CANDIDATES = 50


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
    # Ranked among the newest releases of the campaign and the newest sharing a topic only: a
    # common topic may be shared by thousands, and ranking them all would cost a scan of every
    # one. Each part reads an index in order and stops early.
    public = Release.objects.published().filter(language=release.language).exclude(pk=release.pk)
    newest = ("-publish_at", "-pk")
    parts = []
    if topic_ids:
        parts.append(public.filter(Exists(shared_topics)).order_by(*newest).values("pk"))
    if release.campaign_id:
        parts.append(public.filter(campaign_id=release.campaign_id).order_by(*newest).values("pk"))
    parts = [part[:RELATED_CANDIDATES] for part in parts]
    candidates = parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]
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
