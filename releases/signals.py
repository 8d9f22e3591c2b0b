"""Keep derived data in step with the admin: the search vectors, the facet counts, the stored
bodies, and the cached public values (pages, fragments, the organisation) through the scopes a
change touches."""

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from modeltranslation.utils import build_localized_fieldname

from pagecache import caching
from releases import scopes, tasks
from releases.media.images import delete_stored_files
from releases.models import (
    Campaign,
    CampaignVisual,
    Correction,
    CountedRelease,
    CountedUntil,
    FacetCount,
    FormerSlug,
    PreviewLink,
    Quote,
    Release,
    ReleaseDocument,
    ReleaseEvent,
    ReleaseImage,
    ReleaseRedirect,
    RenderedBody,
    SharingImage,
    Spokesperson,
    SpokespersonHeadshot,
    Status,
    Topic,
    slugs,
)
from releases.public import bodies
from releases.search import counts as facet_counts
from releases.search import index as search_index
from releases.text.html import drop_control_characters


def localized(field: str) -> list[str]:
    """A translated field's column in each language."""
    return [build_localized_fieldname(field, code) for code, _name in settings.LANGUAGES]


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


# What of a campaign or a spokesperson the search vectors of its releases hold (the index's
# document, releases.search.index), and the address its releases' bodies link to (the slug):
# each field by the name a save's ``update_fields`` may give, with its columns.
WATCHED_FIELDS = {
    Campaign: {"name": localized("name")},
    Spokesperson: {"name": ["name"], "honorific": localized("honorific"), "slug": ["slug"]},
}


# The apps whose models hold what staff type.
TYPED_TEXT_APPS = {"releases", "formats"}


@receiver(pre_save)
def typed_text_without_control_characters(sender, instance, raw=False, **kwargs):
    if not raw and sender._meta.app_label in TYPED_TEXT_APPS:
        drop_control_characters(instance)


@receiver(pre_save, sender=Campaign)
@receiver(pre_save, sender=Spokesperson)
def note_what_changes(sender, instance, raw=False, update_fields=None, using=None, **kwargs):
    """Note which watched columns the save changes: a campaign or a spokesperson may have
    thousands of releases, to re-index or render again only when what they show changes (an
    edit of a biography would otherwise re-index five thousand releases, past the web server's
    statement timeout)."""
    watched = [
        column
        for field, columns in WATCHED_FIELDS[sender].items()
        for column in columns
        # modeltranslation saves the active language's column for a field's own name.
        if update_fields is None or field in update_fields or column in update_fields
    ]
    instance._changed_fields = set()
    if raw or instance._state.adding or not watched:
        return
    # A plain QuerySet: modeltranslation's would read a translated field in the active language.
    stored = QuerySet(sender).using(using).filter(pk=instance.pk).values(*watched).first()
    if stored is None:
        return
    # An empty translation is stored as NULL or "" alike; the index reads both as nothing.
    instance._changed_fields = {
        column for column in watched if (stored[column] or "") != (getattr(instance, column) or "")
    }


@receiver(pre_save, sender=Campaign)
@receiver(pre_save, sender=Topic)
@receiver(pre_save, sender=Spokesperson)
def keep_former_slug(sender, instance, raw=False, using=None, **kwargs):
    """A new slug in a language leaves the old address there answering 301 (``FormerSlug``:
    subscribers keep feed addresses), and the address taken now is no longer anyone's former
    one. A slug left empty is the default language's (``fill_slugs``)."""
    if raw:
        return
    stored = slugs.stored_slugs(instance, using)
    slugs.fill_slugs(instance, stored)
    now = {code: getattr(instance, slugs.slug_column(sender, code)) for code in stored or {}}
    if stored is not None and stored == now:
        return  # most saves: the addresses stay
    kind = sender._meta.model_name
    for code in slugs.LANGUAGE_CODES:
        new = getattr(instance, slugs.slug_column(sender, code))
        FormerSlug.objects.using(using).of(sender, new, code).delete()
    # Only an address the public could know: a draft campaign's early slug stays unknown.
    if stored is None or not sender.objects.using(using).public().filter(pk=instance.pk).exists():
        return
    for code, old in stored.items():
        if old and old != now[code]:
            FormerSlug.objects.using(using).update_or_create(
                kind=kind, language=code, slug=old, defaults={"object_id": instance.pk}
            )


def changed(instance, fields) -> bool:
    """Whether the save changed any of ``fields`` (yes when it was not noted: a save with no
    ``pre_save``, to be safe)."""
    noted = getattr(instance, "_changed_fields", None)
    return noted is None or bool(noted.intersection(fields))


@receiver(post_save, sender=Campaign)
def reindex_releases_of_campaign(instance, raw=False, **kwargs):
    if not raw and changed(instance, localized("name")):
        search_index.refresh_search_vectors(instance.releases.values_list("pk", flat=True))


@receiver(post_save, sender=Spokesperson)
def reindex_releases_quoting(instance, raw=False, **kwargs):
    if not raw and changed(instance, ["name", *localized("honorific")]):
        search_index.refresh_search_vectors(
            Release.objects.quoting(instance).values_list("pk", flat=True)
        )


# The stored bodies (releases.public.bodies) follow what they are rendered from: the release,
# its quotes, and the addresses of the spokespeople quoted. A body outdated another way is
# never shown (its fingerprint no longer matches); these keep it from being rendered per read.
@receiver(post_save, sender=Release)
def render_body_of_saved_release(instance, raw=False, using=None, **kwargs):
    if not raw:
        bodies.store_bodies([instance.pk], using=using)


