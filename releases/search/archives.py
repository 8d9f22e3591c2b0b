"""Archive months: how many public releases each month holds, per language."""

from datetime import date

from django.db.models import (
    Count,
    IntegerField,
    QuerySet,
)
from django.db.models.functions import (
    ExtractMonth,
    ExtractYear,
)


def month_counts_by_language(releases: QuerySet) -> dict[str, list[tuple[date, int]]]:
    """How many of ``releases`` each month holds, for every language at once:
    {language: [(month, count), …]}.
    One query tells an archive both its months and which languages have releases then."""
    rows = (
        releases.order_by()
        .values(
            "language",
            year=ExtractYear("publication_date", output_field=IntegerField()),
            month=ExtractMonth("publication_date", output_field=IntegerField()),
        )
        .annotate(n=Count("pk"))
        .order_by("language", "year", "month")
    )
    by_language: dict[str, list[tuple[date, int]]] = {}
    for row in rows:
        by_language.setdefault(row["language"], []).append(
            (date(row["year"], row["month"], 1), row["n"])
        )
    return by_language
