"""Saving the release form: a draft, or for a release that went out a minor edit or a public
correction (what each takes is the workflow's rule)."""

from django.utils.translation import gettext_lazy as _

from releases.workflow import publishing
from releases.workflow.forms import EDIT_CORRECTION


class CorrectionsMixin:
    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and publishing.action_option(obj, request.user, "correct").allowed:
            fieldsets.append(
                (_("This release is published"), {"fields": ["edit_kind", "correction_note"]})
            )
        return fieldsets

    def saves_correction(self, request, release) -> bool:
        """Whether the form posted saves a correction: its kind of change, offered (as
        ``get_fieldsets`` offers it) to someone who may correct this release."""
        return (
            request.method == "POST"
            and release is not None
            and release.pk is not None
            and request.POST.get("edit_kind") == EDIT_CORRECTION
            and publishing.action_option(release, request.user, "correct").allowed
        )

    def get_formset_kwargs(self, request, obj, inline, prefix):
        """An inline that depends on the kind of change (the advisory's event: cancelled or
        moved once public, only with a correction) is told it."""
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if getattr(inline.formset, "asks_kind_of_change", False):
            kwargs["correcting"] = self.saves_correction(request, obj)
        return kwargs

    def save_model(self, request, obj, form, change):
        if change and "needs_translation" not in form.changed_data:
            # Not touched on this form: the stored flag stands (the other language may have
            # marked this version behind while the form was open).
            stored = type(obj).objects.filter(pk=obj.pk).values_list("needs_translation", flat=True)
            obj.needs_translation = stored.get()
        correcting = form.cleaned_data.get("edit_kind") == EDIT_CORRECTION
        publishing.save_edit(
            release=obj,
            by=request.user,
            correction_note=form.cleaned_data["correction_note"] if correcting else None,
            expected_version=(form.cleaned_data.get("version_seen") or None) if change else None,
        )
