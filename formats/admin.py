import functools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from formats.models import (
    CALENDAR_FIELDS,
    NOT_AN_ADVISORY,
    AdvisoryEvent,
    default_time_zone,
    news_of_change,
    validate_time_zone,
)
from releases.admin_mixins import ModelFieldsWhenReadOnly, SafeAutocomplete
from releases.models import ReleaseType
from releases.text.zones import zone_choices, zone_name
from releases.workflow import event_news
from releases.workflow.forms import (
    aware_from_wall_clock,
    happens_twice,
    if_twice_choices,
    which_one_field,
)
from releases.workflow.states import desk_moment, newsroom_zone

# Each time the form reads, with the field that says which one is meant in a repeated hour.
EVENT_TIMES = {"starts_at": "starts_if_twice", "ends_at": "ends_if_twice"}
# On a page that only shows the event, what the inline shows instead of these fields.
SHOWN_WHEN_READ_ONLY = {
    "starts_at": "starts_at_in_place",
    "ends_at": "ends_at_in_place",
    "time_zone": "time_zone_named",
}


class EventTimeField(forms.SplitDateTimeField):
    """A wall-clock time, without a zone: the form reads it in the event's own zone, chosen in
    the same form. A year mistyped to the calendar's ends (9999) has no UTC time to store, or
    none in a zone a day away, and is refused as invalid."""

    MARGIN = timedelta(days=2)

    def compress(self, data_list):
        if not data_list:
            return None
        day, time = data_list
        if day in self.empty_values:
            raise forms.ValidationError(self.error_messages["invalid_date"], code="invalid_date")
        if time in self.empty_values:
            raise forms.ValidationError(self.error_messages["invalid_time"], code="invalid_time")
        wall = datetime.combine(day, time)
        if not datetime.min + self.MARGIN <= wall <= datetime.max - self.MARGIN:
            raise forms.ValidationError(self.error_messages["invalid_date"], code="invalid_date")
        return wall


