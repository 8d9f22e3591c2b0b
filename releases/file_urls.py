"""Addresses of stored files, outside the language prefixes: a photo is the same in any
language. Every one is served by ``releases.file_views`` (never straight from storage)."""

from django.urls import path

from releases import file_views

app_name = "files"

urlpatterns = [
    path(
        "release-images/<uuid:key>/<str:name>",
        file_views.ReleaseImageView.as_view(),
        name="release-image",
    ),
    path(
        "campaign-visuals/<uuid:key>/<str:name>",
        file_views.CampaignVisualView.as_view(),
        name="campaign-visual",
    ),
    path("headshots/<uuid:key>/<str:name>", file_views.HeadshotView.as_view(), name="headshot"),
    path("documents/<uuid:key>/<str:name>", file_views.DocumentView.as_view(), name="document"),
    path("press-kits/<int:pk>/", file_views.PressKitView.as_view(), name="press-kit"),
]
