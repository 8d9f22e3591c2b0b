"""The checklist in the admin: shown on the change form beside the workflow's buttons, and its
warnings confirmed before approve, schedule and publish now. Errors are refused by
``releases.workflow.publishing`` itself, whoever calls it."""

from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from releases.models import Release, Status
from releases.workflow import checklist, publishing
from releases.workflow.forms import ConfirmWarningsForm

# The actions whose warnings are confirmed first (schedule has its own page, with the tick).
CONFIRMED_ACTIONS = ("approve", "publish-now")
WARNINGS_TO_CONFIRM = _(
    "Before you go ahead, read what the checklist found. Each point links to its field; fix "
    "what you can there, or confirm below."
)


def checks_apply(release: Release) -> bool:
    """The checklist is for releases not yet public: drafts, in review, approved, scheduled."""
    return not release.is_on_record and release.status != Status.UNPUBLISHED


def linked(items: list[checklist.Item], release: Release) -> list[dict]:
    """The items, each with the address of its field on the release's change page."""
    change_url = reverse("admin:releases_release_change", args=[release.pk])
    return [{"item": item, "url": change_url + item.anchor} for item in items]


class ChecklistMixin:
    def checklist_context(self, release: Release) -> dict:
        """The change form's checklist box, from the release as saved."""
        if not checks_apply(release):
            return {"checklist": None}
        return {"checklist": linked(checklist.checklist(release), release)}

    def _warnings_to_confirm(self, request, release: Release, name: str) -> list:
        """The warnings of ``release`` still to confirm before action ``name`` (none once the
        form says so, or when an error will refuse the action anyway)."""
        if name not in CONFIRMED_ACTIONS or ConfirmWarningsForm(request.POST).is_valid():
            return []
        if not publishing.action_option(release, request.user, name).allowed:
            return []  # the workflow refuses it, with its reason
        items = checklist.checklist(release)
        if any(item.is_error for item in items):
            return []
        return items

    def _confirm_warnings_page(self, request, release: Release, name: str, warnings):
        """The warnings, each linked to its field, and the tick that lets the action go on;
        sent again unticked, it says the tick is missing."""
        label = publishing.RULES[name].label
        confirming = ConfirmWarningsForm.CONFIRMING in request.POST
        return self._form_page(
            request,
            release,
            ConfirmWarningsForm(request.POST if confirming else None),
            _("%(action)s “%(release)s”?") % {"action": label, "release": release},
            submit_label=label,
            explanation=WARNINGS_TO_CONFIRM,
            checklist_items=linked(warnings, release),
            # The version the person saw: the action is refused if it changed since.
            version_seen=self._expected_version(request),
        )

    def _confirm_bulk_warnings(self, request, queryset, name: str) -> TemplateResponse | None:
        """For a list action: the page that confirms the warnings of the selected releases,
        or None when none has any (or they were confirmed)."""
        pending = [
            (release, linked(warnings, release))
            for release in queryset
            if (warnings := self._warnings_to_confirm(request, release, name))
        ]
        if not pending:
            return None
        label = publishing.RULES[name].label
        confirming = ConfirmWarningsForm.CONFIRMING in request.POST
        return TemplateResponse(
            request,
            "admin/releases/release/confirm_action.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("%(action)s %(count)s release(s)?")
                % {"action": label, "count": len(queryset)},
                "explanation": WARNINGS_TO_CONFIRM,
                "pending": pending,
                "selected": [release.pk for release in queryset],
                "action": request.POST.get("action", ""),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "form": ConfirmWarningsForm(request.POST if confirming else None),
                "submit_label": label,
            },
        )
