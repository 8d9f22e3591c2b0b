"""Public addresses. Their words are translated (``/fr/communiques/…``, ``/fr/campagnes/…``:
the French catalogue gives them, docs/translations.md lists them); an address with the English
words under another language's prefix answers 301 to that language's words, so that no link
ever breaks (feed addresses are promises to subscribers)."""

from django.urls import path, re_path
from django.utils.text import format_lazy
from django.utils.translation import pgettext_lazy

from releases.public import addresses, previews, views
from releases.syndication import feeds

app_name = "releases"

FEED_FORMATS = "|".join(feeds.FORMATS)

# The words of the public addresses, each translated with the context "URL".
RELEASES = pgettext_lazy("URL", "releases")
CAMPAIGNS = pgettext_lazy("URL", "campaigns")
SPOKESPEOPLE = pgettext_lazy("URL", "spokespeople")
TOPICS = pgettext_lazy("URL", "topics")
FEEDS = pgettext_lazy("URL", "feeds")
TYPES = pgettext_lazy("URL", "types")
SEARCH = pgettext_lazy("URL", "search")
ENGLISH_WORDS = ["releases", "campaigns", "spokespeople", "topics", "feeds", "search"]
DAY = r"(?P<year>[0-9]{{4}})/(?P<month>[0-9]{{2}})/(?P<day>[0-9]{{2}})/(?P<slug>[-\w]+)"


def words(pattern: str, **parts):
    """A route or regex whose ``{name}`` parts are translated words, for each language."""
    return format_lazy(pattern, **parts)


urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(words("{r}/", r=RELEASES), views.ReleaseListView.as_view(), name="list"),
    re_path(
        words(r"^{r}/(?P<year>[0-9]{{4}})/$", r=RELEASES),
        views.ReleaseYearArchiveView.as_view(),
        name="archive-year",
    ),
    re_path(
        words(r"^{r}/(?P<year>[0-9]{{4}})/(?P<month>[0-9]{{2}})/$", r=RELEASES),
        views.ReleaseMonthArchiveView.as_view(),
        name="archive-month",
    ),
    re_path(
        words(r"^{r}/" + DAY + "/$", r=RELEASES),
        views.ReleaseDetailView.as_view(),
        name="detail",
    ),
    path("preview/<int:pk>/", previews.StaffPreviewView.as_view(), name="preview"),
    path("preview/link/<str:token>/", previews.SignedPreviewView.as_view(), name="preview-link"),
    path(words("{c}/", c=CAMPAIGNS), views.CampaignListView.as_view(), name="campaign-list"),
    path(
        words("{c}/<slug:slug>/", c=CAMPAIGNS),
        views.CampaignDetailView.as_view(),
        name="campaign-detail",
    ),
    path(
        words("{s}/", s=SPOKESPEOPLE),
        views.SpokespersonListView.as_view(),
        name="spokesperson-list",
    ),
    path(
        words("{s}/<slug:slug>/", s=SPOKESPEOPLE),
        views.SpokespersonDetailView.as_view(),
        name="spokesperson-detail",
    ),
    path(words("{t}/", t=TOPICS), views.TopicListView.as_view(), name="topic-list"),
    path(words("{t}/<slug:slug>/", t=TOPICS), views.TopicDetailView.as_view(), name="topic"),
    re_path(
        words(r"^{r}/" + DAY + r"\.txt$", r=RELEASES),
        views.ReleaseTextView.as_view(),
        name="detail-text",
    ),
    # Feed addresses are promises to subscribers: never change them (the English-worded
    # French ones answer 301 to the French words).
    re_path(
        words(rf"^{{f}}/{{r}}\.(?P<feed_format>{FEED_FORMATS})$", f=FEEDS, r=RELEASES),
        feeds.ReleasesFeed.as_view(),
        name="feed",
    ),
    re_path(
        words(
            rf"^{{f}}/{{c}}/(?P<slug>[-\w]+)\.(?P<feed_format>{FEED_FORMATS})$",
            f=FEEDS,
            c=CAMPAIGNS,
        ),
        feeds.CampaignFeed.as_view(),
        name="campaign-feed",
    ),
    re_path(
        words(
            rf"^{{f}}/{{t}}/(?P<slug>[-\w]+)\.(?P<feed_format>{FEED_FORMATS})$", f=FEEDS, t=TOPICS
        ),
        feeds.TopicFeed.as_view(),
        name="topic-feed",
    ),
    re_path(
        words(
            rf"^{{f}}/{{t}}/(?P<release_type>[-\w]+)\.(?P<feed_format>{FEED_FORMATS})$",
            f=FEEDS,
            t=TYPES,
        ),
        feeds.ReleaseTypeFeed.as_view(),
        name="type-feed",
    ),
    path(words("{s}/", s=SEARCH), views.SearchView.as_view(), name="search"),
    # Last: an address with English words under another language's prefix.
    re_path(
        rf"^(?:{'|'.join(ENGLISH_WORDS)})/",
        addresses.EnglishWordedAddressView.as_view(),
        name="english-worded",
    ),
]
