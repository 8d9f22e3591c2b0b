"""Slugs in each language: a campaign's or topic's address is written in its page's language
(``/fr/campagnes/semaine-nationale-de-la-police-2021/``), one column per language
(modeltranslation's ``slug_en``, ``slug_fr``); a spokesperson's is their name, the same in both.

A language's slug left empty is the default language's, and stays so when that one changes
(``fill_slugs``): nothing changes for a newsroom until staff write a French slug.

A row inserted without a save (``bulk_create``, ``loaddata``, SQL, an import) may have no
French slug at all, NULL or "": it is read as the default language's everywhere, from here
alone: ``slugs_by_language`` for a row in hand, ``slug_in`` (and ``slug_sql``, for statements
written out) for a column read in a query, ``at_slug`` and ``subject_at_slug`` to find a row
by the slug in a page's language. Each is the same query as before, never another."""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]

SLUG_HELP = _(
    "The end of its address in this language. Left empty, the first language's. A changed "
    "slug leaves the old address leading to the new one."
)
TAKEN_BY_FALLBACK = _(
    "Left empty, this slug would be “%(slug)s”, as in the first language, and another already "
    "has that slug in this language: write one."
)


def has_translated_slug(model) -> bool:
    try:
        model._meta.get_field(build_localized_fieldname("slug", settings.LANGUAGE_CODE))
    except FieldDoesNotExist:
        return False
    return True


def slug_column(model, language: str) -> str:
    """The column of ``model``'s slug in ``language`` (``slug_fr``; ``slug`` when the slug is
    the same in every language)."""
    return build_localized_fieldname("slug", language) if has_translated_slug(model) else "slug"


def active_language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def unique_slug_constraints(prefix: str) -> list[models.UniqueConstraint]:
    """Each language's slug is unique in that language (an English slug may be another's
    French one: they are different addresses)."""
    return [
        models.UniqueConstraint(
            fields=[build_localized_fieldname("slug", code)], name=f"{prefix}_slug_{code}_unique"
        )
        for code in LANGUAGE_CODES
    ]


def stored_slugs(instance, using=None) -> dict[str, str] | None:
    """{language: slug} as stored now, or None for a new row (a plain QuerySet: a multilingual
    one would read the active language's column for ``slug``)."""
    if instance._state.adding or instance.pk is None:
        return None
    model = type(instance)
    columns = {code: slug_column(model, code) for code in LANGUAGE_CODES}
    row = QuerySet(model).using(using).filter(pk=instance.pk).values(*columns.values()).first()
    return None if row is None else {code: row[column] or "" for code, column in columns.items()}


def fill_slugs(instance, stored: dict[str, str] | None) -> list[str]:
    """Give each language's empty slug the default language's; one that was the default
    language's follows it when it changes. Returns the languages so filled."""
    model = type(instance)
    if not has_translated_slug(model):
        return []
    default = settings.LANGUAGE_CODE
    default_column = slug_column(model, default)
    new_default = getattr(instance, default_column) or ""
    filled = []
    if not new_default:  # written in another language only: that one's, in the first too
        given = (getattr(instance, slug_column(model, code)) for code in LANGUAGE_CODES)
        new_default = next((slug for slug in given if slug), "")
        if new_default:
            setattr(instance, default_column, new_default)
            filled.append(default)
    for code in LANGUAGE_CODES:
        column = slug_column(model, code)
        if code == default or not new_default:
            continue
        own = getattr(instance, column) or ""
        followed = stored is not None and own == stored[code] == stored[default]
        if not own or (followed and own != new_default):
            setattr(instance, column, new_default)
            filled.append(code)
    return filled


def check_filled_slugs(instance, filled: list[str]) -> None:
    """A slug filled from the default language's may be another's in that language: said on
    the field staff left empty, never left to the database to refuse."""
    model = type(instance)
    errors = {}
    for code in filled:
        column = slug_column(model, code)
        value = getattr(instance, column)
        if model._default_manager.filter(**{column: value}).exclude(pk=instance.pk).exists():
            errors[column] = ValidationError(
                TAKEN_BY_FALLBACK, code="unique", params={"slug": value}
            )
    if errors:
        raise ValidationError(errors)


def clean_slugs(instance) -> None:
    """``Model.clean`` of a model with a slug per language."""
    check_filled_slugs(instance, fill_slugs(instance, stored_slugs(instance)))


