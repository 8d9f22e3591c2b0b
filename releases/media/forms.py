"""The admin's upload forms for images and documents: each checks its file beside the field,
and nothing is stored while anything on the form is wrong."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from releases.media.documents import ERROR_REQUIRED as DOCUMENT_REQUIRED
from releases.media.documents import validate_document_upload
from releases.media.images import ERROR_REQUIRED as IMAGE_REQUIRED
from releases.media.images import validate_image_upload, validate_sharing_image_upload
from releases.media.uploads import PendingUploadForm
from releases.models import ReleaseDocument

IMAGE_ACCEPT = ".jpg,.jpeg,.png,.webp,image/jpeg,image/png,image/webp"


class ImageUploadForm(PendingUploadForm):
    """The form of every image model: the upload is checked here, so the admin shows the
    problem beside the field and nothing is stored when anything is wrong."""

    upload = forms.FileField(
        label=capfirst(_("image")),
        required=False,
        help_text=_("JPEG, PNG or WebP. Location data and other metadata are removed."),
        widget=forms.FileInput(attrs={"accept": IMAGE_ACCEPT}),
    )

    missing_upload = IMAGE_REQUIRED

    def has_stored_file(self) -> bool:
        return bool(self.instance.files)

    def validate_upload(self, upload):
        return validate_image_upload(upload)


class SharingImageForm(ImageUploadForm):
    """The organisation's sharing image: large enough for a large link preview."""

    upload = forms.FileField(
        label=capfirst(_("image")),
        required=False,
        help_text=_(
            "JPEG, PNG or WebP, at least 1200×630 pixels (the size of a large link preview); "
            "links show it cut to that shape from its centre. Location data and other "
            "metadata are removed."
        ),
        widget=forms.FileInput(attrs={"accept": IMAGE_ACCEPT}),
    )

    def validate_upload(self, upload):
        return validate_sharing_image_upload(upload)


class DocumentUploadForm(PendingUploadForm):
    upload = forms.FileField(
        label=capfirst(_("file")),
        required=False,
        help_text=_("PDF, or Word (.docx)."),
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx,application/pdf"}),
    )

    class Meta:
        model = ReleaseDocument
        fields = ["title", "position"]

    missing_upload = DOCUMENT_REQUIRED

    def has_stored_file(self) -> bool:
        return bool(self.instance.file)

    def validate_upload(self, upload):
        return validate_document_upload(upload)
