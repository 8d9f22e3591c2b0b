"""Taking a public release back: withdrawn (the page stays, with the reason) or unpublished
(published in error: 410 Gone). One view; the two differ only in their form and words."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from releases.workflow import publishing
from releases.workflow.admin.confirm import what_readers_see
from releases.workflow.forms import NoteForm, ReasonForm


@dataclass(frozen=True)
class Ending:
    form: type[forms.Form]
    function: object
    field: str  # the form's field, passed to ``function`` under the same name
    title: str
    submit_label: str
    explanation: str
    done: str


ENDINGS = {
    "withdraw": Ending(
        ReasonForm,
        publishing.withdraw,
        "reason",
        _("Withdraw “%(release)s”"),
        _("Withdraw"),
        _(
            "Its page stays, with a banner and your reason; it leaves the home "
            "page, lists, search and feeds and stays in the archives, marked."
        ),
        _(
            "Withdrawn. Its page stays, with your reason; it is gone from the home page, "
            "lists, search and feeds."
        ),
    ),
    "unpublish": Ending(
        NoteForm,
        publishing.unpublish,
        "note",
        _("Unpublish “%(release)s”"),
        _("Unpublish"),
        _(
            "For a release published in error: it leaves every page and feed, and "
            "readers who follow its address are told it was removed. It cannot be published "
            "again: to publish its words later, restore them as a new draft from its history."
        ),
        _(
            "Unpublished. It is gone from every page and feed; its address now tells "
            "readers it was removed."
        ),
    ),
}


class WithdrawMixin:
    def withdraw_view(self, request, object_id):
        return self._ending_view(request, object_id, "withdraw")

    def unpublish_view(self, request, object_id):
        return self._ending_view(request, object_id, "unpublish")

    def _ending_view(self, request, object_id, name):
        ending = ENDINGS[name]
        release = self._release_or_404(request, object_id)
        self._require_permitted(request, release, name)
        form = ending.form(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                ending.function(
                    release=release,
                    by=request.user,
                    expected_version=self._expected_version(request),
                    **{ending.field: form.cleaned_data[ending.field]},
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, ending.done)
                return self._back_to(release)
        return self._form_page(
            request,
            release,
            form,
            ending.title % {"release": release},
            submit_label=ending.submit_label,
            explanation=ending.explanation,
            **what_readers_see(release, when=_("Leaves the public site"), moment=timezone.now()),
        )
