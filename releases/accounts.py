"""Staff accounts around the admin: a forgotten-password flow by email, the language staff
choose to work in, and the sign-in throttling records (django-axes) shown to superusers only,
under a plain name."""

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from releases.models import Organisation


class PasswordResetView(auth_views.PasswordResetView):
    """Django's, its email signed with the organisation's name (“Password reset on …”, “The …
    team”) rather than the server's host, as no sites framework names the newsroom. The link
    still leads to the host the request came to; without an organisation, the host names it."""

    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        if organisation := Organisation.current():
            self.extra_email_context = {"site_name": organisation.name}
        return super().form_valid(form)


# Included under the admin's address (newsroom/urls.py). Django's admin login shows the
# “Forgotten your password?” link once `admin_password_reset` exists; the other names are the
# ones Django's views and its email template ask for.
urlpatterns = [
    path(
        "password_reset/",
        PasswordResetView.as_view(),
        name="admin_password_reset",
    ),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # The admin's language, chosen by staff (a cookie), whatever their browser sends.
    path("language/", set_language, name="admin-language"),
]


class SuperusersOnly:
    """Who tried to sign in, from where, is for whoever runs the site, not for every editor."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request) and super().has_delete_permission(request, obj)


def hide_sign_in_records_from_staff(site=admin.site) -> None:
    """Re-register axes' models (registered by axes itself) for superusers only, in a section
    called “Sign-in attempts” instead of “Axes”."""
    if not apps.is_installed("axes"):
        return
    apps.get_app_config("axes").verbose_name = _("Sign-in attempts")
    for model, model_admin in list(site._registry.items()):
        if model._meta.app_label == "axes":
            site.unregister(model)
            restricted = type(
                f"SuperusersOnly{type(model_admin).__name__}",
                (SuperusersOnly, type(model_admin)),
                {},
            )
            site.register(model, restricted)
