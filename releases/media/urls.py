"""Addresses of stored files, outside the language prefixes: a photo is the same in any
language. Every one is served by ``releases.media.files`` (never straight from storage)."""

from django.urls import path

from releases.media import files

app_name = "files"

urlpatterns = [
    path(
        "release-images/<uuid:key>/<str:name>",
        files.ReleaseImageView.as_view(),
        name="release-image",
    ),
    path(
        "campaign-visuals/<uuid:key>/<str:name>",
        files.CampaignVisualView.as_view(),
        name="campaign-visual",
    ),
    path(
        "sharing-images/<uuid:key>/<str:name>",
        files.SharingImageView.as_view(),
        name="sharing-image",
    ),
    path("headshots/<uuid:key>/<str:name>", files.HeadshotView.as_view(), name="headshot"),
    path("documents/<uuid:key>/<str:name>", files.DocumentView.as_view(), name="document"),
    path("press-kits/<int:pk>/", files.PressKitView.as_view(), name="press-kit"),
]
