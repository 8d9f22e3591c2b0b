"""The admin's inlines for images and documents: uploads checked beside their field, the
stored file shown."""

from django.conf import settings
from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationStackedInline

from releases.admin_mixins import ModelFieldsWhenReadOnly, SideBySideTranslations
from releases.media.forms import DocumentUploadForm, ImageUploadForm, SharingImageForm
from releases.models import (
    CampaignVisual,
    ReleaseDocument,
    ReleaseImage,
    SharingImage,
    SpokespersonHeadshot,
)
from releases.text.languages import language_in_sentence


class ImageInline(ModelFieldsWhenReadOnly, admin.StackedInline):
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


# Under the other language's alt text or caption: what an empty one leaves readers.
LEFT_EMPTY_HELP = {
    "alt_text": _(
        "What the image shows, in %(language)s. Left empty, pages in %(language)s show the alt "
        "text in %(default)s."
    ),
    "caption": _("Left empty, pages in %(language)s show the caption in %(default)s."),
}


class BilingualImageInline(SideBySideTranslations, ImageInline, TranslationStackedInline):
    """The image of something shown in both languages: its alt text (and caption) in each,
    side by side; the default language's is required, the others fall back to it."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        language = getattr(db_field, "language", None)  # a translation field's
        if field is not None and language not in (None, settings.LANGUAGE_CODE):
            field.help_text = LEFT_EMPTY_HELP[db_field.translated_field.name] % {
                "language": language_in_sentence(language),
                "default": language_in_sentence(settings.LANGUAGE_CODE),
            }
        return field


class CampaignVisualInline(BilingualImageInline):
    model = CampaignVisual
    max_num = 1


class SpokespersonHeadshotInline(BilingualImageInline):
    model = SpokespersonHeadshot
    max_num = 1


class SharingImageInline(BilingualImageInline):
    """The organisation's sharing image: what a shared link shows when its page has none."""

    model = SharingImage
    form = SharingImageForm
    max_num = 1
    fields = ["preview", "upload", "alt_text", "credit", "licence"]


class ReleaseDocumentInline(ModelFieldsWhenReadOnly, admin.StackedInline):
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
