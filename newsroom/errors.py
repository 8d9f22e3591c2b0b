"""The site's error pages. Each renders with ``exception`` in its context, which tells the
language switcher and the page metadata not to read the request's query again: the query may
be what was wrong (more than ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` parameters raise when read)."""

from django.http import Http404, HttpResponse
from django.template import loader
from django.views import defaults


class NoSuchListPage(Http404):
    """A list's ``?page=`` that names none of its pages: the 404 page says so, and links to the
    list's first page (``first_page``: its address without the page)."""

    def __init__(self, page: str, first_page: str):
        super().__init__(f"No page {page!r} in this list")
        self.page, self.first_page = page, first_page


def error_page(request, template_name: str, status: int, **context) -> HttpResponse:
    """The page of ``template_name``; at an API address (``/api/…``) the API's JSON error
    instead (formats.api_errors), which programs read."""
    from formats.api_errors import error_answer, is_api_address

    if is_api_address(request):
        return error_answer(request, status)
    html = loader.render_to_string(template_name, {"exception": True, **context}, request=request)
    return HttpResponse(html, status=status)


def bad_request(request, exception=None):
    return error_page(request, "400.html", 400)


def permission_denied(request, exception=None):
    return error_page(request, "403.html", 403)


def page_not_found(request, exception=None):
    if isinstance(exception, NoSuchListPage):
        return error_page(
            request, "404.html", 404, list_page=exception.page, first_page=exception.first_page
        )
    return error_page(request, "404.html", 404)


def server_error(request):
    """Django's own 500 page (a template without context: whatever failed may fail again), or
    the API's JSON error at an API address."""
    from formats.api_errors import error_answer, is_api_address

    if is_api_address(request):
        return error_answer(request, 500)
    return defaults.server_error(request)


def csrf_failure(request, reason=""):
    return error_page(request, "403_csrf.html", 403)


def lockout(request, response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in (429): it says when the block ends."""
    from axes.helpers import get_cool_off
    from django.utils import timezone

    cool_off = get_cool_off(request)
    context = {
        "exception": True,
        "until": timezone.localtime() + cool_off if cool_off else None,
        "minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    html = loader.render_to_string("axes_lockout.html", context, request=request)
    return HttpResponse(html, status=429)
