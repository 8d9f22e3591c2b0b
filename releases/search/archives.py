"""Archive months: how many public releases each month holds, per language; which periods
are within the newsroom's record, and the neighbours of an empty one."""

from datetime import date, timedelta

from django.db.models import (
    Count,
    IntegerField,
    Max,
    Min,
    QuerySet,
)
from django.db.models.functions import (
    ExtractMonth,
    ExtractYear,
)
from django.urls import reverse
from django.utils.formats import date_format


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


def period_is_on_record(releases: QuerySet, start: date, end: date, today: date) -> bool:
    """Whether the period from ``start`` to ``end`` lies within the newsroom's record: not
    wholly before its first release, nor after today. Such a period exists even when empty."""
    first = releases.order_by("publication_date").values_list("publication_date", flat=True)
    first_day = first.first()
    return first_day is not None and first_day <= end and start <= today


def neighbouring_days(releases: QuerySet, start: date, end: date) -> tuple[date | None, ...]:
    """The publication dates of the last release before ``start`` and the first after
    ``end`` (None where there is none): where an empty period's page sends its reader."""
    days = releases.order_by()
    before = days.filter(publication_date__lt=start).aggregate(day=Max("publication_date"))
    after = days.filter(publication_date__gt=end).aggregate(day=Min("publication_date"))
    return before["day"], after["day"]


def period_of(first: date, *, months: int) -> tuple[date, date]:
    """The first and last days of the ``months`` months from ``first`` (a month's first day)."""
    index = first.year * 12 + first.month - 1 + months
    return first, date(index // 12, index % 12 + 1, 1) - timedelta(days=1)


def archive_link(day: date | None, *, by_month: bool) -> dict | None:
    """The archive of ``day``'s month (or year): its address and its name."""
    if day is None:
        return None
    if by_month:
        kwargs = {"year": day.year, "month": f"{day.month:02d}"}
        label = date_format(day, "YEAR_MONTH_FORMAT")
        return {"url": reverse("releases:archive-month", kwargs=kwargs), "label": label}
    return {
        "url": reverse("releases:archive-year", kwargs={"year": day.year}),
        "label": str(day.year),
    }
