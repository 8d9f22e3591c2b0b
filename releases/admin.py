from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import ValidationError
from django.db.models import Case, CharField, OuterRef, QuerySet, Subquery, When
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from releases.accounts import hide_sign_in_records_from_staff
from releases.admin_mixins import (
    FoldedSearch,
    ModelFieldsWhenReadOnly,
    SafeAutocomplete,
    SideBySideTranslations,
)
from releases.media.admin import (
    CampaignVisualInline,
    SharingImageInline,
    SpokespersonHeadshotInline,
)
from releases.media.images import validate_image_upload
from releases.models import (
    Campaign,
    FormerSlug,
    MediaContact,
    Organisation,
    Spokesperson,
    Topic,
    slugs,
)
from releases.public.icons import versioned
from releases.workflow import admin as workflow_admin  # noqa: F401  (registers the release admin)

hide_sign_in_records_from_staff()


class SideBySideTranslationAdmin(SideBySideTranslations, ModelFieldsWhenReadOnly, TranslationAdmin):
    """Each translated field's language versions on one row, labelled with the language."""


class LogoInput(widgets.AdminFileWidget):
    """The stored logo shown as the site's icon made from it: the upload itself is never
    served, so Django's link to it would lead to a 404. At the address pages link it with
    (``?v=``, the stored organisation's icons' version): at the bare one, browsers kept
    showing the icon of the logo before for a day after a new one was uploaded."""

    template_name = "admin/widgets/logo_input.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["icon_url"] = versioned(
            reverse("icon", args=[192]), Organisation.current_cached()
        )
        return context


class OrganisationForm(forms.ModelForm):
    """The logo is checked like every image (format by content, size, decompression bombs), and
    refused with the reason when no icon can be made from it."""

    # Below this, the largest icons made from the logo are enlarged, and look blurred.
    LOGO_WIDTH_WANTED = 512
    # Below this, even the small icons would be enlarged past recognition.
    LOGO_WIDTH_REQUIRED = 64

    class Meta:
        widgets = {"logo": LogoInput}
        # Checked in clean_logo, which names the problem: Django's image field would first
        # answer that an SVG is "not an image or a corrupted image".
        field_classes = {"logo": forms.FileField}

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        self.narrow_logo_width = None
        if logo and hasattr(logo, "content_type"):  # a new upload, not the stored file
            if is_svg(logo):
                raise ValidationError(
                    _(
                        "SVG logos are not supported: upload a PNG, JPEG or WebP image, at least "
                        "%(wanted)s pixels wide."
                    ),
                    code="svg",
                    params={"wanted": self.LOGO_WIDTH_WANTED},
                )
            width = validate_image_upload(logo).image.width
            if width < self.LOGO_WIDTH_REQUIRED:
                raise ValidationError(
                    _(
                        "The logo is %(width)s pixels wide: too small to make any icon from. "
                        "Upload one at least %(required)s pixels wide, and %(wanted)s if you can."
                    ),
                    code="too_narrow",
                    params={
                        "width": width,
                        "required": self.LOGO_WIDTH_REQUIRED,
                        "wanted": self.LOGO_WIDTH_WANTED,
                    },
                )
            if width < self.LOGO_WIDTH_WANTED:
                self.narrow_logo_width = width
            logo.seek(0)
        return logo


def is_svg(upload) -> bool:
    """True for an SVG file, by its name or by its first bytes (an XML or ``<svg`` start)."""
    if upload.name and upload.name.lower().endswith((".svg", ".svgz")):
        return True
    upload.seek(0)
    start = upload.read(1024).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    upload.seek(0)
    return start.startswith((b"<svg", b"<?xml")) and b"<svg" in start


