"""What every admin page of the newsroom shares, whatever it edits."""


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
            (title, {**options, "fields": [f for f in options["fields"] if f not in form_only]})
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
