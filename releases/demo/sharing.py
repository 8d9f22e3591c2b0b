"""The demo organisation's sharing image, drawn by Pillow from its names (no invented
picture): the site's colours, at the size of a large link preview. A bilingual organisation's
card carries its name in each language, as its signature does: one card serves both sites."""

import io
import textwrap

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from modeltranslation.utils import build_localized_fieldname
from PIL import Image, ImageDraw, ImageFont

from releases.colours import DEFAULT_BRAND
from releases.media.images import SOCIAL_CARD_SIZE, validate_sharing_image_upload
from releases.models import Organisation, SharingImage
from releases.public.icons import PAPER

MARGIN = 80
RULE_GAP = 60


def draw_banner(names: list[str], colour: str = DEFAULT_BRAND) -> bytes:
    """A PNG of ``SOCIAL_CARD_SIZE``: each name large, one under the other, on the brand
    colour."""
    width, height = SOCIAL_CARD_SIZE
    image = Image.new("RGB", (width, height), colour)
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


def names_by_language(organisation: Organisation) -> dict[str, str]:
    """Its name in each language that has one."""
    names = {
        code: (getattr(organisation, build_localized_fieldname("name", code)) or "").strip()
        for code, _language in settings.LANGUAGES
    }
    return {code: name for code, name in names.items() if name}


def organisation_names(organisation: Organisation) -> list[str]:
    """Its name in each language, each once (“CACP” is not written twice)."""
    return list(dict.fromkeys(names_by_language(organisation).values()))


def add_sharing_image(organisation: Organisation) -> SharingImage:
    """Store the banner as the organisation's sharing image, as the admin stores an upload.
    Each language's alt text is the name the card gives in that language, so that a screen
    reader reads it with that language's voice; one without a name falls back to another's."""
    alt_texts = {
        build_localized_fieldname("alt_text", code): name[:300]
        for code, name in names_by_language(organisation).items()
    }
    image = SharingImage(organisation=organisation, **alt_texts)
    data = draw_banner(organisation_names(organisation), organisation.colours.brand)
    image.pending_upload = validate_sharing_image_upload(
        SimpleUploadedFile("sharing-image.png", data, content_type="image/png")
    )
    image.save()
    return image
