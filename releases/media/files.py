"""The only door to stored files. Each view finds its file through the model's ``public()``
(the visibility rule, through ``Release.objects.published()``) and answers 404 otherwise, so a
file of a release that is not public cannot be fetched, whatever URL is guessed. Staff who may
view the release also get it (admin thumbnails, previews), marked private and never cached.
"""

import hashlib
import logging
import tempfile
from datetime import timedelta
from pathlib import PurePosixPath

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponsePermanentRedirect
from django.utils import timezone
from django.utils.cache import get_conditional_response, quote_etag
from django.views import View

from releases.media.documents import (
    credits_text,
    press_kit_members,
    press_kit_name,
    write_press_kit,
)
from releases.media.images import MIME_TYPES
from releases.models import (
    CampaignVisual,
    DocumentKind,
    Release,
    ReleaseDocument,
    ReleaseImage,
    SharingImage,
    SpokespersonHeadshot,
)
from releases.workflow import previews

#: Renditions are fingerprinted (their name holds a hash of their bytes): cache them for good.
CACHE_FINGERPRINTED = "public, max-age=31536000, immutable"
#: Documents and press kits keep their URL when replaced: browsers check back after 5 minutes.
CACHE_REVALIDATE = "public, max-age=300"
CACHE_PRIVATE = "private, no-store"
#: A release is most often withdrawn or unpublished in error in its first days: until it is
#: this old, its images are cached like documents (5 minutes), so that taking it down takes
#: them down everywhere, CDNs included, within minutes; after that, for good.
FRESH_RELEASE = timedelta(days=7)
DOCUMENT_TYPES = {
    DocumentKind.PDF: "application/pdf",
    DocumentKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def find_visible(request, *, public, everything, permission: str, **lookup):
    """The object and whether it is public; staff with ``permission`` also see the rest, and
    so does a reviewer whose preview link (opened in this session) is for its release."""
    found = public.filter(**lookup).first()
    if found is not None:
        return found, True
    if request.user.is_authenticated and request.user.has_perm(permission):
        found = everything.filter(**lookup).first()
        if found is not None:
            return found, False
    allowed = previews.previewable_releases(request)
    if allowed is None or allowed:
        found = everything.filter(**lookup).first()
        if found is not None and previews.may_preview(request, _release_id(found), allowed=allowed):
            return found, False
    raise Http404("No such file")


def _release_id(found) -> int | None:
    return found.pk if isinstance(found, Release) else getattr(found, "release_id", None)


def _serve(request, *, storage_name, content_type, etag, public, cache_control, **file_options):
    etag = quote_etag(etag)
    if public:
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            not_modified["Cache-Control"] = cache_control
            return not_modified
    try:
        stored = default_storage.open(storage_name, "rb")
    except FileNotFoundError as missing:
        # A row whose file is gone (a restore without the media): 404, and say so in the log.
        logging.getLogger("newsroom.media").error(
            "stored file missing", extra={"file": storage_name}
        )
        raise Http404("No such file") from missing
    response = FileResponse(stored, content_type=content_type, **file_options)
    response["ETag"] = etag
    _mark(response, public, cache_control)
    return response


def _mark(response, public, cache_control):
    response["Cache-Control"] = cache_control if public else CACHE_PRIVATE
    if not public:
        response["X-Robots-Tag"] = "noindex, nofollow"


class StoredImageView(View):
    model = None
    permission = ""

    def public_images(self):
        return self.model.objects.public()

    def cache_control(self, image) -> str:
        return CACHE_FINGERPRINTED

    def get(self, request, key, name):
        image, public = find_visible(
            request,
            public=self.public_images(),
            everything=self.model.objects.all(),
            permission=self.permission,
            key=key,
        )
        record = image.file_record(name)
        if record is None:
            raise Http404("No such rendition")
        return _serve(
            request,
            storage_name=record["name"],
            content_type=MIME_TYPES[record["format"]],
            etag=PurePosixPath(record["name"]).name,
            public=public,
            cache_control=self.cache_control(image) if public else CACHE_PRIVATE,
        )


class ReleaseImageView(StoredImageView):
    model = ReleaseImage
    permission = "releases.view_release"

    def public_images(self):
        return super().public_images().select_related("release")

    def cache_control(self, image) -> str:
        """Never ``immutable`` while the release is fresh (``FRESH_RELEASE``)."""
        if image.release.publish_at > timezone.now() - FRESH_RELEASE:
            return CACHE_REVALIDATE
        return CACHE_FINGERPRINTED


class CampaignVisualView(StoredImageView):
    model = CampaignVisual
    permission = "releases.view_campaign"


class HeadshotView(StoredImageView):
    model = SpokespersonHeadshot
    permission = "releases.view_spokesperson"


class SharingImageView(StoredImageView):
    """The organisation's sharing image: public as soon as it is uploaded."""

    model = SharingImage
    permission = "releases.view_organisation"


class DocumentView(View):
    def get(self, request, key, name):
        document, public = find_visible(
            request,
            public=ReleaseDocument.objects.public(),
            everything=ReleaseDocument.objects.all(),
            permission="releases.view_release",
            key=key,
        )
        if name != document.download_name:
            # One address per document: an old name (its title changed) or any other leads
            # to the current one rather than serving the file under every name.
            # Kept as briefly as the file: a title may change back, and a preview's is private.
            moved = HttpResponsePermanentRedirect(document.get_absolute_url())
            _mark(moved, public, CACHE_REVALIDATE)
            return moved
        return _serve(
            request,
            storage_name=document.file.name,
            content_type=DOCUMENT_TYPES[document.kind],
            etag=PurePosixPath(document.file.name).name,
            public=public,
            cache_control=CACHE_REVALIDATE,
            as_attachment=document.kind != DocumentKind.PDF,
            filename=document.download_name,
        )


class PressKitView(View):
    """A zip of the release's images (stored originals) and documents, built per request into
    an anonymous temporary file; conditional requests are answered without building it."""

    def get(self, request, pk):
        files = ("images", "documents")
        release, public = find_visible(
            request,
            public=Release.objects.published(include_withdrawn=True).prefetch_related(*files),
            everything=Release.objects.prefetch_related(*files),
            permission="releases.view_release",
            pk=pk,
        )
        members = press_kit_members(release)
        if not members:
            raise Http404("This release has no files")
        etag = quote_etag(
            hashlib.sha256(repr((members, credits_text(release))).encode()).hexdigest()[:32]
        )
        if public:
            not_modified = get_conditional_response(request, etag=etag)
            if not_modified is not None:
                not_modified["Cache-Control"] = CACHE_REVALIDATE
                return not_modified
        archive = tempfile.TemporaryFile()
        write_press_kit(release, archive)
        archive.seek(0)
        response = FileResponse(
            archive,
            as_attachment=True,
            filename=f"{press_kit_name(release)}.zip",
            content_type="application/zip",
        )
        response["ETag"] = etag
        _mark(response, public, CACHE_REVALIDATE)
        return response
