"""A release's body as readers see it: rendered once when it changes and stored
(``RenderedBody``), rather than sanitised, split, typeset and templated on every read.

A stored body is used only while its fingerprint matches what it would be rendered from now:
the release's body, language and dateline, its quotes and their spokespeople's addresses, and
the renderer itself (its templates, its code, the translations). A change that sends no signal
(``QuerySet.update()``, raw SQL, a deployment) therefore never shows an outdated body: the page
renders it afresh until the body is stored again (``manage.py render_bodies``)."""

import functools
import hashlib
import importlib
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

import django
from django.conf import settings
from django.core.signals import setting_changed
from django.db import router
from django.db.models import QuerySet
from django.dispatch import receiver
from django.template.loader import get_template
from django.urls import reverse
from django.utils import formats, translation
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString, mark_safe

from releases.models import Release, RenderedBody
from releases.public.relations import QUOTES_WITH_SPOKESPEOPLE

TEMPLATE = "releases/includes/release_body.html"
# What the body's HTML is made by: a change to any of them outdates every stored body.
RENDERER_TEMPLATES = (TEMPLATE, "releases/includes/quote.html")
RENDERER_MODULES = (
    "releases.public.bodies",
    "releases.models.printed",
    "releases.models.people",
    "releases.text.html",
    "releases.text.languages",
    "releases.text.typography",
    "releases.templatetags.releases",
)
# The libraries whose version changes the HTML: the sanitiser.
RENDERER_LIBRARIES = ("nh3",)
BATCH = 500


def body_context(release: Release) -> dict:
    """The body's blocks, the dateline opening the first paragraph and each quote in place."""
    blocks = release.body_with_quotes()
    if blocks and blocks[0].get("html", "").startswith("<p>"):
        blocks[0] = {"lead": mark_safe(blocks[0]["html"][3:-4])}
    # Every block names every kind: a key the template looks up in vain costs an exception.
    blocks = [{"lead": None, "quote": None, "html": None} | block for block in blocks]
    return {"release": release, "blocks": blocks}


def render_body(release: Release) -> SafeString:
    """The body rendered now, in the active language (its own, for a stored one)."""
    return mark_safe(get_template(TEMPLATE).render(body_context(release)))


def body_html(release: Release) -> SafeString:
    """The body of ``release`` for a reader of its language: the stored one while it is
    current (fetched with the release: ``select_related("rendered_body")``), else rendered
    now."""
    stored = _stored(release)
    if (
        stored is not None
        and translation.get_language() == release.language
        and stored.fingerprint == fingerprint(release)
    ):
        return mark_safe(stored.html)
    return render_body(release)


def _stored(release: Release) -> RenderedBody | None:
    """The stored body, only if it came with the release (never a query of its own)."""
    if not Release.rendered_body.is_cached(release):
        return None
    return getattr(release, "rendered_body", None)


def fingerprint(release: Release) -> str:
    """What the body is rendered from, digested (quotes and spokespeople prefetched)."""
    quotes = sorted(release.quotes.all(), key=lambda quote: (quote.position, quote.pk))
    return fingerprint_of(
        body_digest(release.body),
        release.language,
        release.dateline_city,
        release.dateline_region,
        release.publication_date,
        [(q.pk, q.text, q.attribution, q.position, q.spokesperson.slug) for q in quotes],
    )


def fingerprint_of(body_md5, language, dateline_city, dateline_region, publication_date, quotes):
    """``fingerprint()`` from the values themselves, for what reads releases as values (the
    feeds): the body as its digest (``body_digest()``, which the database computes too), the
    quotes as (pk, text, attribution, position, spokesperson's slug), in their order (position,
    pk)."""
    inputs = (body_md5, language, dateline_city, dateline_region, publication_date, list(quotes))
    return hashlib.sha256(renderer_fingerprint() + repr(inputs).encode()).hexdigest()


def body_digest(body: str) -> str:
    """The body's MD5 in hex, as ``django.db.models.functions.MD5`` has the database compute
    it: a feed asks for fifty digests rather than fifty bodies."""
    return hashlib.md5(body.encode(), usedforsecurity=False).hexdigest()


