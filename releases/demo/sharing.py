"""The demo organisation's sharing image, drawn by Pillow from its name and tagline (no
invented picture): the site's colours, at the size of a large link preview."""

import io
import textwrap

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from releases.media.images import SOCIAL_CARD_SIZE, validate_sharing_image_upload
from releases.models import Organisation, SharingImage
from releases.public.icons import BRAND, PAPER

MARGIN = 80


def draw_banner(name: str, tagline: str) -> bytes:
    """A PNG of ``SOCIAL_CARD_SIZE``: the name large, the tagline under it, on the brand
    colour."""
    width, height = SOCIAL_CARD_SIZE
    image = Image.new("RGB", (width, height), BRAND)
    draw = ImageDraw.Draw(image)
    heading = ImageFont.load_default(size=64)
    text = ImageFont.load_default(size=36)
    y = MARGIN
    for line in textwrap.wrap(name, 30):
        draw.text((MARGIN, y), line, fill=PAPER, font=heading)
        y += 80
    y += 30
    for line in textwrap.wrap(tagline, 55)[:6]:
        draw.text((MARGIN, y), line, fill=PAPER, font=text)
        y += 48
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def add_sharing_image(organisation: Organisation) -> SharingImage:
    """Store the banner as the organisation's sharing image, as the admin stores an upload."""
    data = draw_banner(organisation.name, organisation.tagline)
    image = SharingImage(
        organisation=organisation,
        alt_text=" — ".join(filter(None, [organisation.name, organisation.tagline]))[:300],
    )
    image.pending_upload = validate_sharing_image_upload(
        SimpleUploadedFile("sharing-image.png", data, content_type="image/png")
    )
    image.save()
    return image
