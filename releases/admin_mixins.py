"""What every admin page of the newsroom shares, whatever it edits."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import get_language_info

from releases.search import folded  # noqa: F401  (registers the folded_contains lookup)


class SideBySideTranslations:
    """Each translated field's language versions on one row, labelled with the language: for
    a model admin (``TranslationAdmin``) and an inline (``TranslationStackedInline``) alike."""

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


class FoldedSearch:
    """For the model admin of a small table: its search (and autocomplete) finds what staff
    type whatever the accents and case, “securite” « Sécurité routière » (Django's
    ``icontains`` ignores neither on SQLite, nor accents on PostgreSQL)."""

    def get_search_fields(self, request):
        return [f"{name}__folded_contains" for name in super().get_search_fields(request)]


class ModelFieldsWhenReadOnly:
    """On a page that only shows an object (no right to change it), the form's own fields (an
    upload, the linked language version, the version seen…) are left out: Django drops a
    form's fields that are read only, and each printed “None” under a bare label. For a model
    admin and its inlines alike (``obj`` is then the page's object)."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self._page_may_change(request, obj):
            return fieldsets
        model_fields = {field.name for field in self.model._meta.get_fields()}
        form_only = set(self.form.declared_fields) - model_fields
        return [
            (title, {**options, "fields": _without(options["fields"], form_only)})
            for title, options in fieldsets
        ]

    def _page_may_change(self, request, obj) -> bool:
        """An inline's page is its parent's: Django shows it read only where the parent is."""
        parent = getattr(self, "parent_model", None)
        if parent is not None:
            page_admin = self.admin_site.get_model_admin(parent)
            if not page_admin.has_change_permission(request, obj):
                return False
        return self.has_change_permission(request, obj)


def _without(lines, names: set) -> list:
    """A fieldset's lines without ``names``, in a line of several fields too (a line left
    empty goes)."""
    kept = []
    for line in lines:
        if isinstance(line, list | tuple):
            line = tuple(name for name in line if name not in names)
            if line:
                kept.append(line)
        elif line not in names:
            kept.append(line)
    return kept


def _holds(model, field_name: str | None, value) -> bool:
    """Whether ``value`` is one the field a choice is looked up by can hold at all (a number
    within the column's range for an id): Django's choice fields looked up any other, and
    ``campaign=abc`` or a thirty-digit id from a forged or garbled request was a 500."""
    field = model._meta.get_field(field_name) if field_name else model._meta.pk
    try:
        field.run_validators(field.to_python(value))
    except (ValidationError, ValueError, TypeError):
        return False
    return True


class _SentChoicesOnly:
    """The autocomplete widget looks up the values sent to draw them again: only those that
    ``_holds``."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        field_name = getattr(remote, "field_name", None)  # a many-to-many has none
        kept = [v for v in value if _holds(remote.model, field_name, v)]
        return super().optgroups(name, kept, attr)


class _AutocompleteSelect(_SentChoicesOnly, AutocompleteSelect):
    pass


class _AutocompleteSelectMultiple(_SentChoicesOnly, AutocompleteSelectMultiple):
    pass


class _Choice(forms.ModelChoiceField):
    def to_python(self, value):
        if isinstance(value, self.queryset.model):
            return value
        if value not in self.empty_values and not _holds(
            self.queryset.model, self.to_field_name, value
        ):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class _Choices(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        if isinstance(value, list | tuple):
            for one in value:
                if not _holds(self.queryset.model, self.to_field_name, one):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": one},
                    )
        return super()._check_values(value)


class SafeAutocomplete:
    """For a model admin or inline with ``autocomplete_fields``: a value sent for them that
    no row could have is a form error, never a 500 (``_holds``)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            db = kwargs.get("using")
            kwargs["widget"] = _AutocompleteSelect(db_field, self.admin_site, using=db)
        kwargs.setdefault("form_class", _Choice)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            db = kwargs.get("using")
            kwargs["widget"] = _AutocompleteSelectMultiple(db_field, self.admin_site, using=db)
        kwargs.setdefault("form_class", _Choices)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
