"""The abstract model of every stored image (release images, campaign visuals, headshots):
its alt text, caption and credit, and the files the pipeline made from it on upload."""

import uuid
from pathlib import PurePosixPath
from typing import ClassVar

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from releases.media.images import (
    ALLOWED_FORMATS,
    MIME_TYPES,
    SocialImage,
    ValidatedImage,
    delete_stored_files,
    encode_all,
)


class ImageFileQuerySet(models.QuerySet):
    def public(self):
        """Images anyone may fetch; subclasses narrow it to what is public."""
        return self


class StoredImage(models.Model):
    """An image with its alt text, caption and credit, and the files made from it on upload.

    ``files`` lists every stored file: ``{"name", "role", "format", "width", "height",
    "bytes"}``; ``name`` is the storage name, ``images/<key>/<role>-<width>.<hash>.<ext>``.
    """

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    alt_text = models.CharField(
        _("alt text"),
        max_length=300,
        help_text=_(
            "What the image shows, for people who cannot see it, e.g. “Three officers talking "
            "with students in a school gym”. Required."
        ),
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(
        _("credit"), max_length=200, blank=True, help_text=_("Photographer or source.")
    )
    licence = models.CharField(
        _("licence"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “Free for editorial use with credit” or “CC BY 4.0”."),
    )
    width = models.PositiveIntegerField(_("width"), default=0, editable=False)
    height = models.PositiveIntegerField(_("height"), default=0, editable=False)
    format = models.CharField(_("format"), max_length=10, blank=True, editable=False)
    files = models.JSONField(_("stored files"), default=list, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = ImageFileQuerySet.as_manager()

    #: The URL name of the view that serves this model's files.
    file_view_name: ClassVar[str] = ""

    class Meta:
        abstract = True

    def __str__(self):
        return self.alt_text

    def save(self, *args, **kwargs):
        """Write the files of a new upload (``pending_upload``) before the row, and remove them
        again if the row cannot be saved; the replaced files go once the change is committed."""
        pending: ValidatedImage | None = getattr(self, "pending_upload", None)
        if pending is None:
            return super().save(*args, **kwargs)
        replaced = self.stored_names()
        written = self._write_files(pending)
        try:
            super().save(*args, **kwargs)
        except Exception:
            delete_stored_files(written)
            raise
        self.pending_upload = None
        transaction.on_commit(lambda: delete_stored_files(replaced))

    def _write_files(self, validated: ValidatedImage) -> list[str]:
        written = []
        records = []
        try:
            for encoded in encode_all(validated):
                suffix = "" if encoded.role == "original" else f"-{encoded.width}"
                name = default_storage.save(
                    f"images/{self.key}/{encoded.role}{suffix}.{encoded.fingerprint}"
                    f".{encoded.extension}",
                    ContentFile(encoded.data),
                )
                written.append(name)
                records.append(
                    {
                        "name": name,
                        "role": encoded.role,
                        "format": encoded.format,
                        "width": encoded.width,
                        "height": encoded.height,
                        "bytes": len(encoded.data),
                    }
                )
        except Exception:
            delete_stored_files(written)
            raise
        self.files = records
        self.width, self.height = validated.image.size
        self.format = validated.format
        return written

    def stored_names(self) -> list[str]:
        return [record["name"] for record in self.files]

    def file_record(self, basename: str) -> dict | None:
        """The stored file a URL asks for, by the last part of its name."""
        return next(
            (r for r in self.files if PurePosixPath(r["name"]).name == basename),
            None,
        )

    def url_for(self, record: dict) -> str:
        return reverse(
            self.file_view_name,
            kwargs={"key": self.key, "name": PurePosixPath(record["name"]).name},
        )

    def _records(self, role: str, image_format: str | None = None) -> list[dict]:
        return sorted(
            (
                r
                for r in self.files
                if r["role"] == role and (image_format is None or r["format"] == image_format)
            ),
            key=lambda r: r["width"],
        )

    @property
    def original(self) -> dict | None:
        return next(iter(self._records("original")), None)

    @property
    def original_url(self) -> str:
        return self.url_for(self.original) if self.original else ""

    def srcset(self, image_format: str) -> str:
        return ", ".join(
            f"{self.url_for(r)} {r['width']}w" for r in self._records("rendition", image_format)
        )

    @property
    def webp_srcset(self) -> str:
        return self.srcset("WEBP")

    @property
    def fallback_srcset(self) -> str:
        return self.srcset(self.format)

    @property
    def fallback(self) -> dict | None:
        """The mid-sized rendition in the original format: the ``src`` of the ``<img>``."""
        records = self._records("rendition", self.format)
        if not records:
            return None
        return next((r for r in records if r["width"] >= 800), records[-1])

    @property
    def largest_rendition(self) -> dict | None:
        """The widest rendition in the original format: what a feed offers as its enclosure."""
        records = self._records("rendition", self.format)
        return records[-1] if records else None

    @property
    def src(self) -> str:
        return self.url_for(self.fallback) if self.fallback else ""

    @property
    def mime_type(self) -> str:
        return MIME_TYPES.get(self.format, "application/octet-stream")

    @property
    def thumbnail_url(self) -> str:
        records = self._records("rendition", "WEBP")
        return self.url_for(records[0]) if records else ""

    @property
    def social_image(self) -> SocialImage | None:
        record = next(iter(self._records("social")), None)
        if record is None:
            return None
        url = self.url_for(record)
        return SocialImage(
            url=url,
            absolute_url=settings.SITE_URL.rstrip("/") + url,
            width=record["width"],
            height=record["height"],
            alt=self.alt_text,
        )

    @property
    def download_extension(self) -> str:
        return ALLOWED_FORMATS.get(self.format, ("bin",))[0]