@admin.register(Organisation)
class OrganisationAdmin(SafeAutocomplete, SideBySideTranslationAdmin):
    form = OrganisationForm
    # Chosen as a release's contacts are: Django's two-list widget names its filter icons in a
    # way screen readers are not given (axe: aria-prohibited-attr).
    autocomplete_fields = ["default_media_contacts"]
    inlines = [SharingImageInline]

    def has_add_permission(self, request):
        """There is one organisation per newsroom."""
        return super().has_add_permission(request) and not Organisation.objects.exists()

    def has_delete_permission(self, request, obj=None):
        """Never from the admin: every page, feed and email would silently lose its name."""
        return False

    def changelist_view(self, request, extra_context=None):
        """The organisation's form, not a list of one row: its change page, or the add page
        while there is none (a list only for a related-object popup, or for staff who may
        neither change nor add it, who are refused as before)."""
        if IS_POPUP_VAR not in request.GET:
            organisation = Organisation.objects.only("pk").first()
            if organisation and self.has_view_or_change_permission(request, organisation):
                return redirect("admin:releases_organisation_change", organisation.pk)
            if organisation is None and self.has_add_permission(request):
                return redirect("admin:releases_organisation_add")
        return super().changelist_view(request, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """Without "Save and add another": a second organisation is refused."""
        context["show_save_and_add_another"] = False
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if width := getattr(form, "narrow_logo_width", None):
            message = gettext(
                "The logo is %(width)s pixels wide: the icons made from it, up to %(wanted)s "
                "pixels, will look blurred. Upload one at least %(wanted)s pixels wide when "
                "you can."
            )
            wanted = OrganisationForm.LOGO_WIDTH_WANTED
            messages.warning(request, message % {"width": width, "wanted": wanted})


@admin.register(Topic)
class TopicAdmin(FoldedSearch, SideBySideTranslationAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name_en", "name_fr", "slug_en", "slug_fr"]
    # Each language's slug from that language's name (modeltranslation: slug_fr from name_fr).
    prepopulated_fields = {"slug": ["name"]}


@admin.register(MediaContact)
class MediaContactAdmin(FoldedSearch, SideBySideTranslationAdmin):
    list_display = ["name", "role", "email", "phone"]
    search_fields = ["name", "role_en", "role_fr", "email"]


@admin.register(Campaign)
class CampaignAdmin(FoldedSearch, SafeAutocomplete, SideBySideTranslationAdmin):
    list_display = ["__str__", "theme", "start_date", "end_date", "hashtag"]
    list_filter = ["edition"]
    search_fields = [
        "name_en",
        "name_fr",
        "theme_en",
        "theme_fr",
        "hashtag",
        "slug_en",
        "slug_fr",
    ]
    # Each language's slug from that language's name (modeltranslation: slug_fr from name_fr).
    prepopulated_fields = {"slug": ["name", "edition"]}
    date_hierarchy = "start_date"
    autocomplete_fields = ["first_edition"]
    inlines = [CampaignVisualInline]


@admin.register(Spokesperson)
class SpokespersonAdmin(FoldedSearch, SideBySideTranslationAdmin):
    list_display = ["name", "honorific", "title", "organisation_name"]
    search_fields = ["name", "title_en", "title_fr", "organisation_name_en"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SpokespersonHeadshotInline]


@admin.register(FormerSlug)
class FormerSlugAdmin(admin.ModelAdmin):
    """The old addresses that answer 301 (kept when a slug changes): to see where each leads,
    and to remove one that should answer 404 instead. They are made by renaming, not here."""

    list_display = ["old_address", "language", "leads_to"]
    list_filter = ["kind", "language"]
    search_fields = ["slug"]

    def get_queryset(self, request):
        """With the slug each now leads to in its language, read in the same query (a kind is
        a model's name; a campaign's or topic's slug is a column per language)."""
        now_at = [
            When(
                kind=model._meta.model_name,
                language=code,
                then=Subquery(
                    QuerySet(model)
                    .filter(pk=OuterRef("object_id"))
                    .values(slugs.slug_column(model, code))
                ),
            )
            for model in (Campaign, Topic, Spokesperson)
            for code in slugs.LANGUAGE_CODES
        ]
        current = Case(*now_at, output_field=CharField())
        return super().get_queryset(request).annotate(current_slug=current)

    @admin.display(description=_("old address"), ordering="slug")
    def old_address(self, former):
        return f"{capfirst(former.get_kind_display())}: {former.slug}"

    @admin.display(description=_("now at"))
    def leads_to(self, former):
        if former.current_slug is None:
            return "—"
        with translation.override(former.language):
            return self._model(former)(slug=former.current_slug).get_absolute_url()

    @staticmethod
    def _model(former):
        return apps.get_model("releases", former.kind)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
