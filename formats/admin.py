from django import forms
from django.contrib import admin

from formats.models import NOT_AN_ADVISORY, AdvisoryEvent
from releases.models import ReleaseType


class AdvisoryEventFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        filled = [
            form for form in self.forms if form.has_changed() and not self._should_delete_form(form)
        ]
        if filled and self.instance.release_type != ReleaseType.MEDIA_ADVISORY:
            raise forms.ValidationError(NOT_AN_ADVISORY, code="not-an-advisory")


class AdvisoryEventInline(admin.StackedInline):
    """On the release's change form: the event a media advisory announces."""

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
