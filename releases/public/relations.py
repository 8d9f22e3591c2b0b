"""What a release's page and the formats' lists fetch besides the release (the feeds read the
same as values: ``releases.syndication.entries``).

Relations most releases do not have (corrections, images, documents) are asked for with EXISTS
in the main query and fetched only when some release has them, so that the query count does
not grow with what a release carries."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, prefetch_related_objects

from releases.models import Correction, Quote, Release, ReleaseDocument, ReleaseImage

# What every rendering of a release's text shows (its page, its formats): always fetched.
# A release's quotes with who said them: its body prints both (releases.public.bodies).
QUOTES_WITH_SPOKESPEOPLE = Prefetch("quotes", queryset=Quote.objects.select_related("spokesperson"))
RELEASE_RELATIONS = (Prefetch("topics"), Prefetch("media_contacts"), QUOTES_WITH_SPOKESPEOPLE)

OPTIONAL_RELATIONS = {
    "corrections": Correction,
    "images": ReleaseImage,
    "documents": ReleaseDocument,
}


def flag_optional_relations(queryset: QuerySet, *names: str) -> QuerySet:
    """Annotate ``has_<name>`` for each optional relation."""
    return queryset.annotate(
        **{
            f"has_{name}": Exists(OPTIONAL_RELATIONS[name].objects.filter(release=OuterRef("pk")))
            for name in names
        }
    )


def prefetch_lists(instances: list, *lookups: Prefetch) -> list:
    """Prefetch each of ``lookups`` for ``instances``, one query each as
    ``prefetch_related_objects`` does, but keep each instance's results as a plain list where
    ``relation.all()`` finds them. Django would build a queryset per instance per relation:
    for a feed's fifty releases that costs more than the queries. For what reads many releases
    (the feeds, the formats' lists): ``.all()`` then gives a list (iterate it, ``len()`` it),
    not a queryset to filter."""
    for lookup in lookups:
        name = lookup.prefetch_to
        if "__" in name:
            raise ValueError(f"prefetch_lists() fetches one level, not {name!r}")
        fetched_as = f"_{name}_as_list"
        prefetch_related_objects(
            instances,
            Prefetch(lookup.prefetch_through, queryset=lookup.queryset, to_attr=fetched_as),
        )
        for instance in instances:
            cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
            cache[name] = instance.__dict__.pop(fetched_as)
    return instances


def fetch_optional_relations(releases: list[Release], *names: str) -> list[Release]:
    """Prefetch each flagged relation for the releases that have it (one query per relation,
    none when no release has it) and record it as empty for the others."""
    for name in names:
        having = [release for release in releases if getattr(release, f"has_{name}")]
        if having:
            prefetch_related_objects(having, name)
        empty = OPTIONAL_RELATIONS[name].objects.none()
        for release in releases:
            if not getattr(release, f"has_{name}"):
                release.__dict__.setdefault("_prefetched_objects_cache", {})[name] = empty
    return releases
