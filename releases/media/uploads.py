"""What every upload form shares: the size limit and extension check, and a stored file that
is written only when the whole form is valid."""

from pathlib import PurePosixPath

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat


def checked_extension(upload, limit: int, too_large_message) -> str:
    """The upload's file name extension, lower case, once its size is within ``limit``."""
    if upload.size > limit:
        raise ValidationError(
            too_large_message,
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    return PurePosixPath(upload.name or "").suffix.lower().lstrip(".")


class PendingUploadForm(forms.ModelForm):
    """A model form with an ``upload`` field that is checked in ``validate_upload()`` and handed
    to the instance as ``pending_upload``, which stores it under a generated name when saved.
    The upload is required until the instance has a stored file."""

    missing_upload: str

    def has_stored_file(self) -> bool:
        raise NotImplementedError

    def validate_upload(self, upload):
        raise NotImplementedError

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            if not self.has_stored_file():
                raise ValidationError(self.missing_upload, code="required")
            return None
        return self.validate_upload(upload)

    def save(self, commit=True):
        validated = self.cleaned_data.get("upload")
        if validated is not None:
            self.instance.pending_upload = validated
        return super().save(commit=commit)
