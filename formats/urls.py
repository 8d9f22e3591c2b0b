"""Addresses of the formats. ``urlpatterns`` sit at the root (the API, its page, oEmbed);
``localized`` beside each language's pages (ninjs and .ics beside a release's page, like its
.txt; the calendar of advisories among the feeds). Feed and calendar addresses are promises to
subscribers: never change them."""

from django.urls import include, path, re_path
from django.views.generic import RedirectView

from formats import api, docs, oembed, views

RELEASE = r"^releases/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<day>[0-9]{2})/(?P<slug>[-\w]+)"

urlpatterns = [
    path("api/v1/docs", docs.api_docs, name="api-docs"),
    path("api/v1/", RedirectView.as_view(pattern_name="api-docs"), name="api-index"),
    path("api/v1/", include(api.urls(), namespace="api")),
    path("oembed", oembed.oembed_view, name="oembed"),
]

localized = (
    [
        re_path(rf"{RELEASE}\.ninjs\.json$", views.NinjsView.as_view(), name="ninjs"),
        re_path(rf"{RELEASE}\.ics$", views.EventIcsView.as_view(), name="event-ics"),
        path("feeds/advisories.ics", views.advisories_calendar, name="advisories-calendar"),
    ],
    "formats",
)
