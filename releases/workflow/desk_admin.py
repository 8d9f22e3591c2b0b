"""What the desk adds to the release admin, as one mixin (wired on ReleaseAdmin): plain field
labels, read-only views that show the text as readers see it, and word-level history."""

from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from releases.workflow.diff import WordDiffHistoryMixin

# Field labels in the words of the people who write releases.
PLAIN_LABELS = {
    "slug": (
        _("Web address"),
        _(
            "The end of the release's address, made from the headline: "
            "…/releases/2021/05/09/national-police-week/. Lowercase letters, "
            "numbers and hyphens; it must differ from other releases of the same day."
        ),
    ),
}


class DeskAdminMixin(WordDiffHistoryMixin):
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name in PLAIN_LABELS:
            field.label, field.help_text = PLAIN_LABELS[db_field.name]
        return field

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        """A release shown read-only shows its body as text, not as markup: the body was
        sanitised when it was saved (releases.text.html.sanitize_body)."""
        release = kwargs.get("obj")
        if change and release is not None and not self.has_change_permission(request, release):
            release.body = mark_safe(release.body or "")
        return super().render_change_form(request, context, add=add, change=change, **kwargs)
