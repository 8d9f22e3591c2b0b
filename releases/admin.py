import uuid

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from releases import publishing
from releases.languages import validate_twin
from releases.models import (
    Campaign,
    MediaContact,
    Organisation,
    Quote,
    Release,
    Spokesperson,
    Topic,
)

admin.site.site_header = _("Newsroom administration")
admin.site.site_title = _("Newsroom")
admin.site.index_title = _("Releases, campaigns and people")


class SideBySideTranslationAdmin(TranslationAdmin):
    """Each translated field's language versions on one row, labelled with the language."""

    class Media:
        css = {"all": ["css/admin_translations.css"]}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        original = getattr(db_field, "translated_field", None)
        if field is not None and original is not None:
            # Each language named in its own tongue, as the public switcher does.
            language = get_language_info(db_field.language)["name_local"]
            field.label = f"{capfirst(original.verbose_name)} ({language})"
        return field

    def get_fieldsets(self, request, obj=None):
        originals = {
            translated.name: name
            for name, fields in self.trans_opts.all_fields.items()
            for translated in fields
        }
        grouped = []
        for title, options in super().get_fieldsets(request, obj):
            rows = []
            for field in options.get("fields", ()):
                original = originals.get(field) if isinstance(field, str) else None
                if original and rows and isinstance(rows[-1], tuple):
                    if originals.get(rows[-1][0]) == original:
                        rows[-1] = (*rows[-1], field)
                        continue
                rows.append((field,) if original else field)
            grouped.append((title, {**options, "fields": rows}))
        return grouped


@admin.register(Organisation)
class OrganisationAdmin(SideBySideTranslationAdmin):
    filter_horizontal = ["default_media_contacts"]

    def has_add_permission(self, request):
        """There is one organisation per newsroom."""
        return super().has_add_permission(request) and not Organisation.objects.exists()


@admin.register(Topic)
class TopicAdmin(SideBySideTranslationAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name_en", "name_fr", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(MediaContact)
class MediaContactAdmin(SideBySideTranslationAdmin):
    list_display = ["name", "role", "email", "phone"]
    search_fields = ["name", "role_en", "role_fr", "email"]


@admin.register(Campaign)
class CampaignAdmin(SideBySideTranslationAdmin):
    list_display = ["__str__", "theme", "start_date", "end_date", "hashtag"]
    list_filter = ["edition"]
    search_fields = ["name_en", "name_fr", "theme_en", "theme_fr", "hashtag", "slug"]
    prepopulated_fields = {"slug": ["name_en", "edition"]}
    date_hierarchy = "start_date"
    autocomplete_fields = ["first_edition"]


@admin.register(Spokesperson)
class SpokespersonAdmin(SideBySideTranslationAdmin):
    list_display = ["name", "honorific", "title", "organisation_name"]
    search_fields = ["name", "title_en", "title_fr", "organisation_name_en"]
    prepopulated_fields = {"slug": ["name"]}


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 0
    autocomplete_fields = ["spokesperson"]
    fields = ["position", "spokesperson", "text", "attribution"]
    ordering = ["position", "pk"]


class ReleaseAdminForm(forms.ModelForm):
    """The release with a link to its translation (the twin shares its translation group)."""

    translation_of = forms.ModelChoiceField(
        label=_("Translation of"),
        queryset=Release.objects.none(),
        required=False,
        help_text=_(
            "The same release in another language. Each language version is its own release; "
            "linking them lets readers switch between them. Leave empty to unlink."
        ),
    )

    class Meta:
        model = Release
        fields = [
            "release_type",
            "language",
            "headline",
            "subheadline",
            "slug",
            "dateline_city",
            "dateline_region",
            "summary",
            "body",
            "campaign",
            "topics",
            "media_contacts",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        release = self.instance
        twins = Release.objects.none()
        if release.pk:
            twins = Release.objects.filter(translation_group=release.translation_group).exclude(
                pk=release.pk
            )
            self.initial.setdefault("translation_of", twins.order_by("language").first())
        # Offer what can still be linked: releases still missing a language, and the twins.
        incomplete = (
            Release.objects.values("translation_group")
            .annotate(versions=Count("pk"))
            .filter(versions__lt=len(settings.LANGUAGES))
            .values("translation_group")
        )
        candidates = Release.objects.filter(translation_group__in=incomplete)
        if release.pk:
            candidates = candidates.exclude(translation_group=release.translation_group)
        # Any release may be chosen (clean() says why one cannot); the list offers those above.
        field = self.fields["translation_of"]
        field.queryset = Release.objects.all()
        field.widget.choices = [("", "---------")] + [
            (twin.pk, f"[{twin.language}] {twin.headline}")
            for twin in (candidates | twins).order_by("-publish_at", "-pk")
        ]

    def clean(self):
        cleaned = super().clean()
        twin, language = cleaned.get("translation_of"), cleaned.get("language")
        if twin is not None and language:
            try:
                validate_twin(self.instance, twin, language)
            except ValidationError as error:
                self.add_error("translation_of", error)
                return cleaned
            self.instance.translation_group = twin.translation_group
        elif twin is None and self.initial.get("translation_of") is not None:
            self.instance.translation_group = uuid.uuid4()
        return cleaned


@admin.register(Release)
class ReleaseAdmin(SimpleHistoryAdmin):
    form = ReleaseAdminForm
    list_display = [
        "headline",
        "release_type",
        "status",
        "publish_at",
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
    inlines = [QuoteInline]
    actions = ["publish_now"]
    fieldsets = [
        (
            None,
            {"fields": ["release_type", "language", "headline", "subheadline", "slug"]},
        ),
        (_("Translation"), {"fields": ["translation_of", "translations"]}),
        (_("Dateline"), {"fields": ["dateline_city", "dateline_region"]}),
        (_("Text"), {"fields": ["summary", "body"]}),
        (_("Filing"), {"fields": ["campaign", "topics", "media_contacts"]}),
        (_("Publication"), {"fields": ["status", "publish_at", "updated_at"]}),
    ]

    @admin.display(description=_("Language versions"))
    def translations(self, release):
        if not release.pk:
            return _("Save the release first, then add or link its translation.")
        twins = list(
            Release.objects.filter(translation_group=release.translation_group)
            .exclude(pk=release.pk)
            .order_by("language")
        )
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
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Publish now"), permissions=["change"])
    def publish_now(self, request, queryset):
        for release in queryset:
            try:
                publishing.publish(release=release, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{release}: {error.messages[0]}", messages.ERROR)
