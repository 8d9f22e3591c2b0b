"""The release admin: writing, the workflow's buttons and pages (schedule, withdraw,
corrections, previews), history."""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from releases.media.admin import ReleaseDocumentInline, ReleaseImageInline
from releases.models import (
    PreviewLink,
    Quote,
    Release,
    Status,
)
from releases.workflow import publishing
from releases.workflow.desk_admin import DeskAdminMixin  # plain labels, word-level history
from releases.workflow.forms import (
    EDIT_CORRECTION,
    NoteForm,
    ReasonForm,
    ReleaseAdminForm,
    ScheduleForm,
    describe_time,
    newsroom_zone,
)


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 0
    autocomplete_fields = ["spokesperson"]
    fields = ["position", "spokesperson", "text", "attribution"]
    ordering = ["position", "pk"]


def publication_state(release: Release) -> str:
    """“Scheduled for Sun May 9, 2021 06:00 EDT”, “Published …”, or the plain status."""
    if release.is_scheduled or release.is_published:
        local = release.publish_at.astimezone(newsroom_zone())
        when = f"{date_format(local, 'D M j, Y H:i')} {local.tzname()}"
        if release.is_scheduled:
            return _("Scheduled for %(when)s") % {"when": when}
        return _("Published %(when)s") % {"when": when}
    return release.get_status_display()


TWIN_NOT_PUBLISHED_BEFORE = _(
    "The %(language)s version is not published yet (%(state)s): “Publish now” makes only "
    "this version public. To have both go out together, schedule them for the same minute."
)
TWIN_NOT_PUBLISHED_AFTER = _(
    "The %(language)s version is not published yet (%(state)s): only this version is public."
)
TWIN_NOT_SCHEDULED_AFTER = _(
    "The %(language)s version is not scheduled for the same minute (%(state)s): this version "
    "will go out alone."
)


def lone_language_warnings(twins: list[Release], message) -> list[str]:
    return [
        message % {"language": twin.get_language_display(), "state": publication_state(twin)}
        for twin in twins
    ]


# Transitions made with one POST from the change form: name → (function, label, permission).
ONE_CLICK_TRANSITIONS = {
    "submit": (publishing.submit_for_review, _("Submit for review"), publishing.PERM_CHANGE),
    "approve": (publishing.approve, _("Approve"), publishing.PERM_APPROVE),
    "return": (publishing.return_to_draft, _("Return to draft"), publishing.PERM_APPROVE),
    "publish-now": (publishing.publish_now, _("Publish now"), publishing.PERM_PUBLISH),
}


def one_click_allowed(name: str, release: Release) -> bool:
    return {
        "submit": release.status == Status.DRAFT,
        "approve": release.status == Status.IN_REVIEW,
        "return": release.is_schedulable,
        "publish-now": release.is_schedulable,
    }[name]


