"""The release admin: writing, and the workflow's buttons and pages, each job in its module
(transitions, schedule, withdraw, corrections, previews, history). Which actions a person is
offered, and the permissions, come from the workflow (``publishing.available_actions``)."""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from formats.admin import AdvisoryEventInline
from releases.admin_mixins import ModelFieldsWhenReadOnly, SafeAutocomplete
from releases.media.admin import ReleaseDocumentInline, ReleaseImageInline
from releases.models import Quote, Release
from releases.search import query as search_query
from releases.text.languages import language_in_sentence
from releases.workflow import publishing, reviews
from releases.workflow.admin.checklist import ChecklistMixin
from releases.workflow.admin.confirm import PublishNowMixin
from releases.workflow.admin.corrections import CorrectionsMixin
from releases.workflow.admin.history import HistoryMixin
from releases.workflow.admin.live_preview import LivePreviewMixin
from releases.workflow.admin.pages import WorkflowPagesMixin, publication_state
from releases.workflow.admin.previews import PreviewLinksMixin
from releases.workflow.admin.schedule import ScheduleMixin
from releases.workflow.admin.transitions import TransitionsMixin
from releases.workflow.admin.translate import TranslateMixin
from releases.workflow.admin.withdraw import WithdrawMixin
from releases.workflow.desk_admin import DeskAdminMixin
from releases.workflow.forms import ReleaseAdminForm
from releases.workflow.states import desk_moment, state_label


def _listed_only(fields) -> list:
    """``fields`` with the language versions listed but not offered to be added."""
    return ["translations_listed" if name == "translations" else name for name in fields]


class QuoteInline(SafeAutocomplete, ModelFieldsWhenReadOnly, admin.StackedInline):
    model = Quote
    extra = 0
    autocomplete_fields = ["spokesperson"]
    fields = ["position", "spokesperson", "text", "attribution"]
    ordering = ["position", "pk"]

    def get_queryset(self, request):
        """Each quote with its release: its heading (``Quote.__str__``) takes the release's
        quotation marks, one query per quote otherwise."""
        return super().get_queryset(request).select_related("release")


class ReleaseChangeList(ChangeList):
    """The list of releases, each release of the page carrying its outside reviewer's standing
    request for changes (``changes_asked``, read in one query for the page)."""

    def get_results(self, request):
        super().get_results(request)
        reviews.mark_changes_asked(self.result_list)


