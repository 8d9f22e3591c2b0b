"""The preview links page: create a signed link for a reviewer, list and revoke them."""

from django import forms
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from releases.models import PreviewLink
from releases.text.numbers import whole_number
from releases.workflow import publishing, reviews

NEW_LINK = _(
    "New preview link, valid seven days; send it to your reviewer, who can approve or ask for "
    "changes on the page:"
)


class ReviewerForm(forms.Form):
    reviewer = forms.CharField(
        label=_("Reviewer"),
        max_length=200,
        required=False,
        help_text=PreviewLink._meta.get_field("reviewer").help_text,
    )


class PreviewLinksMixin:
    def preview_links_view(self, request, object_id):
        release = self._release_or_404(request, object_id)
        # Once public, no new link; the page still lists the links and their verdicts.
        self._require_permitted(request, release, "preview-links", shown_when_refused=True)
        form = ReviewerForm(request.POST if request.method == "POST" else None)
        if request.method == "POST":
            revoke = request.POST.get("revoke")
            if revoke:
                if whole_number(revoke) is None:
                    raise Http404("No such preview link")
                link = get_object_or_404(PreviewLink, pk=revoke, release=release)
                publishing.revoke_preview_link(link=link, by=request.user)
                self.message_user(request, _("The preview link is revoked."))
                return HttpResponseRedirect(request.path)
            if form.is_valid():
                _link, token = publishing.create_preview_link(
                    release=release, by=request.user, reviewer=form.cleaned_data["reviewer"]
                )
                url = request.build_absolute_uri(reverse("releases:preview-link", args=[token]))
                link_html = format_html('{} <a href="{}">{}</a>', NEW_LINK, url, url)
                self.message_user(request, link_html)
                return HttpResponseRedirect(request.path)
        links = list(release.preview_links.prefetch_related("verdicts"))
        return self._form_page(
            request,
            release,
            form,
            _("Preview links of “%(release)s”") % {"release": release},
            submit_label=_("Create a preview link"),
            explanation=_(
                "A preview link lets someone without an account read the release "
                "before it is public. It works for seven days, until you revoke it, "
                "or until the release is public (it then leads to the public page)."
            ),
            preview_links=links,
            outdated_verdicts=reviews.outdated_among(
                [verdict for link in links for verdict in link.verdicts.all()], release
            ),
        )