@admin.register(Release)
class ReleaseAdmin(DeskAdminMixin, SimpleHistoryAdmin):
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
    readonly_fields = ["status", "publish_at", "updated_at", "translations"]
    inlines = [QuoteInline, ReleaseImageInline, ReleaseDocumentInline]
    actions = ["submit_for_review", "approve", "publish_now"]
    history_list_display = ["restore"]
    fieldsets = [
        (
            None,
            {"fields": ["release_type", "language", "headline", "subheadline", "slug"]},
        ),
        (_("Translation"), {"fields": ["translation_of", "translations"]}),
        (_("Dateline"), {"fields": ["dateline_city", "dateline_region"]}),
        (_("Text"), {"fields": ["summary", "body"]}),
        (_("Filing"), {"fields": ["campaign", "topics", "media_contacts"]}),
        (_("Publication"), {"fields": ["status", "publish_at", "updated_at", "version_seen"]}),
    ]

    @admin.display(description=_("state"), ordering="publish_at")
    def state(self, release):
        return publication_state(release)

    # Permissions: authors edit their drafts; the rest of the workflow is the editors'.
    def view_on_site(self, obj):
        """The public page once there is one; before that, the staff preview."""
        if obj.is_on_record:
            return obj.get_absolute_url()
        return reverse("releases:preview", kwargs={"pk": obj.pk})

    def has_delete_permission(self, request, obj=None):
        """A release that went out (or is scheduled to) is unpublished or withdrawn, never
        deleted: its address and feed id are promises, and the workflow keeps the record."""
        if obj is not None and obj.status in (
            Status.PUBLISHED,
            Status.WITHDRAWN,
            Status.UNPUBLISHED,
        ):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        """No bulk delete: it would skip the check above."""
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or obj.status == Status.DRAFT:
            return True
        if obj.status == Status.UNPUBLISHED:
            return False
        return request.user.has_perm(publishing.PERM_APPROVE)

    def has_approve_permission(self, request):
        return request.user.has_perm(publishing.PERM_APPROVE)

    def has_publish_permission(self, request):
        return request.user.has_perm(publishing.PERM_PUBLISH)

    def revert_disabled(self, request, obj=None):
        """Reverting in place would bypass the workflow; a revision is restored as a draft."""
        return True

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and obj.is_published:
            fieldsets.append(
                (_("This release is published"), {"fields": ["edit_kind", "correction_note"]})
            )
        return fieldsets

    @admin.display(description=_("Language versions"))
    def translations(self, release):
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
                    twin.get_status_display(),
                )
                for twin in twins
            ),
        )
        present = {release.language, *(twin.language for twin in twins)}
        add_url = reverse("admin:releases_release_add")
        missing = format_html_join(
            mark_safe("<br>"),
            '<a href="{}?language={}&amp;translation_of={}">{}</a>',
            (
                (
                    add_url,
                    code,
                    release.pk,
                    _("Add the version in %(language)s") % {"language": name},
                )
                for code, name in settings.LANGUAGES
                if code not in present
            ),
        )
        return format_html(
            "{}{}{}", linked, mark_safe("<br>") if twins and missing else "", missing
        )

    def save_model(self, request, obj, form, change):
        expected = form.cleaned_data.get("version_seen") or None
        if not change:
            obj.created_by = request.user
            publishing.save_draft(release=obj, by=request.user)
        elif obj.status in (Status.PUBLISHED, Status.WITHDRAWN):
            if form.cleaned_data.get("edit_kind") == EDIT_CORRECTION:
                publishing.correct(
                    release=obj,
                    by=request.user,
                    note=form.cleaned_data["correction_note"],
                    expected_version=expected,
                )
            else:
                publishing.minor_edit(release=obj, by=request.user, expected_version=expected)
        else:
            publishing.save_draft(release=obj, by=request.user, expected_version=expected)

    # The workflow's own pages.
    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(function)

        return [
            path(
                "<path:object_id>/transition/<slug:name>/",
                view(self.transition_view),
                name="releases_release_transition",
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

    def workflow_links(self, request, release: Release) -> dict:
        """The actions this user may take on this release now, for the change form."""
        user = request.user
        buttons = [
            {
                "name": name,
                "label": label,
                "url": reverse("admin:releases_release_transition", args=[release.pk, name]),
            }
            for name, (_function, label, permission) in ONE_CLICK_TRANSITIONS.items()
            if user.has_perm(permission) and one_click_allowed(name, release)
        ]
        links = []
        if user.has_perm(publishing.PERM_PUBLISH) and release.is_schedulable:
            links.append((_("Schedule…"), "admin:releases_release_schedule"))
        if user.has_perm(publishing.PERM_WITHDRAW) and release.is_published:
            links.append((_("Withdraw…"), "admin:releases_release_withdraw"))
        if user.has_perm(publishing.PERM_WITHDRAW) and release.is_on_record:
            links.append((_("Unpublish…"), "admin:releases_release_unpublish"))
        if user.has_perm(publishing.PERM_PREVIEW) and not release.is_on_record:
            links.append((_("Preview links…"), "admin:releases_release_preview_links"))
        warnings = []
        if any(button["name"] == "publish-now" for button in buttons):
            warnings = lone_language_warnings(
                publishing.twins_left_behind(release, at=timezone.now()),
                TWIN_NOT_PUBLISHED_BEFORE,
            )
        return {
            "workflow_buttons": buttons,
            "workflow_warnings": warnings,
            "workflow_links": [
                {"label": label, "url": reverse(name, args=[release.pk])} for label, name in links
            ],
            "workflow_state": publication_state(release),
            "preview_url": reverse("releases:preview", args=[release.pk])
            if not release.is_on_record
            else None,
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        release = self.get_object(request, object_id)
        if release is not None:
            extra_context = (extra_context or {}) | self.workflow_links(request, release)
        return super().change_view(request, object_id, form_url, extra_context)

    def _release_or_404(self, request, object_id) -> Release:
        release = self.get_object(request, object_id)
        if release is None or not self.has_view_permission(request, release):
            raise Http404
        return release

    def _back_to(self, release):
        return HttpResponseRedirect(reverse("admin:releases_release_change", args=[release.pk]))

    def _expected_version(self, request) -> int | None:
        try:
            return int(request.POST.get("version_seen", ""))
        except ValueError:
            return None

    def transition_view(self, request, object_id, name):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if name not in ONE_CLICK_TRANSITIONS:
            raise Http404
        release = self._release_or_404(request, object_id)
        function, label, _permission = ONE_CLICK_TRANSITIONS[name]
        try:
            function(
                release=release, by=request.user, expected_version=self._expected_version(request)
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, _("%(action)s: done.") % {"action": label})
            if name == "publish-now":
                self._warn_lone_language(request, release, TWIN_NOT_PUBLISHED_AFTER)
        return self._back_to(release)

    def _warn_lone_language(self, request, release, message, *, prefix=""):
        """Publishing one language without the other is allowed, but never silent."""
        for warning in lone_language_warnings(publishing.twins_left_behind(release), message):
            self.message_user(request, f"{prefix}{warning}", messages.WARNING)

    def _form_page(self, request, release, form, title, **context):
        return TemplateResponse(
            request,
            "admin/releases/release/workflow_form.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": release,
                "title": title,
                "form": form,
                "state": publication_state(release),
                **context,
            },
        )

    def _require(self, request, permission):
        if not request.user.has_perm(permission):
            raise PermissionDenied

    def schedule_view(self, request, object_id):
        release = self._release_or_404(request, object_id)
        self._require(request, publishing.PERM_PUBLISH)
        twins = [(twin, publication_state(twin)) for twin in publishing.twins_of(release)]
        form = ScheduleForm(request.POST or None, twins=twins)
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
            else:
                for each in scheduled:
                    self.message_user(
                        request,
                        f"{each} — {publication_state(each)} · {describe_time(each.publish_at)}",
                    )
                self._warn_lone_language(request, release, TWIN_NOT_SCHEDULED_AFTER)
                return self._back_to(release)
        now = timezone.now()
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
        )

    def withdraw_view(self, request, object_id):
        release = self._release_or_404(request, object_id)
        self._require(request, publishing.PERM_WITHDRAW)
        form = ReasonForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                publishing.withdraw(
                    release=release,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    expected_version=self._expected_version(request),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, _("The release is withdrawn."))
                return self._back_to(release)
        return self._form_page(
            request,
            release,
            form,
            _("Withdraw “%(release)s”") % {"release": release},
            submit_label=_("Withdraw"),
            explanation=_(
                "Its page stays, with a banner and your reason; it leaves the home "
                "page, lists, search and feeds and stays in the archives, marked."
            ),
        )

    def unpublish_view(self, request, object_id):
        release = self._release_or_404(request, object_id)
        self._require(request, publishing.PERM_WITHDRAW)
        form = NoteForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                publishing.unpublish(
                    release=release,
                    by=request.user,
                    note=form.cleaned_data["note"],
                    expected_version=self._expected_version(request),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request, _("The release is unpublished; its address answers 410 Gone.")
                )
                return self._back_to(release)
        return self._form_page(
            request,
            release,
            form,
            _("Unpublish “%(release)s”") % {"release": release},
            submit_label=_("Unpublish"),
            explanation=_(
                "For a release published in error: it leaves every page and feed, "
                "and its address answers “410 Gone”."
            ),
        )

    def preview_links_view(self, request, object_id):
        release = self._release_or_404(request, object_id)
        self._require(request, publishing.PERM_PREVIEW)
        if request.method == "POST":
            revoke = request.POST.get("revoke")
            if revoke:
                if not revoke.isdigit():
                    raise Http404("No such preview link")
                link = get_object_or_404(PreviewLink, pk=revoke, release=release)
                publishing.revoke_preview_link(link=link, by=request.user)
                self.message_user(request, _("The preview link is revoked."))
            else:
                _link, token = publishing.create_preview_link(release=release, by=request.user)
                url = request.build_absolute_uri(reverse("releases:preview-link", args=[token]))
                self.message_user(
                    request,
                    format_html(
                        '{} <a href="{}">{}</a>',
                        _("New preview link, valid seven days; send it to your reviewer:"),
                        url,
                        url,
                    ),
                )
            return HttpResponseRedirect(request.path)
        return self._form_page(
            request,
            release,
            None,
            _("Preview links of “%(release)s”") % {"release": release},
            submit_label=_("Create a preview link"),
            explanation=_(
                "A preview link lets someone without an account read the release "
                "before it is public. It works for seven days, until you revoke it, "
                "or until the release is public (it then leads to the public page)."
            ),
            preview_links=release.preview_links.all(),
        )

    def restore_view(self, request, object_id, history_id):
        release = self._release_or_404(request, object_id)
        self._require(request, publishing.PERM_ADD)
        revision = release.history.filter(history_id=history_id).first()
        if revision is None:
            raise Http404
        if request.method == "POST":
            draft = publishing.restore_revision(
                release=release, history_id=history_id, by=request.user
            )
            self.message_user(request, _("Revision restored as a new draft."))
            return self._back_to(draft)
        return self._form_page(
            request,
            release,
            None,
            _("Restore a revision of “%(release)s”") % {"release": release},
            submit_label=_("Restore as a new draft"),
            explanation=_(
                "A new draft is made from the revision of %(when)s, with its quotes; "
                "the release itself is not changed."
            )
            % {"when": describe_time(revision.history_date)},
        )

    @admin.display(description=_("restore"))
    def restore(self, revision):
        url = reverse(
            "admin:releases_release_restore", args=[revision.instance.pk, revision.history_id]
        )
        return format_html('<a href="{}">{}</a>', url, _("Restore as a new draft"))

    # List actions.
    def _run_action(self, request, queryset, function, done) -> list[Release]:
        changed = []
        for release in queryset:
            try:
                function(release=release, by=request.user)
                changed.append(release)
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(getattr(error, "messages", [str(error)]))
                self.message_user(request, f"{release}: {text}", messages.ERROR)
        if changed:
            self.message_user(request, done % {"count": len(changed)})
        return changed

    @admin.action(description=_("Submit for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._run_action(
            request,
            queryset,
            publishing.submit_for_review,
            _("%(count)s release(s) submitted for review."),
        )

    @admin.action(description=_("Approve"), permissions=["approve"])
    def approve(self, request, queryset):
        self._run_action(request, queryset, publishing.approve, _("%(count)s release(s) approved."))

    @admin.action(description=_("Publish now"), permissions=["publish"])
    def publish_now(self, request, queryset):
        published = self._run_action(
            request, queryset, publishing.publish_now, _("%(count)s release(s) published.")
        )
        for release in published:
            self._warn_lone_language(
                request, release, TWIN_NOT_PUBLISHED_AFTER, prefix=f"{release}: "
            )
