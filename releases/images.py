"""Every image the newsroom stores passes through this module.

An upload is checked by its content (Pillow, opened with an allow-list of formats), refused
when it is too big or a decompression bomb, then decoded once, turned upright (EXIF
orientation) and re-encoded without any metadata: the stored original, the responsive
renditions (WebP and the original format) and the 1200×630 social card are all new files,
written once on upload under generated names. Nothing of the uploaded file (its name, its
EXIF/GPS block, bytes appended after the image) reaches storage.
"""

import hashlib
import io
import uuid
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import ClassVar

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

# Pillow format → file name extensions accepted for it; the first is the one we store.
ALLOWED_FORMATS = {"JPEG": ("jpg", "jpeg"), "PNG": ("png",), "WEBP": ("webp",)}
MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
RENDITION_WIDTHS = (400, 800, 1600)
SOCIAL_CARD_SIZE = (1200, 630)
JPEG_QUALITY = 82
ORIGINAL_JPEG_QUALITY = 92
WEBP_QUALITY = 80

ERROR_TOO_LARGE = _("This file is %(size)s; images may be at most %(limit)s.")
ERROR_EXTENSION = _("Upload a JPEG, PNG or WebP image (a name ending in .jpg, .png or .webp).")
ERROR_NOT_AN_IMAGE = _(
    "This file is not a JPEG, PNG or WebP image (SVG and other formats are not accepted)."
)
ERROR_DAMAGED = _("This image is damaged or incomplete; export it again and upload the new file.")
ERROR_BOMB = _(
    "This image is %(width)s×%(height)s pixels; images may have at most %(limit)s megapixels."
)
ERROR_WRONG_EXTENSION = _(
    "This file is a %(format)s image but its name ends in .%(extension)s; "
    "rename it to end in .%(expected)s."
)
ERROR_REQUIRED = _("Choose an image to upload.")


@dataclass(frozen=True)
class ValidatedImage:
    """An upload that passed every check: decoded, upright, in RGB(A), with no metadata."""

    image: Image.Image
    format: str


@dataclass(frozen=True)
class SocialImage:
    """What ``og:image`` needs (issue 4 renders the tags)."""

    url: str
    absolute_url: str
    width: int
    height: int
    alt: str
    type: str = "image/jpeg"


def validate_image_upload(upload) -> ValidatedImage:
    """Check an uploaded file and decode it, or raise a ``ValidationError`` naming the problem."""
    limit = settings.NEWSROOM_IMAGE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            ERROR_TOO_LARGE,
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    extension = PurePosixPath(upload.name or "").suffix.lower().lstrip(".")
    if extension not in {ext for exts in ALLOWED_FORMATS.values() for ext in exts}:
        raise ValidationError(ERROR_EXTENSION, code="extension")
    upload.seek(0)
    max_pixels = settings.NEWSROOM_IMAGE_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=list(ALLOWED_FORMATS)) as opened:
                # Only the header is read so far: refuse a bomb before decoding a pixel.
                if opened.width * opened.height > max_pixels:
                    raise _bomb_error(opened.width, opened.height)
                image_format = opened.format
                opened.load()
                image = _upright_without_metadata(opened)
    except UnidentifiedImageError as error:
        raise ValidationError(ERROR_NOT_AN_IMAGE, code="not_an_image") from error
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            _("This image has too many pixels to be processed safely."), code="bomb"
        ) from error
    except ValidationError:
        raise
    except Exception as error:
        # Decoders fail in many ways on hostile bytes; any failure means a damaged file.
        raise ValidationError(ERROR_DAMAGED, code="damaged") from error
    if extension not in ALLOWED_FORMATS[image_format]:
        raise ValidationError(
            ERROR_WRONG_EXTENSION,
            code="wrong_extension",
            params={
                "format": image_format,
                "extension": extension,
                "expected": ALLOWED_FORMATS[image_format][0],
            },
        )
    return ValidatedImage(image=image, format=image_format)


def _bomb_error(width: int, height: int) -> ValidationError:
    return ValidationError(
        ERROR_BOMB,
        code="bomb",
        params={
            "width": width,
            "height": height,
            "limit": settings.NEWSROOM_IMAGE_MAX_PIXELS // 1_000_000,
        },
    )


