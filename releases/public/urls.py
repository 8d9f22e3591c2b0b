from django.urls import path, re_path

from releases.public import views
from releases.syndication import feeds

app_name = "releases"

FEED_FORMATS = "|".join(feeds.FORMATS)
YEAR = r"^releases/(?P<year>[0-9]{4})/"
MONTH = YEAR + r"(?P<month>[0-9]{2})/"
RELEASE = MONTH + r"(?P<day>[0-9]{2})/(?P<slug>[-\w]+)"


def feed_path(subject: str, feed, name: str):
    """A feed's addresses in every format. They are promises to subscribers: never change them."""
    pattern = rf"^feeds/{subject}\.(?P<feed_format>{FEED_FORMATS})$"
    return re_path(pattern, feed.as_view(), name=name)


urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("releases/", views.ReleaseListView.as_view(), name="list"),
    re_path(YEAR + "$", views.ReleaseYearArchiveView.as_view(), name="archive-year"),
    re_path(MONTH + "$", views.ReleaseMonthArchiveView.as_view(), name="archive-month"),
    re_path(RELEASE + "/$", views.ReleaseDetailView.as_view(), name="detail"),
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
    re_path(RELEASE + r"\.txt$", views.ReleaseTextView.as_view(), name="detail-text"),
    feed_path("releases", feeds.ReleasesFeed, "feed"),
    feed_path(r"campaigns/(?P<slug>[-\w]+)", feeds.CampaignFeed, "campaign-feed"),
    feed_path(r"topics/(?P<slug>[-\w]+)", feeds.TopicFeed, "topic-feed"),
    feed_path(r"types/(?P<release_type>[-\w]+)", feeds.ReleaseTypeFeed, "type-feed"),
    path("search/", views.SearchView.as_view(), name="search"),
]
