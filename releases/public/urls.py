from django.urls import path, re_path

from releases.public import views
from releases.syndication import feeds

app_name = "releases"

FEED_FORMATS = "|".join(feeds.FORMATS)

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("releases/", views.ReleaseListView.as_view(), name="list"),
    re_path(
        r"^releases/(?P<year>[0-9]{4})/$",
        views.ReleaseYearArchiveView.as_view(),
        name="archive-year",
    ),
    re_path(
        r"^releases/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$",
        views.ReleaseMonthArchiveView.as_view(),
        name="archive-month",
    ),
    re_path(
        r"^releases/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<day>[0-9]{2})/(?P<slug>[-\w]+)/$",
        views.ReleaseDetailView.as_view(),
        name="detail",
    ),
    path("preview/<int:pk>/", views.StaffPreviewView.as_view(), name="preview"),
    path("preview/link/<str:token>/", views.SignedPreviewView.as_view(), name="preview-link"),
    path("campaigns/", views.CampaignListView.as_view(), name="campaign-list"),
    path("campaigns/<slug:slug>/", views.CampaignDetailView.as_view(), name="campaign-detail"),
    path("spokespeople/", views.SpokespersonListView.as_view(), name="spokesperson-list"),
    path(
        "spokespeople/<slug:slug>/",
        views.SpokespersonDetailView.as_view(),
        name="spokesperson-detail",
    ),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic"),
    re_path(
        r"^releases/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<day>[0-9]{2})/(?P<slug>[-\w]+)\.txt$",
        views.ReleaseTextView.as_view(),
        name="detail-text",
    ),
    # Feed addresses are promises to subscribers: never change them.
    re_path(
        rf"^feeds/releases\.(?P<feed_format>{FEED_FORMATS})$",
        feeds.ReleasesFeed.as_view(),
        name="feed",
    ),
    re_path(
        rf"^feeds/campaigns/(?P<slug>[-\w]+)\.(?P<feed_format>{FEED_FORMATS})$",
        feeds.CampaignFeed.as_view(),
        name="campaign-feed",
    ),
    re_path(
        rf"^feeds/topics/(?P<slug>[-\w]+)\.(?P<feed_format>{FEED_FORMATS})$",
        feeds.TopicFeed.as_view(),
        name="topic-feed",
    ),
    re_path(
        rf"^feeds/types/(?P<release_type>[-\w]+)\.(?P<feed_format>{FEED_FORMATS})$",
        feeds.ReleaseTypeFeed.as_view(),
        name="type-feed",
    ),
    path("search/", views.SearchView.as_view(), name="search"),
]