def said_as_duplicate(instance, error: ValidationError, *, on: str, message) -> ValidationError:
    """``error`` (from ``full_clean``) with its slug clashes said once, on the field ``on`` (a
    translated one in the language of a clash), when each clash is with another of
    the same title in that language: staff left the slugs to be filled in from the name, so
    “Slug [en] already exists” named fields they never touched. ``message`` takes the
    ``title``, in that language. A clash with another title (a slug typed, or two names
    written alike) is still said on its slug."""
    if not hasattr(error, "error_dict"):
        return error
    model = type(instance)
    clashes = {
        code: slug_column(model, code)
        for code in LANGUAGE_CODES
        if any(item.code == "unique" for item in error.error_dict.get(slug_column(model, code), []))
    }
    if not clashes:
        return error
    for code, column in clashes.items():
        others = model._default_manager.filter(**{column: getattr(instance, column)})
        with translation.override(code):
            titles = {str(other).casefold() for other in others.exclude(pk=instance.pk)}
            if titles != {str(instance).casefold()}:
                return error
    # Said in the language the officer reads, where that one clashes.
    first = active_language() if active_language() in clashes else next(iter(clashes))
    with translation.override(first):
        title = str(instance)
    slugs = set(clashes.values())
    errors = {name: items for name, items in error.error_dict.items() if name not in slugs}
    duplicate = ValidationError(message, code="duplicate", params={"title": title})
    errors.setdefault(_in_language(model, on, first), []).append(duplicate)
    return ValidationError(errors)


def _in_language(model, name: str, language: str) -> str:
    """A field's column in ``language`` when it is translated (``name_fr``), else its own."""
    localized = build_localized_fieldname(name, language)
    try:
        model._meta.get_field(localized)
    except FieldDoesNotExist:
        return name
    return localized


def at_slug_in_any_language(model, slug: str) -> Q:
    """Rows of ``model`` whose slug is ``slug`` in some language."""
    query = Q()
    for code in LANGUAGE_CODES:
        query |= Q(**{slug_column(model, code): slug})
    return query


def slugs_by_language(instance) -> dict[str, str]:
    """{language: slug} of a campaign or topic, as its page in each language is addressed (an
    empty one is the default language's, as ``fill_slugs`` would make it)."""
    model = type(instance)
    default = getattr(instance, slug_column(model, settings.LANGUAGE_CODE)) or ""
    return {code: getattr(instance, slug_column(model, code)) or default for code in LANGUAGE_CODES}


def slug_in(model, language: str, through: str = ""):
    """An expression of ``model``'s slug in ``language`` as its page there is addressed: the
    language's own, or the default language's where that one is missing (NULL or "").
    ``through`` reaches the model from another (``"campaign__"``)."""
    column = slug_column(model, language)
    default = slug_column(model, settings.LANGUAGE_CODE)
    if column == default:
        return F(through + column)
    return Coalesce(NullIf(F(through + column), Value("")), F(through + default))


def slug_sql(model, language: str) -> str:
    """``slug_in`` for a statement written out, over ``model``'s table alone."""
    column = slug_column(model, language)
    default = slug_column(model, settings.LANGUAGE_CODE)
    if column == default:
        return column
    return f"COALESCE(NULLIF({column}, ''), {default})"


def at_slug(model, slug: str, language: str | None = None) -> Q:
    """Rows of ``model`` whose slug in ``language`` (the active one) is ``slug``, the default
    language's standing in for a missing one (written so that each column's index serves)."""
    language = language or active_language()
    column = slug_column(model, language)
    default = slug_column(model, settings.LANGUAGE_CODE)
    query = Q(**{column: slug})
    if column != default:
        missing = Q(**{f"{column}__isnull": True}) | Q(**{column: ""})
        query |= missing & Q(**{default: slug})
    return query


def subject_at_slug(queryset, slug: str, language: str | None = None):
    """The row of ``queryset`` at ``slug`` in ``language`` (the active one), or None. Where one
    row's own slug there is another's default language's slug standing in for a missing one
    (both inserted in bulk), the own one's: one query, as ``get`` would make."""
    language = language or active_language()
    column = slug_column(queryset.model, language)
    found = list(queryset.filter(at_slug(queryset.model, slug, language))[:2])
    return min(found, key=lambda row: getattr(row, column) != slug, default=None)
