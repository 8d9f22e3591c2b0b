"""Release pages in other formats: ninjs, the advisory's event as .ics, the calendar of
advisories and oEmbed. Each has the visibility of the page it stands for."""

import json

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from formats import calendar, ninjs, reading
from formats.responses import NO_PUBLIC_RELEASE, json_refusal, machine_response, preflight
from pagecache import caching
from releases.public.views import ReleaseDetailView

JSON_DUMP = {"ensure_ascii": False, "separators": (",", ":")}


class MachineReadable:
    """What a program reads beside a release's page: it answers a CORS preflight (a read from
    another origin that sends If-None-Match), and where the page would answer a reader with a
    page (not found, removed, only in the other language), it answers in a program's terms."""

    def options(self, request, *args, **kwargs):
        return preflight()

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            return self.refusal(404, NO_PUBLIC_RELEASE)

    def gone(self, elsewhere):
        return self.refusal(410, gettext("This release has been removed"))

    def only_in_other_language(self, release):
        """The same format of its translation here, or of the release in its own language."""
        return HttpResponseRedirect(self.address_of(self.twin_on_record_here(release) or release))

    def refusal(self, status: int, message) -> HttpResponse:
        return json_refusal(status, message)


class NinjsView(MachineReadable, ReleaseDetailView):
    """The release as IPTC ninjs 3.1, with the same visibility as its page."""

    def address_of(self, release):
        return reading.ninjs_path(release)

    def get_context_data(self, **kwargs):
        return {}

    def render_to_response(self, context, **response_kwargs):
        request = self.request
        key = caching.key_for("ninjs", str(self.object.pk), reading.site_origin(request))

        def compute() -> bytes:
            organisation = reading.organisation_of(request)
            release = reading.load_one(self.object, organisation)
            return json.dumps(ninjs.document(release, organisation, request), **JSON_DUMP).encode()

        page = reading.absolute(self.object.get_absolute_url(), request)
        return machine_response(
            request,
            caching.remember(key, compute),
            f"{ninjs.MEDIA_TYPE}; charset=utf-8",
            Link=f'<{page}>; rel="canonical"',
        )


class EventIcsView(MachineReadable, ReleaseDetailView):
    """“Add to calendar”: a media advisory's event as an iCalendar file."""

    def address_of(self, release):
        return reading.ics_path(release)

    def get_context_data(self, **kwargs):
        return {}

    def render_to_response(self, context, **response_kwargs):
        release = self.object
        event = reading.advisory_event(release)
        if event is None:
            raise Http404("No event")
        organisation = reading.organisation_of(self.request)
        content = calendar.calendar([release], organisation, request=self.request)
        return machine_response(
            self.request,
            content,
            f"{calendar.MEDIA_TYPE}; charset=utf-8",
            Content_Disposition=f'attachment; filename="{release.slug}.ics"',
        )

    def refusal(self, status: int, message) -> HttpResponse:
        return HttpResponse(message, content_type="text/plain; charset=utf-8", status=status)


@require_http_methods(["GET", "HEAD", "OPTIONS"])
def advisories_calendar(request):
    """The language's calendar of upcoming media advisories, for calendar programs to
    subscribe to."""
    if request.method == "OPTIONS":
        return preflight()
    language = translation.get_language()
    key = caching.key_for("advisories-calendar", language, reading.site_origin(request))

    def compute() -> bytes:
        organisation = reading.organisation_of(request)
        releases = list(calendar.upcoming_advisories(language))
        return calendar.calendar(
            releases, organisation, name=calendar.calendar_name(organisation), request=request
        )

    return machine_response(
        request, caching.remember(key, compute), f"{calendar.MEDIA_TYPE}; charset=utf-8"
    )
