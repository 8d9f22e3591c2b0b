"""Keep derived data in step with the admin: the search vectors, and every cached public value
(pages, counts, facets, the organisation) through one generation."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from pagecache import caching
from releases.media.images import delete_stored_files
from releases.models import (
    Campaign,
    CampaignVisual,
    PreviewLink,
    Quote,
    Release,
    ReleaseDocument,
    ReleaseEvent,
    ReleaseImage,
    Spokesperson,
    SpokespersonHeadshot,
)
from releases.search import counts as facet_counts
from releases.search import index as search_index


# The one place that keeps search vectors current: whatever feeds a release's vector (the
# release, its quotes, its campaign's name, the quoted spokespeople's names) re-indexes it.
@receiver([post_save, post_delete], sender=Release)
def reindex_saved_release(instance, raw=False, **kwargs):
    # On delete, SQLite's full-text table drops the release's row (PostgreSQL's went with it).
    if not raw:
        search_index.refresh_search_vectors([instance.pk])


@receiver([post_save, post_delete], sender=Quote)
def reindex_release_of_quote(instance, raw=False, **kwargs):
    if not raw:
        search_index.refresh_search_vectors([instance.release_id])


@receiver(post_save, sender=Campaign)
def reindex_releases_of_campaign(instance, raw=False, **kwargs):
    if not raw:
        search_index.refresh_search_vectors(instance.releases.values_list("pk", flat=True))


@receiver(post_save, sender=Spokesperson)
def reindex_releases_quoting(instance, raw=False, **kwargs):
    if not raw:
        search_index.refresh_search_vectors(
            instance.quotes.values_list("release_id", flat=True).distinct()
        )


# The facet counts the lists show, moved in the transaction that changes what they count.
@receiver([post_save, post_delete], sender=Release)
def recount_release(instance, raw=False, **kwargs):
    if not raw:
        facet_counts.refresh([instance.pk])


@receiver([post_save, post_delete], sender=Quote)
@receiver(post_delete, sender=Release.topics.through)
def recount_release_of(instance, raw=False, **kwargs):
    if not raw:
        facet_counts.refresh([instance.release_id])


@receiver(m2m_changed, sender=Release.topics.through)
def recount_topics_changed(instance, action, reverse, pk_set, **kwargs):
    """Topics added to or taken from a release (or, from the topic's side, releases)."""
    if reverse and action == "pre_clear":
        instance._recount = list(instance.releases.values_list("pk", flat=True))
    elif action.startswith("post_"):
        if not reverse:
            facet_counts.refresh([instance.pk])
        else:
            facet_counts.refresh(pk_set or getattr(instance, "_recount", []))


@receiver(pre_delete, sender=Campaign)
def note_releases_of_campaign(instance, **kwargs):
    """Deleting a campaign empties its releases' field without a signal: recount them after."""
    instance._recount = list(instance.releases.values_list("pk", flat=True))


@receiver(post_delete, sender=Campaign)
def recount_releases_of_campaign(instance, **kwargs):
    facet_counts.refresh(getattr(instance, "_recount", []))


# The workflow's own records: never shown on a public page.
NEVER_PUBLIC = (ReleaseEvent, PreviewLink)


@receiver([post_save, post_delete])
@receiver(m2m_changed)
def invalidate_public_caches(sender, **kwargs):
    """Any saved or deleted object of this app, or changed link between two, may show on a
    public page: make every cached page, count and page position stale.

    Receivers for every sender, filtered by app, so that models added later (corrections,
    images) are covered without a line here. The generation is bumped at once and again when
    the transaction commits, so that no page rendered from the old data in between survives.
    """
    if sender._meta.app_label != "releases" or kwargs.get("action", "post").startswith("pre"):
        return
    if sender in NEVER_PUBLIC or sender.__name__.startswith("Historical"):
        return
    caching.invalidate()
    transaction.on_commit(caching.invalidate)


# Files go with their rows, however the rows go: deleted one by one, or with their release,
# campaign or spokesperson (a cascade calls no delete() method, but sends this signal).
@receiver(post_delete, sender=ReleaseImage)
@receiver(post_delete, sender=CampaignVisual)
@receiver(post_delete, sender=SpokespersonHeadshot)
def delete_image_files(instance, **kwargs):
    names = instance.stored_names()
    transaction.on_commit(lambda: delete_stored_files(names))


@receiver(post_delete, sender=ReleaseDocument)
def delete_document_file(instance, **kwargs):
    names = [instance.file.name] if instance.file.name else []
    transaction.on_commit(lambda: delete_stored_files(names))
