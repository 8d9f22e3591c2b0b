"""Addresses of the formats. ``urlpatterns`` sit at the root (the API, its page, oEmbed);
``localized`` beside each language's pages (ninjs and .ics beside a release's page, like its
.txt; the calendar of advisories among the feeds). Feed and calendar addresses are promises to
subscribers: never change them."""

from django.urls import include, path, re_path
from django.utils.translation import pgettext_lazy
from django.views.generic import RedirectView

from formats import api, api_errors, docs, oembed, views
from pagecache.middleware import page_cache_exempt
from releases.public.urls import DAY, FEEDS, RELEASES, words

urlpatterns = [
    path("api/v1/docs", docs.api_docs, name="api-docs"),
    path("api/v1/", RedirectView.as_view(pattern_name="api-docs"), name="api-index"),
    path("api/v1/", include(api.urls(), namespace="api")),
    # Last of the API's: its addresses with or without their slash, the other way, and its 404.
    re_path(r"^api/v1/", page_cache_exempt(api_errors.other_form), name="api-other-form"),
    path("oembed", oembed.oembed_view, name="oembed"),
]

# The calendar of media advisories' word (French: « avis », as in « avis aux médias »).
ADVISORIES = pgettext_lazy("URL", "advisories")

localized = (
    [
        re_path(
            words(r"^{r}/" + DAY + r"\.ninjs\.json$", r=RELEASES),
            views.NinjsView.as_view(),
            name="ninjs",
        ),
        re_path(
            words(r"^{r}/" + DAY + r"\.ics$", r=RELEASES),
            views.EventIcsView.as_view(),
            name="event-ics",
        ),
        path(
            words("{f}/{a}.ics", f=FEEDS, a=ADVISORIES),
            views.advisories_calendar,
            name="advisories-calendar",
        ),
        # The calendar's first address in every language, with the English word
        # (/fr/fils/advisories.ics): its subscribers keep it for good. (In English it is the
        # calendar's own, answered above.)
        path(
            words("{f}/advisories.ics", f=FEEDS),
            RedirectView.as_view(
                pattern_name="formats:advisories-calendar", permanent=True, query_string=True
            ),
            name="advisories-calendar-english-word",
        ),
    ],
    "formats",
)
