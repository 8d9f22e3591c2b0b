"""The demo organisation's sharing image, drawn by Pillow from its names (no invented
picture): the site's colours, at the size of a large link preview. A bilingual organisation's
card carries its name in each language, as its signature does: one card serves both sites."""

import io
import textwrap

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from modeltranslation.utils import build_localized_fieldname
from PIL import Image, ImageDraw, ImageFont

from releases.media.images import SOCIAL_CARD_SIZE, validate_sharing_image_upload
from releases.models import Organisation, SharingImage
from releases.public.icons import BRAND, PAPER

MARGIN = 80
RULE_GAP = 60


def draw_banner(names: list[str]) -> bytes:
    """A PNG of ``SOCIAL_CARD_SIZE``: each name large, one under the other, on the brand
    colour."""
    width, height = SOCIAL_CARD_SIZE
    image = Image.new("RGB", (width, height), BRAND)
    draw = ImageDraw.Draw(image)
    heading = ImageFont.load_default(size=64)
    lines = [textwrap.wrap(name, 30) for name in names]
    # Centred as a block, a rule between the names.
    y = (height - sum(80 * len(wrapped) for wrapped in lines) - RULE_GAP * (len(lines) - 1)) // 2
    for number, wrapped in enumerate(lines):
        if number:
            draw.line((MARGIN, y + RULE_GAP // 2, MARGIN + 160, y + RULE_GAP // 2), PAPER, 4)
            y += RULE_GAP
        for line in wrapped:
            draw.text((MARGIN, y), line, fill=PAPER, font=heading)
            y += 80
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def organisation_names(organisation: Organisation) -> list[str]:
    """Its name in each language, each once (“CACP” is not written twice)."""
    names = [
        getattr(organisation, build_localized_fieldname("name", code)) or ""
        for code, _language in settings.LANGUAGES
    ]
    return list(dict.fromkeys(name.strip() for name in names if name.strip()))


def add_sharing_image(organisation: Organisation) -> SharingImage:
    """Store the banner as the organisation's sharing image, as the admin stores an upload."""
    names = organisation_names(organisation)
    image = SharingImage(organisation=organisation, alt_text=" — ".join(names)[:300])
    data = draw_banner(names)
    image.pending_upload = validate_sharing_image_upload(
        SimpleUploadedFile("sharing-image.png", data, content_type="image/png")
    )
    image.save()
    return image
