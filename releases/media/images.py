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
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from releases.media.uploads import checked_extension

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
ERROR_TOO_SMALL_TO_SHARE = _(
    "This image is %(width)s×%(height)s pixels; a sharing image must be at least "
    "%(min_width)s×%(min_height)s pixels, the size of a large link preview."
)


@dataclass(frozen=True)
class ValidatedImage:
    """An upload that passed every check: decoded, upright, in RGB(A), with no metadata."""

    image: Image.Image
    format: str


@dataclass(frozen=True)
class SocialImage:
    """What a link preview's ``og:image`` tags need (see releases.syndication.metadata)."""

    url: str
    absolute_url: str
    width: int
    height: int
    alt: str
    type: str = "image/jpeg"


def validate_image_upload(upload) -> ValidatedImage:
    """Check an uploaded file and decode it, or raise a ``ValidationError`` naming the problem."""
    extension = checked_extension(upload, settings.NEWSROOM_IMAGE_MAX_BYTES, ERROR_TOO_LARGE)
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


def validate_sharing_image_upload(upload) -> ValidatedImage:
    """``validate_image_upload()``, and at least the size of the social card: social networks
    show a large preview only from 1200×630, and an enlarged image looks blurred."""
    validated = validate_image_upload(upload)
    width, height = validated.image.size
    min_width, min_height = SOCIAL_CARD_SIZE
    if width < min_width or height < min_height:
        raise ValidationError(
            ERROR_TOO_SMALL_TO_SHARE,
            code="too_small",
            params={
                "width": width,
                "height": height,
                "min_width": min_width,
                "min_height": min_height,
            },
        )
    return validated


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


def delete_stored_files(names: list[str]) -> None:
    """Remove files from storage (after the rows that named them are gone)."""
    for name in names:
        default_storage.delete(name)
