"""What the desk adds to the release admin, as one mixin (wired on ReleaseAdmin): plain field
labels, read-only views that show the text as readers see it, and word-level history."""

from django.contrib import messages
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from releases.models import ReleaseType
from releases.workflow.diff import WordDiffHistoryMixin

WHOLE_ADDRESS = _("Its whole address: {address}")
DATE_TO_COME = _("The date in it becomes the publication date.")
FILES_NOT_KEPT = _(
    "Nothing was saved, and the files you chose were not uploaded: once the errors below are "
    "corrected, choose each file again."
)

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

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The web address shown whole under its field, and kept current as it is edited
        (static/js/admin-web-address.js)."""
        form = super().get_form(request, obj, change=change, **kwargs)
        field = form.base_fields.get("slug")
        if obj is not None and obj.slug and field is not None:
            url = request.build_absolute_uri(obj.get_absolute_url())
            prefix = url.removesuffix(f"{obj.slug}/")
            address = format_html(
                '<code class="web-address">{}<span data-web-address-slug>{}</span>/</code>',
                prefix,
                obj.slug,
            )
            whole = format_html(str(WHOLE_ADDRESS), address=address)
            if obj.publication_date is None:
                whole = format_html("{} {}", whole, DATE_TO_COME)
            field.help_text = format_html("{}<br>{}", field.help_text, whole)
        return form

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        """A release shown read-only shows its body as text, not as markup: the body was
        sanitised when it was saved (releases.text.html.sanitize_body)."""
        release = kwargs.get("obj")
        if change and release is not None and not self.has_change_permission(request, release):
            release.body = mark_safe(release.body or "")
        context["advisory_type"] = ReleaseType.MEDIA_ADVISORY  # the type that has an event
        if request.method == "POST" and request.FILES and context.get("errors"):
            # Browsers never send a chosen file again: say so before the author saves without.
            messages.warning(request, FILES_NOT_KEPT)
        return super().render_change_form(request, context, add=add, change=change, **kwargs)
