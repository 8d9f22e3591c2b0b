"""The admin site: Django's, with the newsroom's titles and a JavaScript catalogue that also
carries the rich-text editor's translations (Django's holds only the admin's own)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog

JAVASCRIPT_PACKAGES = ["django.contrib.admin", "django_prose_editor"]


class NewsroomAdminSite(admin.AdminSite):
    site_header = _("Newsroom administration")
    site_title = _("Newsroom")
    index_title = _("Releases, campaigns and people")
    # An empty value shows one dash everywhere, as the workflow's own fields write it.
    empty_value_display = "—"

    def i18n_javascript(self, request, extra_context=None):
        return JavaScriptCatalog.as_view(packages=JAVASCRIPT_PACKAGES)(request)
