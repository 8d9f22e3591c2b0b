"""How the content API answers what it cannot: one JSON shape, ``{"detail": …}``, for every
error at an ``/api/`` address, whoever finds it (an operation, the URL resolver, a
middleware, a method it does not take), never the site's HTML page; and an address written
with or without its final slash, the other way from the API's, answered 301 to the API's.

The API's own addresses: a collection ends with a slash (``/api/v1/releases/``), one thing
does not (``/api/v1/releases/11``)."""

from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.encoding import escape_uri_path

from formats.responses import CORS_HEADERS, allow_cors

API_PREFIX = "/api/"
ROOT = "/api/v1/"

# What each status says, in the words of django-ninja's own answers ("Not Found").
DETAILS = {
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    500: "Server Error",
    503: "Service Unavailable",
}


def is_api_address(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def error_answer(request, status: int, detail=None) -> HttpResponse:
    """An error at an API address: ``{"detail": detail}`` (a sentence, or a list of problems),
    readable from any origin like every answer of the API."""
    detail = DETAILS.get(status, "Error") if detail is None else detail
    return allow_cors(JsonResponse({"detail": detail}, status=status))


def not_allowed(request) -> HttpResponse:
    """405: the API only reads."""
    response = error_answer(request, 405)
    response["Allow"] = CORS_HEADERS["Access-Control-Allow-Methods"]
    return response


def _answered_by_the_api(path_info: str) -> bool:
    try:
        match = resolve(path_info)
    except Resolver404:
        return False
    return match.url_name != "api-other-form"


def other_form(request) -> HttpResponse:
    """Any address under ``/api/v1/`` that the API does not answer: 301 to the one that
    differs only by the final slash when the API answers that one (the query kept), else the
    API's 404. The other form never lies outside ``/api/v1/`` and is answered by an operation,
    never by this view: neither an open redirect nor a loop."""
    path_info, path = request.path_info, request.path
    if path_info.endswith("/"):
        other_info, other = path_info[:-1], path[:-1]
    else:
        other_info, other = f"{path_info}/", f"{path}/"
    if other_info.startswith(ROOT) and _answered_by_the_api(other_info):
        query = request.META.get("QUERY_STRING", "")
        location = escape_uri_path(other) + (f"?{query}" if query else "")
        return allow_cors(HttpResponsePermanentRedirect(location))
    return error_answer(request, 404)
