from datetime import datetime, timedelta

from django import forms
from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.admin.options import BaseModelAdmin
from django.db import models

from formats.models import NOT_AN_ADVISORY, AdvisoryEvent
from releases.admin_mixins import ModelFieldsWhenReadOnly, SafeAutocomplete
from releases.models import ReleaseType


class EventTimeField(forms.SplitDateTimeField):
    """A time the page can give in any zone: a year mistyped to the calendar's ends (9999)
    has no UTC time to store, or none in a zone a day away, and is refused as invalid."""

    MARGIN = timedelta(days=2)

    def compress(self, data_list):
        moment = super().compress(data_list)
        if moment is not None:
            wall = moment.replace(tzinfo=None)
            if not datetime.min + self.MARGIN <= wall <= datetime.max - self.MARGIN:
                raise forms.ValidationError(
                    self.error_messages["invalid_date"], code="invalid_date"
                )
        return moment


class AdvisoryEventFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        filled = [
            form for form in self.forms if form.has_changed() and not self._should_delete_form(form)
        ]
        if filled and self.instance.release_type != ReleaseType.MEDIA_ADVISORY:
            raise forms.ValidationError(NOT_AN_ADVISORY, code="not-an-advisory")


class AdvisoryEventInline(SafeAutocomplete, ModelFieldsWhenReadOnly, admin.StackedInline):
    """On the change form of a media advisory (once saved as one): the event it announces.
    A release of another type shows it only to remove an event it still has."""

    model = AdvisoryEvent
    formset = AdvisoryEventFormSet
    extra = 0
    max_num = 1
    autocomplete_fields = ["accreditation_contact"]
    fields = [
        ("starts_at", "ends_at"),
        "time_zone",
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
        models.DateTimeField: {"form_class": EventTimeField, "widget": widgets.AdminSplitDateTime}
    }

    def offered(self, release) -> bool:
        if release is None or release.pk is None:
            return False
        return (
            release.release_type == ReleaseType.MEDIA_ADVISORY
            or AdvisoryEvent.objects.filter(release_id=release.pk).exists()
        )

    def get_queryset(self, request):
        """Every event, as a model admin's queryset is. Django's inline would ask its permissions
        here without the release, which ``offered`` refuses: a saved event would never show."""
        return BaseModelAdmin.get_queryset(self, request)

    def has_add_permission(self, request, obj=None):
        return self.offered(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.offered(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.offered(obj) and super().has_delete_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        return self.offered(obj) and super().has_view_permission(request, obj)