class PlacesClockInput(forms.SplitDateTimeWidget):
    """The browser's own date and time inputs. Not the admin's calendar and clock: their “Now”
    and their “you are N hours ahead of server time” read the newsroom's clock, and these
    times are the place's."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs,
            date_format="%Y-%m-%d",
            time_format="%H:%M",
            date_attrs={"type": "date"},
            time_attrs={"type": "time"},
        )


@functools.lru_cache(maxsize=32)
def _options_html(choices: tuple) -> SafeString:
    """The options as Django's ``select.html`` and ``select_option.html`` write them, none
    chosen. ``choices``: ((group or None, ((value, label), …)), …), in the words of one
    language."""
    parts = []
    for group, options in choices:
        if group is not None:
            parts.append(format_html('\n  <optgroup label="{}">', group))
        parts.extend(
            format_html('\n  <option value="{}">{}</option>\n', value, label)
            for value, label in options
        )
        if group is not None:
            parts.append("\n  </optgroup>")
    return mark_safe("".join(parts))


class ZoneSelect(forms.Select):
    """Django's select, markup for markup, for the some 400 zones of ``zone_choices``: Django
    renders a template per option (about 12 ms a select, twice on every advisory's page: the
    event's form and the empty one that “Add another” copies). Here the options are written
    once per list and language, kept for the life of the process, and only ``selected`` is
    set at each render."""

    template_name = "admin/widgets/zone_select.html"

    def get_context(self, name, value, attrs):
        # Widget's context, not ChoiceWidget's: that one builds an option dict per choice.
        context = forms.Widget.get_context(self, name, value, attrs)
        options = _options_html(self._choices_in_words())
        for chosen in context["widget"]["value"][:1]:
            option = format_html('<option value="{}">', chosen)
            options = mark_safe(options.replace(option, f"{option[:-1]} selected>", 1))
        context["widget"]["options"] = options
        return context

    def _choices_in_words(self) -> tuple:
        """The choices, their labels read in the active language: the key to their options."""
        entries = []
        for value, label in self.choices:
            if isinstance(label, (list, tuple)):
                options = tuple((str(key), str(name)) for key, name in label)
                entries.append((str(value) if value else None, options))
            else:
                entries.append((None, (("" if value is None else str(value), str(label)),)))
        return tuple(entries)


class PlaceZoneField(forms.ChoiceField):
    """The event's zone, chosen from a list people read (``zone_choices``). Any IANA zone is
    accepted, listed or not, so that an event stored in one no longer offered saves unchanged;
    anything else is refused in words by the model's validator, run here because the times are
    read in the zone while cleaning."""

    widget = ZoneSelect
    default_validators = [validate_time_zone]

    def valid_value(self, value):
        """Any value here: ``validate_time_zone`` decides, after."""
        return True


class AdvisoryEventForm(forms.ModelForm):
    """The event's start and end are typed, and shown again, as the clocks of the place read
    them: in the event's own time zone, chosen in the same form. A time those clocks skip is
    refused, and one they repeat asks which of the two is meant, as the schedule form does."""

    time_zone = PlaceZoneField(
        label=capfirst(AdvisoryEvent._meta.get_field("time_zone").verbose_name),
        help_text=AdvisoryEvent._meta.get_field("time_zone").help_text,
        initial=default_time_zone,
    )
    starts_if_twice = which_one_field(_("If the start happens twice"))
    ends_if_twice = which_one_field(_("If the end happens twice"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What is stored, sent or the default stays offered even when the list leaves it out.
        self.fields["time_zone"].choices = zone_choices(
            self.initial.get("time_zone"),
            self.data.get(self.add_prefix("time_zone")),
            default_time_zone(),
        )
        event = self.instance
        for which_one in EVENT_TIMES.values():
            self.fields[which_one].choices = if_twice_choices(
                event.zone if event.pk else newsroom_zone()
            )
        if event.pk is None:
            return
        for name, which_one in EVENT_TIMES.items():
            local = getattr(event, name).astimezone(event.zone)
            self.initial[name] = local.replace(tzinfo=None, fold=0)
            if happens_twice(local):
                # Saved again unchanged, a time in the repeated hour stays the one it was.
                self.initial[which_one] = local.fold
                self.ask_which_one(name, event.zone)

    def ask_which_one(self, name: str, zone: ZoneInfo):
        field = self.fields[EVENT_TIMES[name]]
        field.choices = if_twice_choices(zone)
        field.widget = forms.Select(choices=field.choices)

    def clean(self):
        cleaned = super().clean()
        zone_name = cleaned.get("time_zone")
        for name, which_one in EVENT_TIMES.items():
            wall = cleaned.get(name)
            if wall is None:
                continue
            if zone_name is None:
                # The zone's own error makes the form invalid: read only for the other checks.
                cleaned[name] = wall.replace(tzinfo=UTC)
                continue
            zone = ZoneInfo(zone_name)
            try:
                cleaned[name] = aware_from_wall_clock(wall, fold=cleaned.get(which_one), zone=zone)
            except forms.ValidationError as error:
                if error.code == "ambiguous":
                    self.ask_which_one(name, zone)
                self.add_error(name, error)
        return cleaned


class AdvisoryEventFormSet(forms.BaseInlineFormSet):
    """The event of the release on the form. Cancelled, moved or removed once its advisory is
    public, it is news to everyone who received the advisory: saved only with a correction
    (``correcting``, the release form's kind of change), whose alert reaches them."""

    # The release admin tells it whether the form saves a correction (``CorrectionsMixin``).
    asks_kind_of_change = True

    def __init__(self, *args, correcting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.correcting = correcting

    def clean(self):
        super().clean()
        filled = [
            form for form in self.forms if form.has_changed() and not self._should_delete_form(form)
        ]
        if filled and self.instance.release_type != ReleaseType.MEDIA_ADVISORY:
            raise forms.ValidationError(NOT_AN_ADVISORY, code="not-an-advisory")
        if not self.correcting and self._news_to_recipients():
            raise forms.ValidationError(event_news.NEEDS_CORRECTION, code="news")

    def _news_to_recipients(self) -> bool:
        """Whether this save cancels, moves or removes the event of a public advisory (one not
        public yet, a draft or scheduled, changes freely: nobody has received it)."""
        if not self.instance.is_published:
            return False
        for form in self.initial_forms:
            if form.instance.pk is None or form.errors:
                continue
            stored = AdvisoryEvent.objects.filter(pk=form.instance.pk).values(*CALENDAR_FIELDS)
            before = stored.first()
            if before is None:
                continue
            if self._should_delete_form(form):
                return True
            typed = {name: form.cleaned_data.get(name, before[name]) for name in CALENDAR_FIELDS}
            if form.has_changed() and news_of_change(before, typed) is not None:
                return True
        return False


class AdvisoryEventInline(SafeAutocomplete, ModelFieldsWhenReadOnly, admin.StackedInline):
    """The event a media advisory announces, on its form from the start: on the add page, and
    on a release of another type that the page may turn into an advisory (a small script shows
    the section while the type chosen is a media advisory; the formset refuses an event on
    another type). A release of another type that still has an event shows it to remove it."""

    model = AdvisoryEvent
    form = AdvisoryEventForm
    formset = AdvisoryEventFormSet
    extra = 0
    max_num = 1
    autocomplete_fields = ["accreditation_contact"]
    fields = [
        # The zone first: the start and end below are read in it.
        "time_zone",
        ("starts_at", "ends_at"),
        ("starts_if_twice", "ends_if_twice"),
        "venue",
        "address",
        "online_url",
        "accreditation_contact",
        "accreditation_note",
        "status",
        "sequence",
    ]
    readonly_fields = ["sequence"]
    formfield_overrides = {
        models.DateTimeField: {"form_class": EventTimeField, "widget": PlacesClockInput}
    }

    def get_fieldsets(self, request, obj=None):
        """On a page that only shows the event, its times as the place's clocks read them (Django
        would give them in the newsroom's zone, without a name, beside the place's zone), and
        the zone by the name the form's list gives it."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self._page_may_change(request, obj):
            return fieldsets
        return [
            (
                title,
                {
                    **options,
                    "fields": [
                        tuple(SHOWN_WHEN_READ_ONLY.get(name, name) for name in line)
                        if isinstance(line, tuple)
                        else SHOWN_WHEN_READ_ONLY.get(line, line)
                        for line in options["fields"]
                    ],
                },
            )
            for title, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *SHOWN_WHEN_READ_ONLY.values()]

    @admin.display(description=AdvisoryEvent._meta.get_field("time_zone").verbose_name)
    def time_zone_named(self, event):
        return zone_name(event.time_zone)

    @admin.display(description=AdvisoryEvent._meta.get_field("starts_at").verbose_name)
    def starts_at_in_place(self, event):
        return desk_moment(event.starts_at, event.zone)

    @admin.display(description=AdvisoryEvent._meta.get_field("ends_at").verbose_name)
    def ends_at_in_place(self, event):
        return desk_moment(event.ends_at, event.zone)

    def offered(self, request, release) -> bool:
        """No release yet (the add page, whose type is chosen in the same form), a media
        advisory, a release that still has an event, or one the page may turn into an
        advisory. Answered once a request: Django asks each permission several times."""
        if release is None or release.pk is None:
            return True
        if release.release_type == ReleaseType.MEDIA_ADVISORY:
            return True
        answers = request.__dict__.setdefault("advisory_event_offered", {})
        if release.pk not in answers:
            page_admin = self.admin_site.get_model_admin(self.parent_model)
            answers[release.pk] = AdvisoryEvent.objects.filter(
                release_id=release.pk
            ).exists() or page_admin.has_change_permission(request, release)
        return answers[release.pk]

    def has_add_permission(self, request, obj=None):
        return self.offered(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.offered(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.offered(request, obj) and super().has_delete_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        return self.offered(request, obj) and super().has_view_permission(request, obj)