_SRGB = ImageCms.createProfile("sRGB")


def _upright_without_metadata(image: Image.Image) -> Image.Image:
    """A new image: EXIF orientation applied, colours in sRGB, no EXIF/XMP/ICC/text chunks."""
    upright = ImageOps.exif_transpose(image)
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info
    )
    mode = "RGBA" if has_alpha else "RGB"
    icc_profile = upright.info.get("icc_profile")
    converted = None
    if icc_profile and upright.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            converted = ImageCms.profileToProfile(
                upright.convert(mode) if upright.mode == "L" else upright,
                source,
                _SRGB,
                outputMode=mode,
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            converted = None
    clean = converted if converted is not None else upright.convert(mode)
    # A fresh image from the pixels alone: nothing of the upload's info dictionary survives.
    stripped = Image.new(clean.mode, clean.size)
    stripped.paste(clean)
    return stripped


@dataclass(frozen=True)
class EncodedFile:
    role: str  # "original", "rendition" or "social"
    format: str  # Pillow format name
    width: int
    height: int
    data: bytes

    @property
    def extension(self) -> str:
        return ALLOWED_FORMATS[self.format][0]

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.data).hexdigest()[:16]


def _encode(image: Image.Image, image_format: str, *, quality: int = JPEG_QUALITY) -> bytes:
    buffer = io.BytesIO()
    if image_format == "JPEG":
        if image.mode != "RGB":
            image = _on_white(image)
        image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    elif image_format == "WEBP":
        image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
    else:
        image.save(buffer, "PNG", compress_level=6)
    return buffer.getvalue()


def _on_white(image: Image.Image) -> Image.Image:
    background = Image.new("RGB", image.size, "white")
    background.paste(image, mask=image.getchannel("A") if "A" in image.getbands() else None)
    return background


def rendition_widths(original_width: int) -> list[int]:
    """The responsive widths for an image: never wider than the original."""
    widths = [width for width in RENDITION_WIDTHS if width < original_width]
    if original_width <= RENDITION_WIDTHS[-1]:
        widths.append(original_width)
    return widths


def encode_all(validated: ValidatedImage) -> list[EncodedFile]:
    """The stored original, every rendition (WebP and the original format) and the social card."""
    image, image_format = validated.image, validated.format
    files = [
        EncodedFile(
            "original",
            image_format,
            image.width,
            image.height,
            _encode(image, image_format, quality=ORIGINAL_JPEG_QUALITY),
        )
    ]
    formats = ["WEBP"] if image_format == "WEBP" else ["WEBP", image_format]
    source = image
    # Largest first, each made from the previous one: quicker, and as sharp with LANCZOS.
    for width in sorted(rendition_widths(image.width), reverse=True):
        height = max(1, round(image.height * width / image.width))
        if (width, height) != source.size:
            source = source.resize((width, height), Image.Resampling.LANCZOS)
        for rendition_format in formats:
            files.append(
                EncodedFile(
                    "rendition", rendition_format, width, height, _encode(source, rendition_format)
                )
            )
    card = ImageOps.fit(image, SOCIAL_CARD_SIZE, Image.Resampling.LANCZOS)
    files.append(EncodedFile("social", "JPEG", *SOCIAL_CARD_SIZE, _encode(card, "JPEG")))
    return files


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


def delete_stored_files(names: list[str]) -> None:
    """Remove files from storage (after the rows that named them are gone)."""
    for name in names:
        default_storage.delete(name)


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


class ImageUploadForm(PendingUploadForm):
    """The form of every image model: the upload is checked here, so the admin shows the
    problem beside the field and nothing is stored when anything is wrong."""

    upload = forms.FileField(
        label=_("image"),
        required=False,
        help_text=_("JPEG, PNG or WebP. Location data and other metadata are removed."),
        widget=forms.FileInput(
            attrs={"accept": ".jpg,.jpeg,.png,.webp,image/jpeg,image/png,image/webp"}
        ),
    )

    missing_upload = ERROR_REQUIRED

    def has_stored_file(self) -> bool:
        return bool(self.instance.files)

    def validate_upload(self, upload):
        return validate_image_upload(upload)
