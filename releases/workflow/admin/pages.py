"""What the release admin's workflow pages share: finding the release, asking the workflow
whether the person may take an action (and the release's state, before showing its page),
the form page, and the lone-language warnings."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from releases.models import Release, Status
from releases.text.languages import language_in_sentence
from releases.workflow import publishing
from releases.workflow.rules import NEVER_AGAIN
from releases.workflow.states import state_label


@dataclass(frozen=True)
class LoneLanguage:
    """What a warning says of a language version that will not be public with this one, by
    that version's state: one still on its way (draft, in review, approved, or scheduled for
    another minute) may yet join it; a withdrawn or unpublished one can never be published
    again, so no advice to publish both together."""

    waiting: str  # with its state: “Draft”, “Scheduled for …”
    withdrawn: str
    unpublished: str

    def said_of(self, twin: Release) -> str:
        params = {"language": language_in_sentence(twin.language)}
        if twin.status in NEVER_AGAIN:
            final = self.withdrawn if twin.status == Status.WITHDRAWN else self.unpublished
            return final % params
        return self.waiting % (params | {"state": publication_state(twin)})


# Before “Publish now” (its page, and the change form offering it).
TWIN_NOT_PUBLISHED_BEFORE = LoneLanguage(
    _(
        "The %(language)s version is not published yet (%(state)s): “Publish now” makes only "
        "this version public. To have both go out together, schedule them for the same minute."
    ),
    _(
        "The %(language)s version has been withdrawn and cannot be published again: this "
        "version will be published alone."
    ),
    _(
        "The %(language)s version was unpublished as published in error and cannot be "
        "published again: this version will be published alone."
    ),
)
# Once published.
TWIN_NOT_PUBLISHED_AFTER = LoneLanguage(
    _("The %(language)s version is not published yet (%(state)s): only this version is public."),
    _(
        "The %(language)s version has been withdrawn and cannot be published again: only "
        "this version is public."
    ),
    _(
        "The %(language)s version was unpublished as published in error and cannot be "
        "published again: only this version is public."
    ),
)
# Once scheduled.
TWIN_NOT_SCHEDULED_AFTER = LoneLanguage(
    _(
        "The %(language)s version is not scheduled for the same minute (%(state)s): this "
        "version will go out alone."
    ),
    _(
        "The %(language)s version has been withdrawn and cannot be published again: this "
        "version will go out alone."
    ),
    _(
        "The %(language)s version was unpublished as published in error and cannot be "
        "published again: this version will go out alone."
    ),
)


def publication_state(release: Release) -> str:
    """“Scheduled for Sun May 9, 2021 06:00 EDT”, “Published …”, or the plain status."""
    return state_label(release, with_time=True)


def lone_language_warnings(twins: list[Release], message: LoneLanguage) -> list[str]:
    return [message.said_of(twin) for twin in twins]


class NotNow(Exception):
    """An action's page asked for while the release's state refuses the action: the change
    form says why instead (``WorkflowPagesMixin.workflow_page``)."""

    def __init__(self, release: Release, reason: str):
        super().__init__(reason)
        self.release, self.reason = release, reason


class WorkflowPagesMixin:
    """Helpers of the release admin's own pages (a ``ModelAdmin`` mixin)."""

    def workflow_page(self, function):
        """``function`` as an admin view whose page, opened for an action the release's state
        refuses (a bookmarked “Publish now” of a withdrawn release), leads back to the change
        form with the reason rather than offering a form that can only be refused."""

        def page(request, *args, **kwargs):
            try:
                return function(request, *args, **kwargs)
            except NotNow as refusal:
                self.message_user(request, refusal.reason, messages.ERROR)
                return self._back_to(refusal.release)

        return self.admin_site.admin_view(page)

    def _release_or_404(self, request, object_id) -> Release:
        release = self.get_object(request, object_id)
        if release is None or not self.has_view_permission(request, release):
            raise Http404
        return release

    def _require_permitted(
        self, request, release: Release, name: str, *, shown_when_refused: bool = False
    ) -> None:
        """The page of action ``name`` opens for whoever holds what it takes, and only while
        the release's state allows it (else ``NotNow``: the change form says why), unless
        ``shown_when_refused``; the workflow checks the state again when the form is sent."""
        option = publishing.action_option(release, request.user, name)
        if not option.permitted:
            raise PermissionDenied
        if not option.allowed and request.method == "GET" and not shown_when_refused:
            raise NotNow(release, option.reason)

    def _back_to(self, release):
        return HttpResponseRedirect(reverse("admin:releases_release_change", args=[release.pk]))

    def _expected_version(self, request) -> int | None:
        try:
            return int(request.POST.get("version_seen", ""))
        except ValueError:
            return None

    def _warn_lone_language(self, request, release, message, *, prefix=""):
        """Publishing one language without the other is allowed, but never silent."""
        for warning in lone_language_warnings(publishing.twins_left_behind(release), message):
            self.message_user(request, f"{prefix}{warning}", messages.WARNING)

    def _form_page(self, request, release, form, title, **context):
        return TemplateResponse(
            request,
            "admin/releases/release/workflow_form.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": release,
                "title": title,
                "form": form,
                "state": publication_state(release),
                **context,
            },
        )
