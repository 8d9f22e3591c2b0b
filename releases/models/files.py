"""Images and documents attached to releases."""

import hashlib
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from releases.models.release import Release
from releases.models.stored_image import StoredImage


class ReleaseFileQuerySet(models.QuerySet):
    def public(self):
        """The files of releases on the public record: the visibility rule, through the one
        door (a withdrawn release keeps its page, so it keeps its files)."""
        return self.filter(release__in=Release.objects.published(include_withdrawn=True))


class ReleaseImage(StoredImage):
    """An image of a release: the first is the lead image, the others form the gallery."""

    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="images", verbose_name=_("release")
    )
    position = models.PositiveSmallIntegerField(
        _("order"),
        default=0,
        help_text=_("The first image is the lead image; the others form the gallery."),
    )

    objects = ReleaseFileQuerySet.as_manager()
    file_view_name = "files:release-image"

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("image")
        verbose_name_plural = _("images")


class DocumentKind(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (DOCX)"


class ReleaseDocument(models.Model):
    """A PDF (or Word) attachment, stored under a generated name and served by
    ``releases.media.files`` only while its release is public."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="documents", verbose_name=_("release")
    )
    title = models.CharField(
        _("title"), max_length=200, help_text=_("As readers see it, e.g. “Fact sheet”.")
    )
    file = models.FileField(_("file"), max_length=255, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=DocumentKind.choices, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0, editable=False)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = ReleaseFileQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Store a new upload (``pending_upload``: kind and bytes) under a generated name before
        the row; remove it again if the row cannot be saved."""
        pending = getattr(self, "pending_upload", None)
        if pending is None:
            return super().save(*args, **kwargs)
        kind, data = pending
        replaced = self.file.name
        fingerprint = hashlib.sha256(data).hexdigest()[:16]
        name = default_storage.save(f"documents/{self.key}/{fingerprint}.{kind}", ContentFile(data))
        self.file.name, self.kind, self.size = name, kind, len(data)
        try:
            super().save(*args, **kwargs)
        except Exception:
            default_storage.delete(name)
            raise
        self.pending_upload = None
        if replaced and replaced != name:
            transaction.on_commit(lambda: default_storage.delete(replaced))

    def get_absolute_url(self) -> str:
        return reverse("files:document", kwargs={"key": self.key, "name": self.download_name})

    @property
    def download_name(self) -> str:
        return f"{slugify(self.title) or 'document'}.{self.kind}"
