from django.urls import path, re_path

from releases import views

app_name = "releases"

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
    path("campaigns/", views.CampaignListView.as_view(), name="campaign-list"),
    path("campaigns/<slug:slug>/", views.CampaignDetailView.as_view(), name="campaign-detail"),
    path("spokespeople/", views.SpokespersonListView.as_view(), name="spokesperson-list"),
    path(
        "spokespeople/<slug:slug>/",
        views.SpokespersonDetailView.as_view(),
        name="spokesperson-detail",
    ),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic"),
    path("search/", views.SearchView.as_view(), name="search"),
]
