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
from pathlib import Path

import django
from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from releases.models import Quote, Release, RenderedBody

TEMPLATE = "releases/includes/release_body.html"
# What the body's HTML is made by: a change to any of them outdates every stored body.
RENDERER_TEMPLATES = (TEMPLATE, "releases/includes/quote.html")
RENDERER_MODULES = (
    "releases.public.bodies",
    "releases.models.printed",
    "releases.models.people",
    "releases.text.html",
    "releases.text.typography",
    "releases.templatetags.releases",
)
# The relations a body is rendered from: prefetch them with the release.
BODY_RELATIONS = (Prefetch("quotes", queryset=Quote.objects.select_related("spokesperson")),)
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
    return mark_safe(get_template(TEMPLATE).render(body_context(release)))


def body_html(release: Release) -> SafeString:
    """The body of ``release`` for a reader of its language: the stored one while it is
    current (fetch it with ``select_related("rendered_body")``), else rendered now."""
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
    inputs = (
        release.body,
        release.language,
        release.dateline_city,
        release.dateline_region,
        release.publication_date,
        [(q.pk, q.text, q.attribution, q.position, q.spokesperson.slug) for q in quotes],
    )
    return hashlib.sha256(renderer_fingerprint() + repr(inputs).encode()).hexdigest()


@functools.cache
def renderer_fingerprint() -> bytes:
    """The renderer's own part of every fingerprint: its templates' and modules' source, the
    translations (“said”, month names) and the spokespeople's addresses in each language."""
    digest = hashlib.sha256(django.get_version().encode())
    for name in RENDERER_TEMPLATES:
        digest.update(Path(get_template(name).origin.name).read_bytes())
    for module in RENDERER_MODULES:
        digest.update(Path(importlib.import_module(module).__file__).read_bytes())
    for locale in settings.LOCALE_PATHS:
        for catalogue in sorted(Path(locale).glob("*/LC_MESSAGES/django.mo")):
            digest.update(catalogue.read_bytes())
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            digest.update(reverse("releases:spokesperson-detail", kwargs={"slug": "-"}).encode())
    return digest.digest()


def store_bodies(
    release_ids: Iterable[int] | None = None, *, missing_only=False, progress=None
) -> int:
    """Render and store the bodies of these releases (every dated release when ``None``; with
    ``missing_only``, those that have none stored); how many were stored. A release without a
    publication date (a draft) has none: its dateline says today, whichever day that is."""
    releases = Release.objects.filter(publication_date__isnull=False).defer("search_vector")
    if release_ids is not None:
        releases = releases.filter(pk__in=list(release_ids))
    if missing_only:
        releases = releases.filter(rendered_body__isnull=True)
    ids = list(releases.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        batch = releases.filter(pk__in=ids[start : start + BATCH]).prefetch_related(*BODY_RELATIONS)
        rows = []
        for release in batch:
            with translation.override(release.language):
                rows.append(
                    RenderedBody(
                        release=release, html=render_body(release), fingerprint=fingerprint(release)
                    )
                )
        RenderedBody.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["release"],
            update_fields=["html", "fingerprint"],
        )
        if progress is not None:
            progress(len(rows))
    return len(ids)
