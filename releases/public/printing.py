"""The print stylesheet's one dynamic rule: links to this site's own pages print with the
site's address in front (``SITE_URL``), so a printout shows addresses a reader can type."""

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.http import require_safe

PRINTED_LINKS = ".release-body, .release__contacts, .release__boilerplate"


def print_links_css() -> str:
    origin = settings.SITE_URL.rstrip("/").replace("\\", "").replace('"', "")
    selectors = ", ".join(
        f'{part.strip()} a[href^="/"]::after' for part in PRINTED_LINKS.split(",")
    )
    return f'{selectors} {{ content: " ({origin}" attr(href) ")"; font-size: 9pt; }}\n'


@require_safe
def print_links(request):
    response = HttpResponse(print_links_css(), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response
