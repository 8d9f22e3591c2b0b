from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from releases import publishing
from releases.documents import DocumentUploadForm
from releases.images import ImageUploadForm
from releases.models import (
    Campaign,
    CampaignVisual,
    MediaContact,
    Organisation,
    Quote,
    Release,
    ReleaseDocument,
    ReleaseImage,
    Spokesperson,
    SpokespersonHeadshot,
    Topic,
)

admin.site.site_header = _("Newsroom administration")
admin.site.site_title = _("Newsroom")
admin.site.index_title = _("Releases, campaigns and people")


@admin.register(Organisation)
class OrganisationAdmin(TranslationAdmin):
    filter_horizontal = ["default_media_contacts"]

    def has_add_permission(self, request):
        """There is one organisation per newsroom."""
        return super().has_add_permission(request) and not Organisation.objects.exists()


@admin.register(Topic)
class TopicAdmin(TranslationAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name_en", "name_fr", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(MediaContact)
class MediaContactAdmin(TranslationAdmin):
    list_display = ["name", "role", "email", "phone"]
    search_fields = ["name", "role_en", "role_fr", "email"]


class ImageInline(admin.StackedInline):
    """Images of any kind: the upload is checked by ``ImageUploadForm`` and the stored
    thumbnail shown beside it."""

    form = ImageUploadForm
    extra = 0
    fields = ["preview", "upload", "alt_text", "caption", "credit", "licence"]
    readonly_fields = ["preview"]

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if not obj or not obj.thumbnail_url:
            return _("(none yet)")
        return format_html(
            '<img class="image-preview" src="{}" alt="{}" width="200"> <span>{}×{} {}</span>',
            obj.thumbnail_url,
            obj.alt_text,
            obj.width,
            obj.height,
            obj.format,
        )


class ReleaseImageInline(ImageInline):
    model = ReleaseImage
    fields = [*ImageInline.fields, "position"]
    ordering = ["position", "pk"]


class CampaignVisualInline(ImageInline):
    model = CampaignVisual
    max_num = 1


class SpokespersonHeadshotInline(ImageInline):
    model = SpokespersonHeadshot
    max_num = 1


class ReleaseDocumentInline(admin.TabularInline):
    model = ReleaseDocument
    form = DocumentUploadForm
    extra = 0
    fields = ["title", "upload", "stored_file", "position"]
    readonly_fields = ["stored_file"]
    ordering = ["position", "pk"]

    @admin.display(description=_("stored file"))
    def stored_file(self, obj):
        if not obj or not obj.file:
            return _("(none yet)")
        return format_html(
            '<a href="{}">{}</a> ({})',
            obj.get_absolute_url(),
            obj.download_name,
            filesizeformat(obj.size),
        )


@admin.register(Campaign)
class CampaignAdmin(TranslationAdmin):
    list_display = ["__str__", "theme", "start_date", "end_date", "hashtag"]
    list_filter = ["edition"]
    search_fields = ["name_en", "name_fr", "theme_en", "theme_fr", "hashtag", "slug"]
    prepopulated_fields = {"slug": ["name_en", "edition"]}
    date_hierarchy = "start_date"
    autocomplete_fields = ["first_edition"]
    inlines = [CampaignVisualInline]


@admin.register(Spokesperson)
class SpokespersonAdmin(TranslationAdmin):
    list_display = ["name", "honorific", "title", "organisation_name"]
    search_fields = ["name", "title_en", "title_fr", "organisation_name_en"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SpokespersonHeadshotInline]


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 0
    autocomplete_fields = ["spokesperson"]
    fields = ["position", "spokesperson", "text", "attribution"]
    ordering = ["position", "pk"]


@admin.register(Release)
class ReleaseAdmin(SimpleHistoryAdmin):
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
    readonly_fields = ["status", "publish_at", "updated_at"]
    inlines = [QuoteInline, ReleaseImageInline, ReleaseDocumentInline]
    actions = ["publish_now"]
    fieldsets = [
        (
            None,
            {"fields": ["release_type", "language", "headline", "subheadline", "slug"]},
        ),
        (_("Dateline"), {"fields": ["dateline_city", "dateline_region"]}),
        (_("Text"), {"fields": ["summary", "body"]}),
        (_("Filing"), {"fields": ["campaign", "topics", "media_contacts"]}),
        (_("Publication"), {"fields": ["status", "publish_at", "updated_at"]}),
    ]

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
