"""Previews before publication: staff's, and an outside reviewer's through a signed link, with
the reviewer's Approve / Ask for changes form. Never indexed, never cached."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views import View

from releases.models import Release
from releases.public.views import fetch_page_relations, with_page_relations
from releases.workflow import previews, reviews


class PreviewMixin:
    """A release exactly as the public will see it, with a banner."""

    def render_preview(self, release: Release, **context):
        if release.is_on_record:
            response = HttpResponseRedirect(release.get_absolute_url())
        elif release.language != translation.get_language():
            # The page around the release speaks its language, as its public page will: the
            # French preview of an English release mixed French labels with English text.
            with translation.override(release.language):
                address = reverse(self.request.resolver_match.view_name, kwargs=self.kwargs)
            response = HttpResponseRedirect(address)
        else:
            response = TemplateResponse(
                self.request,
                "releases/release_detail.html",
                {"release": release, "preview": True, **context},
            )
        response["X-Robots-Tag"] = "noindex, nofollow"
        patch_cache_control(response, private=True, no_store=True)
        return response


class StaffPreviewView(PreviewMixin, View):
    """Whoever may preview the release (``previews.may_preview``: staff who may see releases,
    or a reviewer with a working link to it) sees it here; anyone else gets the 404 page."""

    def get(self, request, pk):
        if not previews.may_preview(request, pk):
            raise Http404("No such release")
        release = get_object_or_404(with_page_relations(Release.objects), pk=pk)
        return self.render_preview(fetch_page_relations(release))


class SignedPreviewView(PreviewMixin, View):
    """A reviewer's preview through a signed link, with their verdict form; expired, tampered
    or revoked links: 404."""

    def link(self, token):
        link = previews.link_from_token(token)
        if link is None:
            raise Http404("No such preview")
        return link

    def get(self, request, token, *, errors=(), comment=""):
        link = self.link(token)
        release = with_page_relations(Release.objects).get(pk=link.release_id)
        # The release's images and documents come through the file views, which let this
        # visitor in for as long as the link works (previews.may_preview).
        previews.remember_link(request, link)
        verdicts = list(link.verdicts.order_by("-at", "-pk"))
        # Of the words the page shows: its prefetched relations.
        words_read = reviews.words_fingerprint(fetch_page_relations(release))
        return self.render_preview(
            release,
            review={
                "link": link,
                "verdicts": verdicts,
                "outdated": reviews.outdated(verdicts, words_read),
                "words_read": words_read,
                "errors": errors,
                "comment": comment,
            },
        )

    def post(self, request, token):
        link = self.link(token)
        verdict = request.POST.get("verdict", "")
        comment = request.POST.get("comment", "")
        try:
            reviews.record_verdict(
                link=link,
                verdict=verdict,
                comment=comment,
                words_read=request.POST.get("words_read", ""),
            )
        except ValidationError as error:
            return self.get(request, token, errors=error.messages, comment=comment)
        return HttpResponseRedirect(request.path + "#review")
