"""The public list's and search's filters, read from the query string."""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Case, Value, When
from django.utils.translation import gettext_lazy as _

from releases.models import Campaign, ReleaseType, Spokesperson, Topic
from releases.models.slugs import at_slug_in_any_language, slug_column, subject_at_slug
from releases.search.query import MAX_QUERY_LENGTH, ReleaseFilters, clean_query
from releases.text.html import clean_control_characters

# No parameter value needs more than this; longer ones are cut before validation.
MAX_PARAMETER_LENGTH = 300
# What is read of a parameter at most, before it is cleaned and cut.
MAX_READ_LENGTH = 2000


class SlugChoiceField(forms.ModelChoiceField):
    """A campaign, topic or spokesperson named by its slug in the page's language; with
    ``any_language``, by its slug in any language (the API's addresses have no language), the
    default language's first: never the language negotiated from the caller's browser, which
    would make one address name different subjects for different callers (and its cached
    answer whichever the first caller's was)."""

    any_language = False

    def to_python(self, value):
        model = self.queryset.model
        if value in self.empty_values:
            return super().to_python(value)
        if self.any_language:
            found = self.queryset.filter(at_slug_in_any_language(model, str(value)))
            first = When(**{slug_column(model, settings.LANGUAGE_CODE): str(value)}, then=Value(0))
            choice = found.order_by(Case(first, default=Value(1)), "pk").first()
        else:  # the page's language's slug, or the default's where it has none
            choice = subject_at_slug(self.queryset, str(value))
        if choice is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return choice


class ReleaseFilterForm(forms.Form):
    """Search words and facet filters. An unknown value is dropped (and reported), never fatal:
    the page shows what the valid parameters describe."""

    q = forms.CharField(label=_("Search words"), required=False, max_length=MAX_QUERY_LENGTH)
    type = forms.ChoiceField(label=_("Type"), choices=ReleaseType.choices, required=False)
    campaign = SlugChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.none(),
        to_field_name="slug",
        required=False,
    )
    topic = SlugChoiceField(
        label=_("Topic"), queryset=Topic.objects.none(), to_field_name="slug", required=False
    )
    spokesperson = SlugChoiceField(
        label=_("Spokesperson"),
        queryset=Spokesperson.objects.none(),
        to_field_name="slug",
        required=False,
    )
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2999, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, required=False)

    # The filters that name a campaign, topic or spokesperson by its slug.
    SUBJECT_FILTERS = {"campaign": Campaign, "topic": Topic, "spokesperson": Spokesperson}

    def __init__(self, *args, any_language: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Only what the public may know of, as of now (a campaign of embargoed releases only
        # is an unknown value, whose name the page never shows). Built only for a value given:
        # most lists choose none, and building the three costs a list ~2 ms.
        for name, model in self.SUBJECT_FILTERS.items():
            if self.data.get(name):
                self.fields[name].queryset = model.objects.public()
                self.fields[name].any_language = any_language

    @classmethod
    def from_query(cls, query_dict, *, any_language: bool = False) -> "ReleaseFilterForm":
        """Bound to the request's parameters, each cut to a sane length and freed of control
        characters (PostgreSQL refuses NUL bytes in text)."""
        data = {}
        for name in cls.base_fields:
            value = clean_control_characters(query_dict.get(name, "")[:MAX_READ_LENGTH])
            data[name] = clean_query(value) if name == "q" else value[:MAX_PARAMETER_LENGTH].strip()
        form = cls(data, any_language=any_language)
        typed = " ".join(
            clean_control_characters(query_dict.get("q", "")[:MAX_READ_LENGTH]).split()
        )
        form.query_was_cut = len(typed) > len(data["q"])
        return form

    query_was_cut = False

    def clean_q(self):
        return clean_query(self.cleaned_data["q"])

    @property
    def ignored(self) -> list[str]:
        """Labels of the parameters whose values were not understood."""
        return [str(self.fields[name].label) for name in self.errors]

    def valid_values(self) -> dict:
        self.is_valid()
        return {name: self.cleaned_data[name] for name in self.cleaned_data}

    def filters(self, default_language: str) -> ReleaseFilters:
        values = self.valid_values()
        return ReleaseFilters(
            language=values.get("language") or default_language,
            query=values.get("q") or "",
            release_type=values.get("type") or "",
            campaign=values.get("campaign"),
            topic=values.get("topic"),
            spokesperson=values.get("spokesperson"),
            year=values.get("year"),
        )

    def parameters(self) -> dict[str, str]:
        """The valid, non-empty parameters as they appear in a URL, in a stable order (found
        once: the facet panel asks for a query string per value, a hundred of them)."""
        if not hasattr(self, "_parameters"):
            values = self.valid_values()
            self._parameters = {}
            for name in self.base_fields:
                value = values.get(name)
                if value in (None, ""):
                    continue
                self._parameters[name] = value.slug if hasattr(value, "slug") else str(value)
        return dict(self._parameters)

    def query_string(self, **changes) -> str:
        """This view's query string with some parameters changed (``None`` removes one)."""
        parameters = self.parameters() | changes
        return urlencode({name: value for name, value in parameters.items() if value is not None})
