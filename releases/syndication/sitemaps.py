"""Sitemaps of what is public at the instant they are asked for, a Google News sitemap, and
the robots.txt that points to both."""

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import x_robots_tag
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.views.decorators.http import require_safe

from releases.models import Campaign, Organisation, Release, Spokesperson, Topic, newsroom_name
from releases.search import counts
from releases.syndication.metadata import headline_text
from releases.text.html import clean_control_characters

NEWS_SITEMAP_DAYS = 2
NEWS_SITEMAP_LIMIT = 1000
# How far back the spokespeople's sitemap looks for the date of their latest quote.
RECENT_QUOTES = 2000


class AlternatesSitemap(Sitemap):
    """Adds ``x-default`` (the default language's version) to each set of hreflang alternates."""

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        self.add_alternates(urls, protocol, domain)
        for url in urls:
            default = next(
                (a for a in url["alternates"] if a["lang_code"] == settings.LANGUAGE_CODE), None
            )
            if default:
                url["alternates"].append(
                    {"location": default["location"], "lang_code": "x-default"}
                )
        return urls

    def add_alternates(self, urls, protocol, domain):
        """Fill ``url["alternates"]`` where Django's i18n sitemaps do not."""


class KeptCountPaginator(Paginator):
    """Pages of the public releases counted from the kept counts (``counts.public_total``),
    not by counting every one. The last page runs to the end of the list, so that counts
    behind the table (after a change made outside the application) never leave one out."""

    @cached_property
    def count(self) -> int:
        return counts.public_total()

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page if number < self.num_pages else None
        return self._get_page(self.object_list[bottom:top], number, self)


def _last_public_change(releases):
    return releases.annotate(change=Coalesce("updated_at", "publish_at")).order_by("-change")


class ReleaseSitemap(AlternatesSitemap):
    """Every public release once, in its language; its translations are its alternates."""

    # Pages of 5,000 keep each response to a couple of seconds; the index lists them all.
    limit = 5000

    @property
    def paginator(self):
        return KeptCountPaginator(self._items(), self.limit)

    def items(self):
        return (
            Release.objects.published()
            .only(
                "translation_group",
                "slug",
                "language",
                "publication_date",
                "publish_at",
                "updated_at",
            )
            .order_by("publish_at", "pk")
        )

    def lastmod(self, release):
        return release.last_public_change

    def get_latest_lastmod(self):
        return (
            _last_public_change(Release.objects.published())
            .values_list("change", flat=True)
            .first()
        )

    def add_alternates(self, urls, protocol, domain):
        groups = {url["item"].translation_group for url in urls}
        twins = defaultdict(list)
        for twin in (
            Release.objects.published()
            .filter(translation_group__in=groups)
            .only("translation_group", "slug", "language", "publication_date")
            .order_by("language")
        ):
            twins[twin.translation_group].append(twin)
        for url in urls:
            group = twins[url["item"].translation_group]
            if len(group) > 1:
                url["alternates"] = [
                    {
                        "lang_code": twin.language,
                        "location": f"{protocol}://{domain}{twin.get_absolute_url()}",
                    }
                    for twin in group
                ]


class GroupSitemap(AlternatesSitemap):
    """Each page of a group of releases (``model``, whose releases are ``Release``'s
    ``releases_field``) in every language, dated by its latest public release."""

    i18n = True
    alternates = True
    model = None
    releases_field = ""

    def items(self):
        latest = _last_public_change(
            Release.objects.published().filter(**{self.releases_field: OuterRef("pk")})
        ).values("change")[:1]
        return self.model.objects.public().annotate(lastmod=Subquery(latest)).order_by("pk")

    def lastmod(self, group):
        return group.lastmod

    def get_latest_lastmod(self):
        return (
            _last_public_change(
                Release.objects.published().filter(**{f"{self.releases_field}__isnull": False})
            )
            .values_list("change", flat=True)
            .first()
        )


