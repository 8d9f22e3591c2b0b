from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormatsConfig(AppConfig):
    """A release in every machine format (content API, IPTC ninjs, oEmbed, iCalendar), and the
    events that media advisories announce."""

    name = "formats"
    verbose_name = _("Formats and events")

    def ready(self):
        from formats import checks, signals  # noqa: F401
