"""History: a revision is restored as a new draft, never reverted in place."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from releases.workflow import publishing, reviews
from releases.workflow.forms import describe_time

EVENTS_SHOWN = 200


class HistoryMixin:
    # The revisions, then the workflow's record: who did what and when, outside reviewers'
    # verdicts included.
    object_history_template = "admin/releases/release/object_history.html"
    object_history_list_template = "admin/releases/release/object_history_list.html"

    def history_view(self, request, object_id, extra_context=None):
        release = self.get_object(request, unquote(object_id))
        events = (
            list(release.events.select_related("actor", "preview_link")[:EVENTS_SHOWN])
            if release is not None
            else []
        )
        context = {
            "events": events,
            # Outside reviewers' verdicts on words the release no longer has.
            "outdated_verdicts": reviews.outdated_among(events, release),
        }
        return super().history_view(
            request, object_id, extra_context={**(extra_context or {}), **context}
        )

    def history_view_title(self, request, obj):
        """simple-history titles a history that is not reverted in place “View history”,
        « Historique de vue » in its French."""
        return _("History: %(release)s") % {"release": obj}

    def revert_disabled(self, request, obj=None):
        """Reverting in place would bypass the workflow; a revision is restored as a draft."""
        return True

    def restore_view(self, request, object_id, history_id):
        release = self._release_or_404(request, object_id)
        self._require_permitted(request, release, "restore")
        revision = release.history.filter(history_id=history_id).first()
        if revision is None:
            raise Http404
        if request.method == "POST":
            draft = publishing.restore_revision(
                release=release, history_id=history_id, by=request.user
            )
            self.message_user(request, _("Revision restored as a new draft."))
            return self._back_to(draft)
        return self._form_page(
            request,
            release,
            None,
            _("Restore a revision of “%(release)s”") % {"release": release},
            submit_label=_("Restore as a new draft"),
            explanation=_(
                "A new draft is made from the revision of %(when)s, with its quotes; "
                "the release itself is not changed."
            )
            % {"when": describe_time(revision.history_date)},
        )

    @admin.display(description=_("restore"))
    def restore(self, revision):
        url = reverse(
            "admin:releases_release_restore", args=[revision.instance.pk, revision.history_id]
        )
        return format_html('<a href="{}">{}</a>', url, _("Restore as a new draft"))
