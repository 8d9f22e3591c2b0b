"""The organisation's colours as a stylesheet: ``:root`` custom properties that override
newsroom.css's defaults, linked after it from every page (the content security policy allows
no inline style).

Its address holds a digest of the file (``Colours.version``): a change of colour makes a
new address, so the file is kept by browsers and caches in front for a year, unchanged. An old
address (a page kept a moment longer by a cache in front) answers today's colours, briefly
cached, rather than a 404 that would leave the page in the default colours."""

from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_safe

from pagecache.middleware import page_cache_exempt
from releases.colours import colours_of
from releases.models import Organisation

IMMUTABLE = "public, max-age=31536000, immutable"
OLD_ADDRESS = "public, max-age=60"


@page_cache_exempt  # a page-cache copy would answer with the page's short lifetime
@require_safe
def stylesheet(request, version: str):
    colours = colours_of(Organisation.current_cached())
    response = HttpResponse(colours.css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = IMMUTABLE if version == colours.version else OLD_ADDRESS
    etag = f'"{colours.version}"'
    response["ETag"] = etag
    return get_conditional_response(request, etag=etag, response=response)