@functools.cache
def renderer_fingerprint() -> bytes:
    """The renderer's own part of every fingerprint: its templates' and modules' source, the
    sanitiser's version, the translations (“said”) and date formats (month names, “1er”) of
    each language, the dateline's format as each language's chosen variant writes it
    (``ENGLISH_FORMATS``), and the spokespeople's addresses in each language."""
    digest = hashlib.sha256(django.get_version().encode())
    for library in RENDERER_LIBRARIES:
        digest.update(metadata.version(library).encode())
    sources = [Path(get_template(name).origin.name) for name in RENDERER_TEMPLATES]
    sources += [Path(importlib.import_module(module).__file__) for module in RENDERER_MODULES]
    for locale in settings.LOCALE_PATHS:
        sources += sorted(Path(locale).glob("*/LC_MESSAGES/django.mo"))
    for code, _name in settings.LANGUAGES:
        sources += [Path(module.__file__) for module in formats.iter_format_modules(code)]
        digest.update(formats.get_format("DATELINE_DATE_FORMAT", lang=code).encode())
        with translation.override(code):
            digest.update(reverse("releases:spokesperson-detail", kwargs={"slug": "-"}).encode())
    for source in sources:
        digest.update(source.read_bytes())
    return digest.digest()


@receiver(setting_changed)
def _forget_renderer_on_new_settings(*, setting, **kwargs):
    if setting in {
        "LOCALE_PATHS",
        "LANGUAGES",
        "FORMAT_MODULE_PATH",
        "ENGLISH_FORMATS",
        "ROOT_URLCONF",
    }:
        renderer_fingerprint.cache_clear()


@receiver(file_changed)
def _forget_renderer_on_edit(**kwargs):
    """runserver reloads a changed template without restarting: outdate the stored bodies."""
    renderer_fingerprint.cache_clear()


def store_bodies(
    release_ids: Iterable[int] | QuerySet | None = None,
    *,
    outdated_only=False,
    progress=None,
    using: str | None = None,
) -> int:
    """Render and store the bodies of these releases (every dated release when ``None``; with
    ``outdated_only``, those with none stored by this renderer); how many were stored. A
    release without a publication date (a draft again, say) has none, and loses any it had:
    its dateline says today, whichever day that is. Everything is read from the database
    written to (``using``, else the router's): a replica may not have the change yet."""
    using = using or router.db_for_write(Release)
    chosen = Release.objects.using(using)
    if release_ids is not None:
        # A queryset stays a subquery: thousands of ids would not fit in SQLite's statement.
        wanted = release_ids if isinstance(release_ids, QuerySet) else list(release_ids)
        chosen = chosen.filter(pk__in=wanted)
        RenderedBody.objects.using(using).filter(
            release__in=chosen.filter(publication_date__isnull=True)
        ).delete()
    ids = list(
        bodies_to_render(chosen, outdated_only=outdated_only)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), BATCH):
        batch = (
            Release.objects.using(using)
            .filter(pk__in=ids[start : start + BATCH])
            .defer("search_vector")
            .prefetch_related(QUOTES_WITH_SPOKESPEOPLE)
        )
        rows, renderer = [], renderer_fingerprint().hex()
        for release in batch:
            with translation.override(release.language):
                rows.append(
                    RenderedBody(
                        release=release,
                        html=render_body(release),
                        fingerprint=fingerprint(release),
                        renderer=renderer,
                    )
                )
        RenderedBody.objects.using(using).bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["release"],
            update_fields=["html", "fingerprint", "renderer"],
        )
        if progress is not None:
            progress(len(rows))
    return len(ids)


def mark_outdated(releases: QuerySet, *, using: str | None = None) -> int:
    """Mark the stored bodies of ``releases`` as rendered by no current renderer, so that
    ``store_bodies(outdated_only=True)`` and ``manage.py render_bodies --outdated`` render them
    again; how many. One statement, whatever their number (a delete would load each row to
    send its signal)."""
    using = using or router.db_for_write(Release)
    return RenderedBody.objects.using(using).filter(release__in=releases).update(renderer="")


def bodies_to_render(releases=None, *, outdated_only=False):
    """The releases among ``releases`` (all) whose bodies are stored: the dated ones; with
    ``outdated_only``, those with none stored by this renderer (a new version of the
    templates, code or translations outdates them all)."""
    dated = (Release.objects.all() if releases is None else releases).filter(
        publication_date__isnull=False
    )
    if outdated_only:
        return dated.exclude(rendered_body__renderer=renderer_fingerprint().hex())
    return dated
