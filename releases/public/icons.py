"""The site's icons and web manifest, made from the logo the organisation uploads (a plain
square with its initials on its brand colour until it does), in every size browsers ask for.

Each file is drawn by Pillow once and kept under the page cache's rules (any change to the
organisation makes it stale); the logo upload itself is never served. Pages link them with
``?v=`` and a digest of what they are drawn from (``icons_version``), so that a browser holding
the old ones for ``ICON_MAX_AGE`` asks again once the logo, the colour or the initials change.
"""

import hashlib
import io
import json

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from PIL import Image, ImageDraw, ImageFont, ImageOps

from pagecache import caching
from releases.colours import WHITE, colours_of
from releases.models import Organisation
from releases.models.organisation import newsroom_name

PAPER = WHITE
# Size in pixels → what asks for it: the favicon (16, 32, 48 inside one .ico), the site header's
# logo (96), the Apple touch icon (180), and the manifest's icons (192, 512; a maskable one keeps
# a safe margin).
PNG_SIZES = {32: "icon", 96: "logo", 180: "apple-touch-icon", 192: "icon", 512: "icon"}
# The site header's logo is shown this many CSS pixels square, drawn at twice that: sharp on a
# phone's screen.
HEADER_LOGO_SIZE = 48
ICO_SIZES = [(16, 16), (32, 32), (48, 48)]
ICON_MAX_AGE = 60 * 60 * 24


def initials(organisation: Organisation | None) -> str:
    """“CACP” from the short name, else the first letters of the name's main words."""
    if organisation is None:
        return "N"
    if organisation.short_name:
        return organisation.short_name[:4]
    words = [w for w in organisation.name.split() if w[:1].isupper()]
    return "".join(w[0] for w in words)[:4] or organisation.name[:1].upper()


def icons_version(organisation: Organisation | None) -> str:
    """A digest of what the icons are drawn from: the logo, the brand colour, the initials
    (from a template without an organisation, ``""``: the defaults')."""
    organisation = organisation or None
    logo = organisation.logo.name if organisation and organisation.logo else ""
    drawn_from = (logo, colours_of(organisation).brand, initials(organisation))
    return hashlib.sha256("\x1f".join(drawn_from).encode()).hexdigest()[:12]


def versioned(url: str, organisation: Organisation | None) -> str:
    """``url`` with the icons' version, as pages and the manifest link it."""
    return f"{url}?v={icons_version(organisation)}"


def header_logo(organisation: Organisation | None) -> dict | None:
    """The logo as the site header shows it (the icon made from it, at its versioned address:
    a new logo is a new address), or None without an uploaded logo: the header then names the
    organisation in words alone, not with the plain icon's initials beside them."""
    if not organisation or not organisation.logo:
        return None
    url = versioned(reverse("icon", args=[2 * HEADER_LOGO_SIZE]), organisation)
    return {"url": url, "size": HEADER_LOGO_SIZE}


def _plain_icon(text: str, size: int, colour: str) -> Image.Image:
    """White initials on the brand colour, as large as fits in three quarters of the width."""
    image = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(image)
    font_size = int(size * 0.6)
    while True:
        font = ImageFont.load_default(size=font_size)
        left, _, right, _ = draw.textbbox((0, 0), text, font=font)
        if right - left <= size * 0.75 or font_size <= 6:
            break
        font_size -= max(1, font_size // 10)
    draw.text((size / 2, size / 2), text, fill=PAPER, font=font, anchor="mm")
    return image


def _from_logo(organisation: Organisation, size: int, *, margin: float) -> Image.Image | None:
    """The logo centred on white in a square of ``size``, or None when there is none (or its
    file cannot be read: the plain icon is then better than an error)."""
    if not organisation or not organisation.logo:
        return None
    try:
        with organisation.logo.open("rb") as stored, Image.open(stored) as opened:
            logo = ImageOps.exif_transpose(opened).convert("RGBA")
    except (OSError, ValueError):
        return None
    inner = max(1, round(size * (1 - 2 * margin)))
    logo.thumbnail((inner, inner), Image.Resampling.LANCZOS)
    canvas = Image.new("RGBA", (size, size), PAPER)
    canvas.alpha_composite(logo, ((size - logo.width) // 2, (size - logo.height) // 2))
    return canvas.convert("RGB")


def draw_icon(
    organisation: Organisation | None, size: int, *, maskable: bool = False
) -> Image.Image:
    margin = 0.1 if maskable else 0.04
    return _from_logo(organisation, size, margin=margin) or _plain_icon(
        initials(organisation), size, colours_of(organisation).brand
    )


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _ico(organisation: Organisation | None) -> bytes:
    buffer = io.BytesIO()
    draw_icon(organisation, 48).save(buffer, "ICO", sizes=ICO_SIZES)
    return buffer.getvalue()


def _kept(key: str, make) -> bytes:
    return caching.remember(caching.key_for("icon", key), lambda: make(Organisation.current()))


def _icon_response(data: bytes, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Cache-Control"] = f"public, max-age={ICON_MAX_AGE}"
    return response


@require_safe
def favicon(request):
    return _icon_response(_kept("favicon.ico", _ico), "image/x-icon")


@require_safe
def png_icon(request, size: int, purpose: str = "any"):
    if size not in PNG_SIZES or purpose not in ("any", "maskable"):
        raise Http404
    maskable = purpose == "maskable"
    data = _kept(f"{purpose}-{size}", lambda o: _png(draw_icon(o, size, maskable=maskable)))
    return _icon_response(data, "image/png")


@require_safe
def apple_touch_icon(request):
    return png_icon(request, 180)


def manifest_data(organisation: Organisation | None) -> dict:
    name = newsroom_name(organisation)
    short = (organisation.short_name or organisation.name) if organisation else name
    icons = [
        {
            "src": versioned(reverse("icon", args=[size]), organisation),
            "sizes": f"{size}x{size}",
            "type": "image/png",
        }
        for size in (192, 512)
    ]
    icons.append(
        {
            "src": versioned(reverse("icon-maskable", args=[512]), organisation),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        }
    )
    return {
        "name": name,
        "short_name": short[:12],
        "start_url": "/",
        "scope": "/",
        "display": "browser",
        "lang": settings.LANGUAGE_CODE,
        "background_color": PAPER,
        "theme_color": colours_of(organisation).brand,
        "icons": icons,
    }


@require_safe
def manifest(request):
    data = caching.remember(
        caching.key_for("web-manifest"), lambda: json.dumps(manifest_data(Organisation.current()))
    )
    response = HttpResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = f"public, max-age={ICON_MAX_AGE}"
    return response