class CampaignSitemap(GroupSitemap):
    model = Campaign
    releases_field = "campaign"


class TopicSitemap(GroupSitemap):
    """A topic's page lists the releases of its language only: it is listed in the languages
    it has public releases in, each dated by its own newest."""

    model = Topic
    releases_field = "topics"

    def items(self):
        newest = {
            f"lastmod_{code}": Subquery(
                _last_public_change(
                    Release.objects.published().filter(topics=OuterRef("pk"), language=code)
                ).values("change")[:1]
            )
            for code in self._languages()
        }
        return Topic.objects.public().annotate(**newest).order_by("pk")

    def get_languages_for_item(self, topic):
        return [code for code in self._languages() if getattr(topic, f"lastmod_{code}")]

    def _get(self, name, item, default=None):
        """The date of the page in its language (Django asks ``lastmod`` of the topic alone)."""
        if name == "lastmod":
            topic, code = item
            return getattr(topic, f"lastmod_{code}")
        return super()._get(name, item, default)


class SpokespersonSitemap(AlternatesSitemap):
    """Each spokesperson page in every language, dated by their latest public quote (when it
    is among the newest changes)."""

    i18n = True
    alternates = True

    def items(self):
        latest = _latest_change_quoting()
        people = list(Spokesperson.objects.public().order_by("pk"))
        for person in people:
            person.lastmod = latest.get(person.pk)
        return people

    def lastmod(self, spokesperson):
        return spokesperson.lastmod

    def get_latest_lastmod(self):
        return None


def _latest_change_quoting() -> dict[int, datetime]:
    """{spokesperson id: the newest public change of a release quoting them}, among the
    ``RECENT_QUOTES`` quotes of the newest public changes, read down the last-change index: a
    spokesperson quoted only before those has no date (a sitemap's dates are optional, never
    wrong), and no request joins every release quoting someone."""
    recent = _last_public_change(Release.objects.published().filter(quotes__isnull=False))
    latest: dict[int, datetime] = {}
    for spokesperson_id, change in recent.values_list("quotes__spokesperson_id", "change")[
        :RECENT_QUOTES
    ]:
        latest.setdefault(spokesperson_id, change)  # the newest first
    return latest


SITEMAPS = {
    "releases": ReleaseSitemap,
    "campaigns": CampaignSitemap,
    "spokespeople": SpokespersonSitemap,
    "topics": TopicSitemap,
}


@require_safe
@x_robots_tag
def news_sitemap(request):
    """Google News: the public releases of the last two days, in every language."""
    since = timezone.now() - timedelta(days=NEWS_SITEMAP_DAYS)
    releases = (
        Release.objects.published()
        .filter(publish_at__gte=since)
        .only("headline", "slug", "language", "publication_date", "publish_at")
        .order_by("-publish_at", "-pk")[:NEWS_SITEMAP_LIMIT]
    )
    organisation = Organisation.current_cached()
    origin = request.build_absolute_uri("/").rstrip("/")
    entries = []
    for release in releases:
        with translation.override(release.language):
            name = newsroom_name(organisation)
        entries.append(
            {
                "location": f"{origin}{release.get_absolute_url()}",
                "publication_name": clean_control_characters(name),
                "language": release.language,
                "publication_date": timezone.localtime(release.publish_at).isoformat(),
                "title": clean_control_characters(headline_text(release)),
            }
        )
    return render(
        request, "sitemaps/news.xml", {"entries": entries}, content_type="application/xml"
    )


@require_safe
def robots_txt(request):
    origin = request.build_absolute_uri("/").rstrip("/")
    sitemaps = [
        f"{origin}{reverse('sitemap-index')}",
        f"{origin}{reverse('sitemap-news')}",
    ]
    return render(
        request, "robots.txt", {"sitemaps": sitemaps}, content_type="text/plain; charset=utf-8"
    )
