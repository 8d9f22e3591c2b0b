from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PageCacheConfig(AppConfig):
    """Whole-page and fragment caching that never serves stale or early content."""

    name = "pagecache"
    verbose_name = _("Page cache")
