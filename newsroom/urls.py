from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.decorators.http import require_safe

from formats import urls as formats_urls
from newsroom.health import healthz, readyz
from pagecache.middleware import shared_although_noindex
from releases.public import brand, icons, printing
from releases.syndication.sitemaps import SITEMAPS, news_sitemap, robots_txt

handler400 = "newsroom.errors.bad_request"
handler403 = "newsroom.errors.permission_denied"
handler404 = "newsroom.errors.page_not_found"
handler500 = "newsroom.errors.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path(settings.ADMIN_URL, include("releases.accounts")),  # forgotten passwords
    path(settings.ADMIN_URL, admin.site.urls),
    path("robots.txt", robots_txt, name="robots-txt"),
    path(
        "sitemap.xml",
        shared_although_noindex(require_safe(sitemap_views.index)),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    path("sitemap-news.xml", shared_although_noindex(news_sitemap), name="sitemap-news"),
    path(
        "sitemap-<section>.xml",
        shared_although_noindex(require_safe(sitemap_views.sitemap)),
        {"sitemaps": SITEMAPS, "template_name": "sitemaps/sitemap.xml"},
        name="sitemap-section",
    ),
    path("files/", include("releases.media.urls")),
    path("favicon.ico", icons.favicon, name="favicon"),
    path("apple-touch-icon.png", icons.apple_touch_icon, name="apple-touch-icon"),
    path("icons/icon-<int:size>.png", icons.png_icon, name="icon"),
    path(
        "icons/maskable-<int:size>.png",
        icons.png_icon,
        {"purpose": "maskable"},
        name="icon-maskable",
    ),
    path("manifest.webmanifest", icons.manifest, name="web-manifest"),
    path("print-links.css", printing.print_links, name="print-links-css"),
    path("brand-<slug:version>.css", brand.stylesheet, name="brand-css"),
    *formats_urls.urlpatterns,
]

if settings.EMAIL_BACKEND.startswith("anymail.backends."):
    # The email provider's delivery and bounce reports (alerts/signals.py): its own webhooks
    # only, since another provider's answer a 500 for want of its settings.
    from anymail.urls import urlpatterns as anymail_webhooks

    provider = settings.EMAIL_BACKEND.split(".")[2]
    webhooks = [p for p in anymail_webhooks if str(p.pattern).startswith(f"{provider}/")]
    urlpatterns.append(path("anymail/", include((webhooks, "anymail"))))

if settings.NEWSROOM_BENCH:
    from newsroom.bench import floor

    urlpatterns.append(path("bench/floor/", floor, name="bench-floor"))

from alerts.urls import ALERTS  # noqa: E402
from alerts.urls import english_worded as alerts_english_worded  # noqa: E402
from releases.public.urls import words  # noqa: E402

urlpatterns += i18n_patterns(
    path("", include(formats_urls.localized)),
    path("", include("releases.public.urls")),
    path(words("{a}/", a=ALERTS), include("alerts.urls")),
    alerts_english_worded,
    prefix_default_language=True,
)