@admin.register(Release)
class ReleaseAdmin(
    SafeAutocomplete,
    ModelFieldsWhenReadOnly,
    DeskAdminMixin,
    TransitionsMixin,
    ChecklistMixin,
    PublishNowMixin,
    ScheduleMixin,
    TranslateMixin,
    LivePreviewMixin,
    WithdrawMixin,
    CorrectionsMixin,
    PreviewLinksMixin,
    HistoryMixin,
    WorkflowPagesMixin,
    SimpleHistoryAdmin,
):
    form = ReleaseAdminForm
    change_form_template = "admin/releases/release/change_form.html"
    list_display = [
        "headline",
        "release_type",
        "state",
        "campaign",
        "language",
        "is_published",
    ]
    list_filter = ["status", "release_type", "language", "campaign", "topics"]
    list_select_related = ["campaign"]
    search_fields = ["headline", "subheadline", "slug"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["campaign", "topics", "media_contacts"]
    readonly_fields = ["publication_status", "publication_time", "updated_at", "translations"]
    inlines = [QuoteInline, ReleaseImageInline, ReleaseDocumentInline, AdvisoryEventInline]
    actions = ["submit_for_review", "approve", "publish_now"]
    history_list_display = ["restore"]
    fieldsets = [
        (
            None,
            {"fields": ["release_type", "language", "headline", "subheadline", "slug"]},
        ),
        (_("Translation"), {"fields": ["translation_of", "translations", "needs_translation"]}),
        (_("Dateline"), {"fields": ["dateline_city", "dateline_region"]}),
        (_("Text"), {"fields": ["summary", "body"]}),
        (_("Filing"), {"fields": ["campaign", "topics", "media_contacts"]}),
        (
            _("Publication"),
            {"fields": ["publication_status", "publication_time", "updated_at", "version_seen"]},
        ),
    ]

    # Named as its filter and the form's field are (“Status”, « Statut »).
    @admin.display(
        description=Release._meta.get_field("status").verbose_name, ordering="publish_at"
    )
    def state(self, release):
        asked = getattr(release, "changes_asked", None)
        if asked is None:
            return publication_state(release)
        shown = render_to_string("admin/includes/desk_changes_asked.html", {"asked": asked})
        return format_html("{}<br>{}", publication_state(release), mark_safe(shown))

    def get_changelist(self, request, **kwargs):
        return ReleaseChangeList

    def get_search_results(self, request, queryset, search_term):
        """Django's search of the headline, subheadline and slug as typed, and the search
        index's words of the headline, subheadline, summary and quotes, whatever the accents
        and case: “securite” finds « Sécurité routière », as the public search does (neither
        SQLite's LIKE nor PostgreSQL's ILIKE ignores accents)."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            found |= queryset.filter(search_query.words_in_titles(search_term))
        return found, may_have_duplicates

    def get_changeform_initial_data(self, request):
        """A new release starts in the language the admin speaks: a French-speaking officer
        writes in French. A link that names one (“Add the French version”) still decides."""
        initial = super().get_changeform_initial_data(request)
        if translation.get_language() in dict(settings.LANGUAGES):
            initial.setdefault("language", translation.get_language())
        return initial

    # The change form says “Scheduled” of a release whose time has not come, as the desk does:
    # its status alone (“Published”) would tell an officer it is already public.
    @admin.display(description=Release._meta.get_field("status").verbose_name)
    def publication_status(self, release):
        return state_label(release)

    @admin.display(description=Release._meta.get_field("publish_at").verbose_name)
    def publication_time(self, release):
        """In the newsroom's zone, named: “Thu Dec 3, 2026 09:00 EST”."""
        return desk_moment(release.publish_at) if release.publish_at else "—"

    # Permissions: authors edit their drafts; the rest of the workflow is the editors'.
    def view_on_site(self, obj):
        """The public page once there is one; before that, the staff preview."""
        preview = publishing.RULES["preview"]
        if preview.allows(obj):
            return reverse(preview.url_name, kwargs={"pk": obj.pk})
        return obj.get_absolute_url()

    def has_delete_permission(self, request, obj=None):
        """A release that went out (or is scheduled to) is unpublished or withdrawn, never
        deleted (the workflow's rule)."""
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or publishing.action_option(obj, request.user, "delete").allowed

    def delete_model(self, request, obj):
        publishing.delete(release=obj, by=request.user)

    def get_actions(self, request):
        """No bulk delete: it would skip the check above."""
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_change_permission(self, request, obj=None):
        """Authors edit their drafts; the rest is the editors' (the workflow's "edit" rule)."""
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or publishing.action_option(obj, request.user, "edit").allowed

    def get_fieldsets(self, request, obj=None):
        """Without the right to add releases, the language versions are listed without the
        links that start a missing one (each would lead to a refusal)."""
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_add_permission(request):
            return fieldsets
        return [
            (title, {**options, "fields": _listed_only(options["fields"])})
            for title, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return fields if self.has_add_permission(request) else _listed_only(fields)

    @admin.display(description=_("Language versions"))
    def translations(self, release):
        return self.language_versions(release, offer_missing=True)

    @admin.display(description=_("Language versions"))
    def translations_listed(self, release):
        return self.language_versions(release, offer_missing=False)

    def language_versions(self, release, *, offer_missing: bool):
        if not release.pk:
            return _("Save the release first, then add or link its translation.")
        twins = list(Release.objects.twins_of(release))
        linked = format_html_join(
            mark_safe("<br>"),
            '<a href="{}" hreflang="{}">{} — {}</a> ({})',
            (
                (
                    reverse("admin:releases_release_change", args=[twin.pk]),
                    twin.language,
                    twin.get_language_display(),
                    twin.headline,
                    state_label(twin),
                )
                for twin in twins
            ),
        )
        present = {release.language, *(twin.language for twin in twins)}
        missing = format_html_join(
            mark_safe("<br>"),
            '<a href="{}">{}</a>',
            (
                (
                    reverse("admin:releases_release_translate", args=[release.pk, code]),
                    _("Add the version in %(language)s") % {"language": language_in_sentence(code)},
                )
                for code, _name in settings.LANGUAGES
                if code not in present and offer_missing
            ),
        )
        return format_html(
            "{}{}{}", linked, mark_safe("<br>") if twins and missing else "", missing
        )

    # The workflow's own pages.
    def get_urls(self):
        view = self.workflow_page

        return [
            path(
                "<path:object_id>/transition/<slug:name>/",
                view(self.transition_view),
                name="releases_release_transition",
            ),
            path(
                "<path:object_id>/publish-now/",
                view(self.publish_now_view),
                name="releases_release_publish_now",
            ),
            path(
                "<path:object_id>/translate/<slug:language>/",
                view(self.translate_view),
                name="releases_release_translate",
            ),
            path(
                "<path:object_id>/live-preview/",
                view(self.live_preview_view),
                name="releases_release_live_preview",
            ),
            path(
                "<path:object_id>/schedule/",
                view(self.schedule_view),
                name="releases_release_schedule",
            ),
            path(
                "<path:object_id>/withdraw/",
                view(self.withdraw_view),
                name="releases_release_withdraw",
            ),
            path(
                "<path:object_id>/unpublish/",
                view(self.unpublish_view),
                name="releases_release_unpublish",
            ),
            path(
                "<path:object_id>/preview-links/",
                view(self.preview_links_view),
                name="releases_release_preview_links",
            ),
            path(
                "<path:object_id>/history/<int:history_id>/restore/",
                view(self.restore_view),
                name="releases_release_restore",
            ),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        release = self.get_object(request, object_id)
        if release is not None:
            extra_context = (extra_context or {}) | self.workflow_links(request, release)
        return super().change_view(request, object_id, form_url, extra_context)