@receiver([post_save, post_delete], sender=Quote)
def render_body_of_quoting_release(instance, raw=False, origin=None, using=None, **kwargs):
    # A release being deleted takes its quotes first: nothing to render (and a body stored
    # now would outlive the release within its own deletion).
    deleting_a_release = isinstance(origin, Release) or (
        isinstance(origin, QuerySet) and origin.model is Release
    )
    if not raw and not deleting_a_release:
        bodies.store_bodies([instance.release_id], using=using)


@receiver(post_save, sender=Spokesperson)
def render_bodies_linking_to(instance, raw=False, using=None, **kwargs):
    """The bodies link each quote to its spokesperson's page: a new address outdates them (a
    new name or title does not show in them: a quote keeps its attribution). They may be
    thousands: rendered again in the background once the change is committed, and meanwhile
    printed as they are rendered on each read (their fingerprint names the old address)."""
    if raw or not changed(instance, ["slug"]):
        return
    bodies.mark_outdated(Release.objects.using(using).quoting(instance), using=using)
    spokesperson = instance.pk
    # Robust: a queue that is down costs only the background rendering (``render_bodies
    # --outdated`` does it), never the commit's other callbacks (the caches' invalidation).
    transaction.on_commit(
        lambda: tasks.store_bodies_quoting.enqueue(spokesperson), using=using, robust=True
    )


# The workflow's own records and the counts' bookkeeping: never shown on a public page as such.
# A former slug is written only with its subject's save, which makes the whole site stale.
NEVER_PUBLIC = (
    FormerSlug,
    ReleaseEvent,
    PreviewLink,
    CountedRelease,
    CountedUntil,
    FacetCount,
    RenderedBody,
)
# What belongs to one release: a change to it shows where the release shows.
PARTS_OF_A_RELEASE = (
    Quote,
    ReleaseImage,
    ReleaseDocument,
    Correction,
    ReleaseRedirect,
    Release.topics.through,
    Release.media_contacts.through,
)
# A change after which no earlier copy of a page may be served, not even for a moment.
MUST_NEVER_BE_SEEN_AGAIN = {Status.WITHDRAWN, Status.UNPUBLISHED}


@receiver([post_save, post_delete])
@receiver(m2m_changed)
def invalidate_public_caches(sender, instance=None, raw=False, **kwargs):
    """Any saved or deleted object of this app, or changed link between two, may show on a
    public page: make stale what it can show on, and move the facet counts it moves.

    Receivers for every sender, filtered by app, so that models added later are covered
    without a line here (as changing the whole site). The scopes are bumped at once and again
    when the transaction commits, so that no page rendered from the old data in between
    survives."""
    action = kwargs.get("action", "post")
    if sender._meta.app_label != "releases" or action.startswith("pre") or raw:
        return
    if sender in NEVER_PUBLIC or sender.__name__.startswith("Historical"):
        return
    scopes, hard = scopes_changed(sender, instance, kwargs)
    if scopes:
        caching.invalidate(scopes, hard=hard, before_commit=True)
        transaction.on_commit(lambda: caching.invalidate(scopes, hard=hard))


def scopes_changed(sender, instance, details: dict) -> tuple[list[str], bool]:
    """The cache scopes a change touches, and whether it is a hard one; the facet counts are
    moved on the way (in the same transaction)."""
    release = None
    if sender is Release:
        release = instance
    elif sender in PARTS_OF_A_RELEASE and not (details.get("reverse") and "action" in details):
        release = instance if isinstance(instance, Release) else instance.release
    elif "action" in details and details.get("reverse") and details.get("pk_set"):
        facet_counts.refresh(details["pk_set"])  # releases linked from the topic's side
    if release is None:
        return list(caching.everything()), False
    moved = facet_counts.refresh([release.pk])
    deleted = sender is Release and "created" not in details
    if release.status in scopes.NOT_YET_PUBLIC and not moved and not deleted:
        return [], False
    changed = scopes.of_release(release)
    if moved:
        changed.append(scopes.COUNTS)
        changed += [scopes.language(value) for facet, value in moved if facet == "language"]
        for facet, value in moved:
            if facet == "campaign":
                changed += scopes.on_campaign(value)
    hard = (
        deleted
        or sender is Correction
        or (sender is Release and release.status in MUST_NEVER_BE_SEEN_AGAIN)
    )
    return list(dict.fromkeys(changed)), hard


@receiver(m2m_changed, sender=Release.topics.through)
def note_releases_of_topic(instance, action, reverse, **kwargs):
    """Topics cleared from the topic's side: recount its releases after."""
    if reverse and action == "pre_clear":
        instance._recount = list(instance.releases.values_list("pk", flat=True))
    elif reverse and action == "post_clear":
        facet_counts.refresh(getattr(instance, "_recount", []))


@receiver(pre_delete, sender=Campaign)
def note_releases_of_campaign(instance, **kwargs):
    """Deleting a campaign empties its releases' field without a signal: recount them after."""
    instance._recount = list(instance.releases.values_list("pk", flat=True))


@receiver(post_delete, sender=Campaign)
def recount_releases_of_campaign(instance, **kwargs):
    facet_counts.refresh(getattr(instance, "_recount", []))


# Files go with their rows, however the rows go: deleted one by one, or with their release,
# campaign, spokesperson or organisation (a cascade calls no delete() method, but sends this
# signal).
@receiver(post_delete, sender=ReleaseImage)
@receiver(post_delete, sender=CampaignVisual)
@receiver(post_delete, sender=SpokespersonHeadshot)
@receiver(post_delete, sender=SharingImage)
def delete_image_files(instance, **kwargs):
    names = instance.stored_names()
    transaction.on_commit(lambda: delete_stored_files(names))


@receiver(post_delete, sender=ReleaseDocument)
def delete_document_file(instance, **kwargs):
    names = [instance.file.name] if instance.file.name else []
    transaction.on_commit(lambda: delete_stored_files(names))
