"""Releases related to a release: the same campaign or topics first, then the newest."""

from functools import reduce
from operator import or_

from django.db import connections, router
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
    conditions = []
    if topic_ids:
        conditions.append(Q(Exists(shared_topics)))
    if release.campaign_id:
        conditions.append(Q(campaign_id=release.campaign_id))
    parts = [public.filter(condition).order_by(*newest).values("pk") for condition in conditions]
    database = connections[router.db_for_read(Release)]
    if len(parts) > 1 and database.features.supports_slicing_ordering_in_compound:
        candidates = parts[0][:RELATED_CANDIDATES].union(parts[1][:RELATED_CANDIDATES])
    else:  # one part, or SQLite, which cannot limit the parts of a UNION: either, in one read
        related = public.filter(reduce(or_, conditions)).order_by(*newest)
        candidates = related.values("pk")[:RELATED_CANDIDATES]
    return list(
        Release.objects.filter(pk__in=candidates)
        .select_related("campaign")
        .with_event_status()  # their cards say when an advisory's event is off
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
