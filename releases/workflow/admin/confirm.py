"""Nothing goes public, or leaves, by surprise: the pages of publish now, schedule, withdraw and
unpublish show what readers will see and when, and "Publish now" is a page that asks first."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from releases.models import Release
from releases.syndication.metadata import absolute
from releases.workflow import checklist, publishing, reviews
from releases.workflow.admin.checklist import linked
from releases.workflow.admin.pages import (
    TWIN_NOT_PUBLISHED_AFTER,
    TWIN_NOT_PUBLISHED_BEFORE,
    lone_language_warnings,
    publication_state,
)
from releases.workflow.forms import ConfirmWarningsForm, PublishNowForm, describe_time
from releases.workflow.states import desk_moment

PUBLISHED = _("Published. Readers can see it at %(url)s.")
PUBLISHED_BACKDATED = _(
    "Published, backdated to %(time)s: it takes its place at that date in lists, archives and "
    "feeds, and subscribers were not alerted to it. Readers can see it at %(url)s."
)


def backdate_link(release: Release, typed: str) -> str:
    """The link from a go-live time already passed to the “Publish now” page, which backdates
    the release to that time (``typed``, as it was typed)."""
    url = reverse("admin:releases_release_publish_now", args=[release.pk])
    return format_html(
        '<a href="{}?{}">{}</a>',
        url,
        urlencode({"first_published": typed}),
        _("Publish it now, backdated to the time typed…"),
    )


def what_readers_see(release: Release, *, when: str = "", moment=None) -> dict:
    """The summary at the top of a confirmation page: the headline, its language, the other
    language versions and their states, the moment (newsroom's zone and UTC), and an outside
    reviewer's standing request for changes (warned of, not a refusal)."""
    return {
        "summary": {
            "headline": release.headline,
            "language": release.get_language_display(),
            "versions": [
                {
                    "language": twin.get_language_display(),
                    "headline": twin.headline,
                    "state": publication_state(twin),
                }
                for twin in publishing.twins_of(release)
            ],
            "when": when,
            "moment": describe_time(moment) if moment else "",
            "changes_asked": reviews.changes_asked_of(release),
        }
    }


def public_address(release: Release, request) -> str:
    return absolute(release.get_absolute_url(), request)


class PublishNowMixin:
    def publish_now_view(self, request, object_id):
        release = self._release_or_404(request, object_id)
        self._require_permitted(request, release, "publish-now")
        items = checklist.checklist(release)
        # Warnings are confirmed with a tick; errors refuse, whatever is ticked (publishing).
        warned = bool(items) and not any(item.is_error for item in items)
        form = PublishNowForm(
            request.POST if request.method == "POST" else None,
            # The time typed on the schedule page, when it had passed (``backdate_link``).
            initial={"first_published": request.GET.get("first_published", "")},
            warned=warned,
        )
        errors = []
        if request.method == "POST" and form.is_valid():
            try:
                publishing.publish_now(
                    release=release,
                    by=request.user,
                    first_published_at=form.cleaned_data["at"],
                    expected_version=self._expected_version(request),
                )
            except ValidationError as error:
                release.refresh_from_db()
                if any(each.code == "future" for each in error.error_list):
                    form.add_error("first_published", error)
                else:
                    errors = error.messages
            else:
                said = PUBLISHED_BACKDATED if form.cleaned_data["at"] else PUBLISHED
                address = public_address(release, request)
                moment = desk_moment(release.publish_at)
                self.message_user(
                    request, said % {"url": address, "time": moment}, messages.SUCCESS
                )
                self._warn_lone_language(request, release, TWIN_NOT_PUBLISHED_AFTER)
                return self._back_to(release)
        return self._form_page(
            request,
            release,
            form,
            _("Publish “%(release)s” now?") % {"release": release},
            submit_label=_("Publish now"),
            explanation=_(
                "It goes public the moment you confirm: on the home page, in lists, search and "
                "feeds, and to email subscribers."
            ),
            errors=errors,
            warnings=lone_language_warnings(
                publishing.twins_left_behind(release, at=timezone.now()),
                TWIN_NOT_PUBLISHED_BEFORE,
            ),
            checklist_items=linked(items, release),
            **what_readers_see(release, when=_("Goes public"), moment=timezone.now()),
        )

    @admin.action(description=_("Publish now…"), permissions=["publish"])
    def publish_now(self, request, queryset):
        """From the list: one page names each release, when it goes public and the
        checklist's warnings (confirmed with a tick); only its confirmation publishes."""
        warnings = {
            release.pk: linked(items, release)
            for release in queryset
            if (items := self._warnings_to_confirm(request, release, "publish-now"))
        }
        if request.POST.get("confirmed") != "yes" or warnings:
            confirming = ConfirmWarningsForm.CONFIRMING in request.POST
            return TemplateResponse(
                request,
                "admin/releases/release/publish_selected.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.model._meta,
                    "title": _("Publish these releases now?"),
                    "releases": [
                        what_readers_see(release)["summary"]
                        | {"pk": release.pk, "warnings": warnings.get(release.pk)}
                        for release in queryset
                    ],
                    "moment": describe_time(timezone.now()),
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                    "form": ConfirmWarningsForm(request.POST if confirming else None)
                    if warnings
                    else None,
                },
            )
        published = self._run_action(
            request, queryset, publishing.publish_now, _("%(count)s release(s) published.")
        )
        for release in published:
            self._warn_lone_language(
                request, release, TWIN_NOT_PUBLISHED_AFTER, prefix=f"{release}: "
            )
