"""Release documents (PDF, Word) and the press kit: a zip of a release's images and documents."""

import io
import zipfile
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from releases.media.uploads import checked_extension
from releases.models import DocumentKind, Release
from releases.syndication.metadata import headline_text

ERROR_TOO_LARGE = _("This file is %(size)s; documents may be at most %(limit)s.")
ERROR_KIND = _("Upload a PDF (.pdf) or Word (.docx) document.")
ERROR_NOT_PDF = _("This file is not a PDF document.")
ERROR_PDF_CUT = _(
    "This PDF is incomplete: it was cut short while being saved or sent. Export it again."
)
ERROR_NOT_DOCX = _("This file is not a Word (.docx) document.")
ERROR_REQUIRED = _("Choose a document to upload.")

PDF_MAGIC = b"%PDF-"
# Every PDF ends with this marker; readers allow up to 1,024 bytes of anything after it.
PDF_END = b"%%EOF"
DOCX_REQUIRED_MEMBERS = {"[Content_Types].xml", "word/document.xml"}


def validate_document_upload(upload) -> tuple[str, bytes]:
    """The kind and bytes of an uploaded document, or a ``ValidationError`` naming the problem."""
    extension = checked_extension(upload, settings.NEWSROOM_DOCUMENT_MAX_BYTES, ERROR_TOO_LARGE)
    if extension not in DocumentKind.values:
        raise ValidationError(ERROR_KIND, code="extension")
    upload.seek(0)
    data = upload.read()
    if extension == DocumentKind.PDF:
        if not data.startswith(PDF_MAGIC):
            raise ValidationError(ERROR_NOT_PDF, code="not_pdf")
        if PDF_END not in data[-1024 - len(PDF_END) :]:
            raise ValidationError(ERROR_PDF_CUT, code="pdf_cut")
    else:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if not DOCX_REQUIRED_MEMBERS <= set(archive.namelist()):
                    raise ValidationError(ERROR_NOT_DOCX, code="not_docx")
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise ValidationError(ERROR_NOT_DOCX, code="not_docx") from error
    return extension, data


def press_kit_name(release: Release) -> str:
    """``2021-05-09-national-police-week-press-kit``: sorts by date in a downloads folder."""
    day = release.publication_date
    prefix = f"{day:%Y-%m-%d}-" if day else ""
    return f"{prefix}{release.slug}-press-kit"


def press_kit_members(release: Release) -> list[tuple[str, str]]:
    """(name in the zip, storage name) of every file in the press kit, images first."""
    folder = press_kit_name(release)
    members = []
    for number, image in enumerate(release.images.all(), start=1):
        if image.original:
            label = slugify(image.caption or image.alt_text)[:60].strip("-") or "image"
            members.append(
                (
                    f"{folder}/images/{number:02d}-{label}.{image.download_extension}",
                    image.original["name"],
                )
            )
    for number, document in enumerate(release.documents.all(), start=1):
        arcname = f"{folder}/documents/{number:02d}-{document.download_name}"
        members.append((arcname, document.file.name))
    return members


def credits_text(release: Release) -> str:
    lines = [headline_text(release), ""]
    for number, image in enumerate(release.images.all(), start=1):
        lines.append(f"{number:02d}. {image.alt_text}")
        for label, value in (
            (_("Caption"), image.caption),
            (_("Credit"), image.credit),
            (_("Licence"), image.licence),
        ):
            if value:
                lines.append(f"    {label}: {value}")
    return "\n".join(lines) + "\n"


def write_press_kit(release: Release, target: BinaryIO) -> None:
    """Write the zip into ``target``. Images and PDFs are already compressed: stored as is."""
    with zipfile.ZipFile(target, "w") as archive:
        for arcname, storage_name in press_kit_members(release):
            with default_storage.open(storage_name, "rb") as source:
                with archive.open(
                    zipfile.ZipInfo(arcname, date_time=_zip_time(release)), "w"
                ) as member:
                    while chunk := source.read(1024 * 1024):
                        member.write(chunk)
        if release.images.all():
            info = zipfile.ZipInfo(
                f"{press_kit_name(release)}/credits.txt", date_time=_zip_time(release)
            )
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, credits_text(release).encode())


def _zip_time(release: Release) -> tuple:
    moment = timezone.localtime(release.publish_at) if release.publish_at else timezone.localtime()
    return moment.timetuple()[:6]
