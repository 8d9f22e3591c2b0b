from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from newsroom.health import healthz, readyz
from pagecache.middleware import shared_although_noindex
from releases.syndication.sitemaps import SITEMAPS, news_sitemap, robots_txt

handler400 = "newsroom.errors.bad_request"
handler403 = "newsroom.errors.permission_denied"
handler404 = "newsroom.errors.page_not_found"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("robots.txt", robots_txt, name="robots-txt"),
    path(
        "sitemap.xml",
        shared_although_noindex(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    path("sitemap-news.xml", shared_although_noindex(news_sitemap), name="sitemap-news"),
    path(
        "sitemap-<section>.xml",
        shared_although_noindex(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS, "template_name": "sitemaps/sitemap.xml"},
        name="sitemap-section",
    ),
    path("files/", include("releases.media.urls")),
]

if settings.NEWSROOM_BENCH:
    from newsroom.bench import floor

    urlpatterns.append(path("bench/floor/", floor, name="bench-floor"))

urlpatterns += i18n_patterns(
    path("", include("releases.public.urls")),
    prefix_default_language=True,
)
