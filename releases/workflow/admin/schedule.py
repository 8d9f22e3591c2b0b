"""The schedule page: the go-live minute in the newsroom's zone, with the language twins."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from releases.text.zones import in_zone
from releases.workflow import checklist, publishing
from releases.workflow.admin.checklist import linked
from releases.workflow.admin.confirm import backdate_link, what_readers_see
from releases.workflow.admin.pages import TWIN_NOT_SCHEDULED_AFTER, publication_state
from releases.workflow.forms import (
    NONEXISTENT_TIME,
    ScheduleForm,
    describe_time,
    wall_clock,
    zone_abbreviations,
)
from releases.workflow.states import newsroom_zone

SCHEDULED = _("Scheduled: “%(release)s” goes public on %(time)s. Until then only staff can see it.")


class ScheduleMixin:
    def schedule_view(self, request, object_id):
        release = self._release_or_404(request, object_id)
        self._require_permitted(request, release, "schedule")
        twins = [(twin, publication_state(twin)) for twin in publishing.twins_of(release)]
        items = checklist.checklist(release)
        # The tick confirms warnings; with errors, scheduling is refused whatever is ticked.
        warned = bool(items) and not any(item.is_error for item in items)
        # Changing the time starts from the one set, as the newsroom's clock reads it.
        initial = {"go_live": wall_clock(release.publish_at)} if release.is_scheduled else {}
        form = ScheduleForm(request.POST or None, initial=initial, twins=twins, warned=warned)
        if request.method == "POST" and form.is_valid():
            try:
                scheduled = publishing.schedule_with_twins(
                    release=release,
                    by=request.user,
                    at=form.cleaned_data["at"],
                    include_twins=form.cleaned_data.get("include_twins", False),
                    expected_version=self._expected_version(request),
                )
            except ValidationError as error:
                release.refresh_from_db()
                form.add_error(None, error)
                if any(each.code == "past" for each in error.error_list):
                    form.add_error(None, backdate_link(release, form.cleaned_data["go_live"]))
            else:
                for each in scheduled:
                    self.message_user(
                        request,
                        SCHEDULED % {"release": each, "time": describe_time(each.publish_at)},
                        messages.SUCCESS,
                    )
                self._warn_lone_language(request, release, TWIN_NOT_SCHEDULED_AFTER)
                return self._back_to(release)
        now = timezone.now()
        standard, daylight = zone_abbreviations(newsroom_zone())
        return self._form_page(
            request,
            release,
            form,
            _("Schedule “%(release)s”") % {"release": release},
            submit_label=_("Schedule"),
            explanation=_(
                "Now: %(now)s. The release goes public at the minute you set, "
                "with nothing left to run."
            )
            % {"now": describe_time(now)},
            current=describe_time(release.publish_at) if release.is_scheduled else "",
            **what_readers_see(release),
            checklist_items=linked(items, release),
            # Named under the time as it is typed, in the newsroom's zone and UTC.
            schedule_zone=timezone.get_default_timezone_name(),
            # What the server says of a time the clocks skip, said as it is typed.
            schedule_missing=NONEXISTENT_TIME
            % {"time": "{time}", "in_zone": in_zone(timezone.get_default_timezone_name())},
            # The zone's names as the desk writes them (“EDT”, « HAE »), not the browser's.
            schedule_standard=standard,
            schedule_daylight=daylight or "",
            # The hint in the newsroom's English (“en-GB”), when it is not the page's.
            schedule_locale=get_format("LANGUAGE_TAG"),
        )
