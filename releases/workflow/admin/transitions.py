"""The one-click transitions of the change page and the list's bulk actions."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from releases.models import Release
from releases.workflow import publishing, reviews
from releases.workflow.admin.pages import (
    TWIN_NOT_PUBLISHED_BEFORE,
    lone_language_warnings,
    publication_state,
)

# The functions of the transitions made with one POST from the change form; which of them a
# person is offered (and why not) is the workflow's answer, ``publishing.available_actions``.
ONE_CLICK_TRANSITIONS = {
    "submit": publishing.submit_for_review,
    "withdraw-submission": publishing.withdraw_submission,
    "approve": publishing.approve,
    "return": publishing.return_to_draft,
}
# What each one-click transition tells the person, in a full sentence: what happened, and
# what the public sees now.
DONE = {
    "submit": _("Submitted for review. Editors see it on their desk; the public does not."),
    "withdraw-submission": _(
        "Your submission is taken back: it is a draft again, no longer waiting for review."
    ),
    "approve": _("Approved. It can now be scheduled or published; the public does not see it yet."),
    "return": _("Returned to draft. The public does not see it."),
}
# What an address of a one-click transition says when it is opened rather than sent (a
# reload, or the “next” address of a sign-in): how the action is taken.
USE_THE_BUTTON = {
    "submit": _(
        "To submit this release for review, use the “Submit for review” button on this page. "
        "Nothing was changed."
    ),
    "withdraw-submission": _(
        "To take your submission back, use the “Withdraw submission” button on this page. "
        "Nothing was changed."
    ),
    "approve": _(
        "To approve this release, use the “Approve” button on this page. Nothing was changed."
    ),
    "return": _(
        "To return this release to draft, use the “Return to draft” button on this page. "
        "Nothing was changed."
    ),
}
# The actions with a page of their own: those that make a release public lead the workflow
# box, beside its buttons; the others are linked at the top of the page.
PUBLISHING_PAGES = ("publish-now", "schedule")
LINKED_PAGES = ("withdraw", "unpublish", "preview-links")


class TransitionsMixin:
    def workflow_links(self, request, release: Release) -> dict:
        """The actions this user may take on this release now, for the change form."""
        options = {
            option.name: option
            for option in publishing.available_actions(release, request.user)
            if option.allowed
        }
        buttons = [
            {
                "name": name,
                "label": options[name].label,
                "url": reverse(options[name].url_name, args=[release.pk, name]),
            }
            for name in ONE_CLICK_TRANSITIONS
            if name in options
        ]
        warnings = []
        if "publish-now" in options:
            warnings = lone_language_warnings(
                publishing.twins_left_behind(release, at=timezone.now()),
                TWIN_NOT_PUBLISHED_BEFORE,
            )
        preview = options.get("preview")
        return {
            "workflow_buttons": buttons,
            "workflow_pages": [
                {
                    "label": options[name].label,
                    "url": reverse(options[name].url_name, args=[release.pk]),
                }
                for name in PUBLISHING_PAGES
                if name in options
            ],
            "workflow_warnings": warnings,
            "workflow_links": [
                {
                    "label": options[name].label,
                    "url": reverse(options[name].url_name, args=[release.pk]),
                }
                for name in LINKED_PAGES
                if name in options
            ],
            "workflow_state": publication_state(release),
            "changes_asked": reviews.changes_asked_of(release),
            **self.checklist_context(release),
            "preview_url": reverse(preview.url_name, args=[release.pk]) if preview else None,
        }

    def transition_view(self, request, object_id, name):
        if name not in ONE_CLICK_TRANSITIONS:
            raise Http404
        if request.method in ("GET", "HEAD"):
            return self._transition_opened(request, self._release_or_404(request, object_id), name)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        release = self._release_or_404(request, object_id)
        warnings = self._warnings_to_confirm(request, release, name)
        if warnings:
            return self._confirm_warnings_page(request, release, name, warnings)
        try:
            ONE_CLICK_TRANSITIONS[name](
                release=release, by=request.user, expected_version=self._expected_version(request)
            )
        except ValidationError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
        else:
            self.message_user(request, DONE[name], messages.SUCCESS)
        return self._back_to(release)

    def _transition_opened(self, request, release: Release, name: str):
        """An action's address opened, not sent: back to the release's page, which says how
        to take the action, or why this person may not; only a POST changes anything."""
        option = publishing.action_option(release, request.user, name)
        if option.allowed:
            self.message_user(request, USE_THE_BUTTON[name], messages.INFO)
        else:
            self.message_user(request, option.reason, messages.ERROR)
        return self._back_to(release)

    # List actions.
    def has_approve_permission(self, request):
        return request.user.has_perm(publishing.permission_of("approve"))

    def has_publish_permission(self, request):
        return request.user.has_perm(publishing.permission_of("publish-now"))

    def _run_action(self, request, queryset, function, done) -> list[Release]:
        changed = []
        for release in queryset:
            try:
                function(release=release, by=request.user)
                changed.append(release)
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(getattr(error, "messages", [str(error)]))
                self.message_user(request, f"{release}: {text}", messages.ERROR)
        if changed:
            self.message_user(request, done % {"count": len(changed)})
        return changed

    @admin.action(description=_("Submit for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._run_action(
            request,
            queryset,
            publishing.submit_for_review,
            _("%(count)s release(s) submitted for review."),
        )

    @admin.action(description=_("Approve"), permissions=["approve"])
    def approve(self, request, queryset):
        if confirmation := self._confirm_bulk_warnings(request, queryset, "approve"):
            return confirmation
        self._run_action(request, queryset, publishing.approve, _("%(count)s release(s) approved."))
