"""The live preview beside the release form: the release as readers will see it (distribution
line, dateline, quotes in place, contacts, boilerplate, end mark), drawn from what the form
holds now, saved or not, with the checklist of that same state for the form's box. It saves
nothing."""

from django.db import transaction
from django.http import HttpResponseNotAllowed, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_cache_control

from releases.models import Organisation, Quote, Release, Spokesperson
from releases.workflow import checklist
from releases.workflow.admin.checklist import checks_apply, linked

QUOTES_PREFIX = "quotes"
EMPTIED_SHOWN = ("headline", "dateline_city", "body", "release_type")
MAX_QUOTES = 50


def quotes_in_form(data, release: Release) -> list[Quote]:
    """The quotes the form's inline holds, unsaved, in the order they will print."""
    try:
        total = min(int(data.get(f"{QUOTES_PREFIX}-TOTAL_FORMS", 0)), MAX_QUOTES)
    except ValueError:
        total = 0
    rows = []
    for n in range(total):
        prefix = f"{QUOTES_PREFIX}-{n}-"
        text = data.get(prefix + "text", "").strip()
        if not text or data.get(prefix + "DELETE"):
            continue
        try:
            position = int(data.get(prefix + "position") or 1)
            spokesperson_id = int(data.get(prefix + "spokesperson") or 0)
        except ValueError:
            continue
        rows.append((n, text, position, spokesperson_id, data.get(prefix + "attribution", "")))
    people = Spokesperson.objects.in_bulk([row[3] for row in rows])
    quotes = []
    for n, text, position, spokesperson_id, attribution in rows:
        spokesperson = people.get(spokesperson_id)
        if spokesperson is None:
            continue
        # A stand-in number keeps the print order; these rows are never saved.
        quote = Quote(
            pk=n + 1,
            release=release,
            spokesperson=spokesperson,
            position=position,
            text=text,
            attribution=attribution,
        )
        quote.normalize()
        quotes.append(quote)
    return quotes


class LivePreviewMixin:
    def live_preview_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        release = self._release_or_404(request, object_id)
        form = self.get_form(request, release, change=True)(
            request.POST, request.FILES, instance=release
        )
        with transaction.atomic():  # the form's version check locks the row while it reads
            form.is_valid()  # the instance takes every valid field typed so far; none is saved
        shown = form.instance
        # A required field emptied is refused by the form, which leaves the saved value in
        # place: the preview and the checklist show it empty, as typed.
        for name in form.errors:
            if name in EMPTIED_SHOWN and not request.POST.get(name, "").strip():
                setattr(shown, name, "")
        box = live_checklist(release, shown)  # before the quotes typed stand in for the saved
        shown._prefetched_objects_cache = getattr(shown, "_prefetched_objects_cache", {})
        shown._prefetched_objects_cache["quotes"] = quotes_in_form(request.POST, shown)
        with translation.override(shown.language or release.language):
            html = render_to_string(
                "releases/includes/release_article.html",
                {"release": shown, "organisation": Organisation.current_cached(), "preview": True},
                request=request,
            )
        response = JsonResponse({"article": html, "checklist": box})
        patch_cache_control(response, private=True, no_store=True)
        return response


def live_checklist(saved: Release, shown: Release) -> str:
    """The checklist of what the form holds, for the change form's box as the writer types
    (its images and quotes as saved); empty once the release is public."""
    if not checks_apply(saved):
        return ""
    return render_to_string(
        "admin/releases/release/checklist.html",
        {"items": linked(checklist.checklist(shown), saved)},
    )
