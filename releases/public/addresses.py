"""Addresses written with the English words under another language's prefix
(``/fr/releases/2021/`` for ``/fr/communiques/2021/``): the links and feed subscriptions made
before the French words, answered with a permanent redirect so that none ever breaks; a
subject's former slug; and where a release address that no release on record has leads."""

from datetime import date
from typing import NamedTuple

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views import View

# How long a browser may keep a former slug's redirect.
FORMER_SLUG_REDIRECT_SECONDS = 3600


class EnglishWordedAddressView(View):
    """301 to the active language's words. It also adds the slash of every address it
    catches, in every language: caught here, ``/en/releases/2021`` is no unknown address to
    ``APPEND_SLASH``, which would otherwise answer it (``/fr/releases/2021`` answers
    ``/fr/communiques/2021/`` in one step)."""

    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        language = translation.get_language()
        english = settings.LANGUAGE_CODE
        prefix = f"/{language}/"
        if not request.path_info.startswith(prefix):
            raise Http404("No such page")
        rest = request.path_info.removeprefix(prefix)
        # Under the English prefix the address itself is this route: only its slash may help.
        tried = [rest] if language != english else []
        if not rest.endswith("/") and settings.APPEND_SLASH:
            tried.append(f"{rest}/")
        for candidate in tried:
            address = self.address_in_language(candidate)
            if address is not None:
                query = request.META.get("QUERY_STRING", "")
                return HttpResponsePermanentRedirect(f"{address}?{query}" if query else address)
        raise Http404("No such page")

    @staticmethod
    def address_in_language(rest: str) -> str | None:
        """The active language's address of the page that ``rest`` (a path after the
        language prefix) names in English words; None if it names none but this route."""
        english = settings.LANGUAGE_CODE
        try:
            with translation.override(english):
                match = resolve(f"/{english}/{rest}")
        except Resolver404:
            return None
        if match.url_name == "english-worded":
            return None
        name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
        return reverse(name, args=match.args, kwargs=match.kwargs)


def current_slug(model, slug: str) -> str | None:
    """The slug now, in the active language, of the public ``model`` (a campaign, topic or
    spokesperson) whose slug there was ``slug`` (``FormerSlug``), or whose slug is ``slug`` in
    another language (an English slug under ``/fr/``); None if none."""
    from releases.models import FormerSlug
    from releases.models.slugs import (
        active_language,
        at_slug_in_any_language,
        slug_column,
        slugs_by_language,
    )

    language = active_language()
    public = model.objects.public()
    former = FormerSlug.objects.of(model, slug, language).values("object_id")
    found = public.filter(pk__in=former).first() or (
        public.filter(at_slug_in_any_language(model, slug)).order_by("pk").first()
        if slug_column(model, language) != "slug"
        else None
    )
    if found is None:
        return None
    current = slugs_by_language(found)[language]
    return current if current and current != slug else None


def moved_permanently(address: str) -> HttpResponsePermanentRedirect:
    """A 301 to where a former slug now leads. The old address may be taken again (renamed
    back, or by another): browsers keep a 301 as long as they are told, so an hour."""
    response = HttpResponsePermanentRedirect(address)
    patch_cache_control(response, public=True, max_age=FORMER_SLUG_REDIRECT_SECONDS)
    return response


class SubjectMoved(Http404):
    """A campaign, topic or spokesperson asked for by a slug it had before (``FormerSlug``):
    a 404 to whatever does not know better, a 301 to ``current`` where it is caught."""

    def __init__(self, current: str):
        super().__init__("Moved to a new address")
        self.current = current


def subject_at(queryset, slug: str):
    """The subject of a page or feed: the one of ``queryset`` (public ones) at ``slug``;
    SubjectMoved at a slug it had before; else Http404. A subject inserted without its slug
    in the page's language is at the default language's (``releases.models.slugs``)."""
    from releases.models.slugs import subject_at_slug

    found = subject_at_slug(queryset, slug)
    if found is not None:
        return found
    current = current_slug(queryset.model, slug)
    if current is None:
        raise Http404("No such page")
    raise SubjectMoved(current)


def moved_to(request, moved: SubjectMoved) -> HttpResponsePermanentRedirect:
    """The same page or feed, with the same query, at the subject's current slug."""
    match = request.resolver_match
    address = reverse(
        match.view_name, args=match.args, kwargs=match.kwargs | {"slug": moved.current}
    )
    query = request.META.get("QUERY_STRING", "")
    return moved_permanently(f"{address}?{query}" if query else address)


# Where a release address that no release on record has leads (``release_address_leads``).
MOVED = "moved"  # a release's address before its slug or date changed: 301 to it
GONE = "gone"  # the address of a release unpublished as published in error: 410
ELSEWHERE = "elsewhere"  # the address of a release in another language only
ANOTHER_DAY = "another day"  # the wrong date for the one release with this slug: 302 to it


class Lead(NamedTuple):
    kind: str
    release: object  # a Release


def release_address_leads(language: str, publication_date: date, slug: str) -> Lead | None:
    """Where a release address in ``language`` that no release on record has leads, as the
    release's page answers it (the page and oEmbed both ask here), in this order: ``MOVED``,
    from a former address of the release; ``GONE``, from the address, or a former one, of a
    release unpublished as published in error; ``ELSEWHERE``, to the release at it in another
    language; ``ANOTHER_DAY``, the one release in ``language`` with ``slug``, dated another
    day (a slug is unique per language and day only: with several, no guessing); else None
    (404). Every release led to is on record (``published(include_withdrawn=True)``) but the
    gone one, which is only said to be gone: a scheduled, draft or unpublished release's slug
    is not told (what a scheduled one's go-live changes, a wrong date's answer, is kept no
    longer than until then: ``found_on_another_day``)."""
    from releases.models import Release

    address = {"publication_date": publication_date, "slug": slug}
    on_record = Release.objects.published(include_withdrawn=True)
    if moved := on_record.formerly_at(language, **address).first():
        return Lead(MOVED, moved)
    gone = Release.objects.gone()
    taken_down = (
        gone.in_language(language).filter(**address).first()
        or gone.formerly_at(language, **address).first()
    )
    if taken_down is not None:
        return Lead(GONE, taken_down)
    if elsewhere := on_record.filter(**address).exclude(language=language).first():
        return Lead(ELSEWHERE, elsewhere)
    # A release at this very address answered 404 for another reason (a news release's
    # calendar file): no redirect to itself.
    found = (
        on_record.in_language(language)
        .filter(slug=slug)
        .only("pk", "language", "publication_date", "slug")[:2]
    )
    if len(found) == 1 and found[0].publication_date != publication_date:
        return Lead(ANOTHER_DAY, found[0])
    return None
