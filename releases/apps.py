from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = _("Newsroom")

    def ready(self):
        from pagecache import caching
        from releases import signals  # noqa: F401
        from releases.scopes import GoLives

        caching.set_go_live_source(GoLives)
