"""Taking a public release back: withdrawn (the page stays, with the reason) or unpublished
(published in error: 410 Gone). One view; the two differ only in their form and words. A public
language version of it is named, as staying public, and may be taken back with it."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from releases.models.twins import public_twins, twins_still_to_go_public
from releases.workflow import publishing
from releases.workflow.admin.confirm import what_readers_see
from releases.workflow.forms import EndingForm, NoteForm, ReasonForm
from releases.workflow.states import desk_moment


@dataclass(frozen=True)
class Ending:
    form: type[EndingForm]
    function: object
    title: str
    submit_label: str
    explanation: str
    done: str
    also: str  # the box that takes the public language versions back too
    twin_done: str
    when: str  # what the confirmation page says happens at the moment shown


TWIN_STAYS_PUBLIC = _("The %(language)s version stays public:")
TWIN_NAMED = _("the %(language)s version, “%(headline)s”")


TWIN_STILL_TO_GO_PUBLIC = _(
    "The %(language)s version is scheduled to go public on %(when)s, alone, unless you "
    "unschedule it:"
)


def twin_stays_public(twin) -> str:
    """“The French version stays public: <its headline, linked to its change page>”."""
    return _named_twin(TWIN_STAYS_PUBLIC % publishing.twin_params(twin), twin)


def twin_still_to_go_public(twin) -> str:
    """A version waiting for its go-live would go public alone, its language switch leading
    to the page taken back: named, with its change page, where it is unscheduled."""
    params = publishing.twin_params(twin) | {"when": desk_moment(twin.publish_at)}
    return _named_twin(TWIN_STILL_TO_GO_PUBLIC % params, twin)


def _named_twin(said: str, twin) -> str:
    url = reverse("admin:releases_release_change", args=[twin.pk])
    return format_html('{} <a href="{}">{}</a>', said, url, twin.headline)


def offer_twins(form: forms.Form, ending: Ending, twins: list) -> None:
    """The box that ends ``twins`` too, unticked: nothing is taken back unless asked."""
    if twins:
        named = "; ".join(str(TWIN_NAMED % publishing.twin_params(twin)) for twin in twins)
        form.fields["include_twins"] = forms.BooleanField(
            required=False, label=ending.also % {"twins": named}, label_suffix=""
        )
        # The box under the release's own words, above the words of the versions it ends.
        form.order_fields([ending.form.field, "include_twins"])


ENDINGS = {
    "withdraw": Ending(
        ReasonForm,
        publishing.withdraw,
        _("Withdraw “%(release)s”"),
        _("Withdraw"),
        # What readers see is ``ReleaseDetailView`` (its page, with the banner) and
        # ``published()`` without ``include_withdrawn`` everywhere else (lists, archives,
        # search, feeds, sitemaps): say exactly that.
        _(
            "Its page stays at its address, with a banner and your reason. It leaves the home "
            "page, every list (campaign, topic and spokesperson pages too), the archives, "
            "search, feeds and the sitemap."
        ),
        _(
            "Withdrawn. Its page stays at its address, with a banner and your reason; it is "
            "gone from the home page, lists, archives, search, feeds and the sitemap."
        ),
        _("Also withdraw %(twins)s"),
        _(
            "The %(language)s version, “%(headline)s”, is withdrawn too, with its reason in "
            "%(language)s."
        ),
        _("Leaves lists, archives, search and feeds"),
    ),
    "unpublish": Ending(
        NoteForm,
        publishing.unpublish,
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
        _("Also unpublish %(twins)s"),
        _("The %(language)s version, “%(headline)s”, is unpublished too."),
        _("Leaves the public site"),
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
        twins = list(public_twins(release))
        form = ending.form(request.POST or None, release=release, twins=twins)
        offer_twins(form, ending, twins)
        if request.method == "POST" and form.is_valid():
            try:
                ended = publishing.end_with_twins(
                    end=ending.function,
                    release=release,
                    include_twins=form.cleaned_data.get("include_twins", False),
                    by=request.user,
                    expected_version=self._expected_version(request),
                    field=form.field,
                    words=form.words(),
                )
            except ValidationError as error:
                release.refresh_from_db()
                # Its messages: a field's error (a twin's stored words) is no field of this form.
                form.add_error(None, error.messages)
            else:
                self.message_user(request, ending.done)
                for twin in ended[1:]:
                    self.message_user(request, ending.twin_done % publishing.twin_params(twin))
                return self._back_to(release)
        return self._form_page(
            request,
            release,
            form,
            ending.title % {"release": release},
            submit_label=ending.submit_label,
            explanation=ending.explanation,
            warnings=[
                *(twin_stays_public(twin) for twin in twins),
                *(twin_still_to_go_public(twin) for twin in twins_still_to_go_public(release)),
            ],
            **what_readers_see(release, when=ending.when, moment=timezone.now()),
        )
