"""What a change of the newsroom's data can affect, named as the page cache's scopes
(``pagecache.caching``): a release's language, its translation group and its campaign; the
counts when it moves them; the whole site for anything else (the organisation, a campaign's or a
topic's name, a spokesperson, a contact), which every page shows or may show."""

from django.db.models import Q, Subquery

from releases.models import Release, Status

SITE = "site"
COUNTS = "counts"
# Which campaigns the public may know of (``Campaign.objects.public()``): a campaign's first
# release on record announces it in every language, the home page's campaign among them.
CAMPAIGNS = "campaigns"
# Not public, and never was: changing such a release shows nowhere.
NOT_YET_PUBLIC = {Status.DRAFT, Status.IN_REVIEW, Status.APPROVED}


def language(code: str) -> str:
    return f"lang:{code}"


def campaign(pk: int) -> str:
    return f"campaign:{pk}"


def group(translation_group) -> str:
    return f"group:{translation_group}"


def of_release(release) -> list[str]:
    """What a change to ``release`` (or to what it holds: quotes, images, topics) can show on:
    its language's pages, its translations' pages, its campaign's pages."""
    scopes = [language(release.language), group(release.translation_group)]
    if release.campaign_id:
        scopes.append(campaign(release.campaign_id))
    return scopes


def on_campaign(pk: int | None) -> list[str]:
    """A release entering or leaving the record changes its campaign's pages, and may make the
    campaign known or unknown to the public (``CAMPAIGNS``)."""
    return [campaign(pk), CAMPAIGNS] if pk else []


def release_page(release) -> list[str]:
    return [SITE, language(release.language), group(release.translation_group)]


class GoLives:
    """The clock's changes, for ``pagecache.caching.set_go_live_source``."""

    @staticmethod
    def first_go_live_after(moment):
        return Release.objects.first_go_live_after(moment)

    @staticmethod
    def go_lives(since, until) -> tuple[list[tuple], object]:
        """(moment, scopes) of each release on record whose time came after ``since`` and by
        ``until`` (the lists, counts and pages it appears on at that minute), and the next
        go-live after ``until``: one query."""
        fields = ("publish_at", "language", "translation_group", "campaign_id")
        on_record = Release.objects.going_public_after(since)
        following = on_record.filter(publish_at__gt=until).order_by("publish_at")
        rows = (
            on_record.filter(
                Q(publish_at__lte=until)
                | Q(publish_at=Subquery(following.values("publish_at")[:1]))
            )
            .order_by()
            .values_list(*fields)
        )
        rows = list(rows)
        found = [
            (moment, [COUNTS, language(code), group(translation), *on_campaign(pk)])
            for moment, code, translation, pk in rows
            if moment <= until
        ]
        later = [moment for moment, *_ in rows if moment > until]
        return found, min(later, default=None)
