"""Real image and document bytes made with Pillow, for upload tests."""

import io
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def photo(width=3000, height=2000, *, mode="RGB") -> Image.Image:
    """A photo-like picture: gradients with sensor-like noise, which compresses like a photo."""
    horizontal = Image.linear_gradient("L").resize((width, height))
    vertical = Image.linear_gradient("L").rotate(90).resize((width, height))
    noise = Image.effect_noise((width, height), 40)
    picture = Image.merge("RGB", (horizontal, vertical, noise))
    blend = Image.blend(picture, Image.merge("RGB", (noise, horizontal, vertical)), 0.3)
    return blend.convert(mode)


def jpeg_bytes(image=None, *, gps=False, orientation=None, **save) -> bytes:
    image = image or photo(480, 320)
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    if orientation:
        exif[ORIENTATION] = orientation
    if gps:
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (45.0, 25.0, 12.0), 3: "W", 4: (75.0, 41.0, 52.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=90, **save)
    return buffer.getvalue()


def png_bytes(image=None) -> bytes:
    buffer = io.BytesIO()
    (image or photo(480, 320)).save(buffer, "PNG")
    return buffer.getvalue()


def webp_bytes(image=None) -> bytes:
    buffer = io.BytesIO()
    (image or photo(480, 320)).save(buffer, "WEBP")
    return buffer.getvalue()


def bomb_png(width: int, height: int) -> bytes:
    """A solid-colour PNG: a few kilobytes that decode to ``width × height`` pixels."""
    buffer = io.BytesIO()
    Image.new("1", (width, height), 1).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (200, 100), "white").save(buffer, "PDF")
    return buffer.getvalue()


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def store_image(model, *, data=None, name="photo.jpg", **fields):
    """An image row saved the way the admin saves it: validated, then written on save. Its alt
    text is given as ``alt_text``, or in each language (``alt_text_en``…) for a translated one."""
    from releases.media.images import validate_image_upload

    if not any(name.startswith("alt_text") for name in fields):
        fields["alt_text"] = "Officers at a school"
    image = model(**fields)
    image.pending_upload = validate_image_upload(upload(name, data or jpeg_bytes()))
    image.save()
    return image


def store_document(release, *, data=None, name="fact-sheet.pdf", **fields):
    from releases.media.documents import validate_document_upload
    from releases.models import ReleaseDocument

    document = ReleaseDocument(release=release, title=fields.pop("title", "Fact sheet"), **fields)
    document.pending_upload = validate_document_upload(upload(name, data or pdf_bytes()))
    document.save()
    return document


def files_under(root) -> list[Path]:
    """Every file stored below ``root`` (a MEDIA_ROOT)."""
    root = Path(root)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []
