from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = _("Newsroom")

    def ready(self):
        from pagecache import caching
        from releases import signals  # noqa: F401
        from releases.models import Release

        caching.set_go_live_source(Release.objects.first_go_live_after)
