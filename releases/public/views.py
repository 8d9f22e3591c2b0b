"""Public pages. Every release they list or show comes through ``Release.objects.published()``;
only the previews (staff, or a signed link) show releases that are not public yet."""

from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Exists, OuterRef, prefetch_related_objects
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.views.generic import DetailView, ListView, TemplateView
from django.views.generic.dates import MonthArchiveView, YearArchiveView

from pagecache import caching
from pagecache.middleware import depends_on
from releases import scopes
from releases.models import (
    Campaign,
    Organisation,
    Quote,
    Release,
    Spokesperson,
    Topic,
)
from releases.models.slugs import slugs_by_language
from releases.models.twins import public_twins, release_versions
from releases.public import addresses
from releases.public.addresses import (
    FORMER_SLUG_REDIRECT_SECONDS,
    SubjectMoved,
    moved_to,
    release_address_leads,
    subject_at,
)
from releases.public.finders import PublicReleasesMixin, ReleaseFinderMixin
from releases.public.relations import (
    OPTIONAL_RELATIONS,
    RELEASE_RELATIONS,
    fetch_optional_relations,
    flag_optional_relations,
)
from releases.search import archives as search_archives
from releases.search import query as search_query
from releases.search import related as search_related
from releases.syndication.wire import wire_text
from releases.text.languages import language_in_sentence, same_page_in


class HomeView(PublicReleasesMixin, TemplateView):
    template_name = "releases/home.html"
    latest_count = 10

    def get_context_data(self, **kwargs):
        # The campaign it features may be announced by a release in another language.
        language = scopes.language(translation.get_language())
        depends_on(self.request, scopes.SITE, language, scopes.CAMPAIGNS)
        return super().get_context_data(
            latest_releases=self.public_releases()[: self.latest_count],
            featured_campaign=self.featured_campaign(),
            **kwargs,
        )

    def featured_campaign(self) -> Campaign | None:
        """Up to three lookups, the same all day: made once a day and kept under the rules of
        ``pagecache.caching`` (any change to a campaign makes it stale)."""
        today = timezone.localdate()
        return caching.remember(
            caching.key_for("featured-campaign", today.isoformat()),
            lambda: Campaign.objects.public().featured(today),
        )


class ReleaseListView(ReleaseFinderMixin, ListView):
    template_name = "releases/release_list.html"

    def get_context_data(self, **kwargs):
        """With links to the year archives of the page's language (its year facet when the
        list is unfiltered, so no query of its own)."""
        every_release = search_query.ReleaseFilters(language=translation.get_language())
        years = self.facets_of(every_release)["year"]
        return super().get_context_data(archive_years=[year.value for year in years], **kwargs)


class SearchView(ReleaseFinderMixin, ListView):
    template_name = "releases/search.html"


class ArchiveMixin(PublicReleasesMixin):
    """Year and month archives list the public releases of the period. A withdrawn release
    leaves them as it leaves every list and feed; its own page stays, with its banner.

    One grouped query gives the year's months with their counts in every language: the page's
    own months, whether the period has any release (else 404), and which other languages have
    releases then (the language switcher offers only those)."""

    date_field = "publication_date"
    make_object_list = True
    # Emptiness is decided from the month counts, not by an extra query of Django's.
    allow_empty = True
    context_object_name = "releases"

    def get_queryset(self):
        return Release.objects.published().in_language().for_listing()

    def year_months(self) -> dict[str, list[tuple[date, int]]]:
        if not hasattr(self, "_year_months"):
            self._year_months = search_archives.month_counts_by_language(
                Release.objects.published().filter(publication_date__year=int(self.get_year()))
            )
        return self._year_months

    def languages_with_releases(self, months: set[date] | None = None) -> list[str]:
        """The languages with releases in the year (or in those of its ``months``)."""
        return sorted(
            language
            for language, counted in self.year_months().items()
            if months is None or any(month in months for month, _ in counted)
        )

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        months = self.year_months().get(translation.get_language(), [])
        self.empty_period = not self.has_releases(months)
        if self.empty_period and not search_archives.period_is_on_record(
            self.get_queryset(), *self.period(), timezone.localdate()
        ):
            raise Http404("No releases in that period")
        return [month for month, _count in months]

    def get_context_data(self, **kwargs):
        months = self.year_months().get(translation.get_language(), [])
        alternates = {
            code: same_page_in(self.request, code)
            for code in self.languages_with_releases(self.period_months())
        }
        if self.empty_period:  # within the record: say so, and where the nearest ones are
            by_month = len(self.period_months() or ()) == 1
            kwargs["earlier"], kwargs["later"] = (
                search_archives.archive_link(day, by_month=by_month)
                for day in search_archives.neighbouring_days(self.get_queryset(), *self.period())
            )
        return super().get_context_data(
            months=months, alternate_urls=alternates, empty_period=self.empty_period, **kwargs
        )


class ReleaseYearArchiveView(ArchiveMixin, YearArchiveView):
    template_name = "releases/release_archive_year.html"

    def has_releases(self, months) -> bool:
        return bool(months)

    def period_months(self) -> None:
        return None

    def period(self) -> tuple[date, date]:
        return search_archives.period_of(date(int(self.get_year()), 1, 1), months=12)


class ReleaseMonthArchiveView(ArchiveMixin, MonthArchiveView):
    month_format = "%m"
    template_name = "releases/release_archive_month.html"

    def requested_month(self) -> date:
        try:
            return date(int(self.get_year()), int(self.get_month()), 1)
        except ValueError as error:
            raise Http404("No such month") from error

    def has_releases(self, months) -> bool:
        return any(month == self.requested_month() for month, _ in months)

    def period_months(self) -> set[date]:
        return {self.requested_month()}

    def period(self) -> tuple[date, date]:
        return search_archives.period_of(self.requested_month(), months=1)


# Every release page shows these.


def with_page_relations(queryset):
    """A release with what tells whether its page needs more (a public twin, corrections,
    images, documents); ``fetch_page_relations()`` then fetches the rest, only when the page is
    rendered."""
    twins = Release.objects.published().filter(translation_group=OuterRef("translation_group"))
    return flag_optional_relations(
        # The stored body, the campaign's visual (the link preview of a release without an
        # image) and an advisory's event come in the same row (joins): no query of their own
        # on any page, nor in the text, ninjs or calendar versions that share the kept row.
        # A withdrawn release's moment comes in it too (its banner and every "updated").
        queryset.select_related(
            "campaign__visual", "rendered_body", "advisory_event__accreditation_contact"
        )
        .with_withdrawn_at()
        .annotate(has_twin=Exists(twins.exclude(pk=OuterRef("pk")))),
        *OPTIONAL_RELATIONS,
    )


def fetch_page_relations(release: Release) -> Release:
    prefetch_related_objects([release], *RELEASE_RELATIONS)
    fetch_optional_relations([release], *OPTIONAL_RELATIONS)
    return release


def found_on_another_day(address: str) -> HttpResponseRedirect:
    """A temporary redirect to the release a wrongly dated address meant, kept until the next
    go-live at most: a release scheduled at that very address, or another taking the slug,
    changes the answer then (``release_address_leads``), and no cache may keep sending readers
    on."""
    response = HttpResponseRedirect(address)
    lifetime = caching.bounded_lifetime(FORMER_SLUG_REDIRECT_SECONDS)
    patch_cache_control(response, public=True, max_age=lifetime)
    return response


class ReleaseDetailView(DetailView):
    """A release on record; a former address of one answers 301, its address with the wrong
    date 302 (``release_address_leads``); an unpublished one answers 410."""

    template_name = "releases/release_detail.html"
    context_object_name = "release"

    def get_queryset(self):
        return with_page_relations(
            Release.objects.published(include_withdrawn=True).in_language()
        ).defer("search_vector")

    def get_context_data(self, **kwargs):
        page = caching.remember(
            caching.key_for(
                "release-page",
                str(self.object.pk),
                translation.get_language(),
                self.request.build_absolute_uri("/"),
            ),
            self.render_release,
            scopes=scopes.release_page(self.object),
        )
        return super().get_context_data(
            article=mark_safe(page["article"]),
            page_meta=mark_safe(page["meta"]),
            alternate_urls=page["alternate_urls"],
            # A language with no version of this release: the switcher leads to this same
            # address there, which says in that language where the release is.
            language_fallbacks={
                code: same_page_in(self.request, code) for code, _name in settings.LANGUAGES
            },
            related=caching.remember(
                caching.key_for("related", str(self.object.pk)),
                lambda: search_related.related_releases(self.object),
                scopes=[scopes.SITE, scopes.language(self.object.language)],
            ),
            **kwargs,
        )

    def render_release(self) -> dict:
        """The release's article and metadata, the same for every reader of this language, so
        rendered once and kept under the rules of ``pagecache.caching``: most requests then
        make one query and skip its relations and most of its template."""
        release = fetch_page_relations(self.object)
        context = {"release": release, "alternate_urls": release_versions(release)}
        return {
            "article": render_to_string(
                "releases/includes/release_article.html", context, request=self.request
            ),
            "meta": render_to_string(
                "releases/includes/release_meta.html", context, request=self.request
            ),
            "alternate_urls": context["alternate_urls"],
        }

    def address_of(self, release: Release) -> str:
        """Where a former address of ``release`` now points."""
        return release.get_absolute_url()

    def get_day(self) -> date:
        try:
            return date(
                int(self.kwargs["year"]), int(self.kwargs["month"]), int(self.kwargs["day"])
            )
        except ValueError as error:
            raise Http404("No such date") from error

    def get_object(self, queryset=None):
        """The release at this address. It is the same for every reader until the newsroom
        changes or the next go-live, so it is looked up once and kept under the rules of
        ``pagecache.caching``; addresses with no release are not kept."""
        address = {"publication_date": self.get_day(), "slug": self.kwargs["slug"]}
        key = caching.key_for(
            "release-at",
            translation.get_language(),
            address["publication_date"].isoformat(),
            address["slug"],
        )
        generation, kept = caching.read(key)
        release = kept.value if kept else get_object_or_404(self.get_queryset(), **address)
        # Before the page's other queries (its translations' addresses among them).
        depends_on(self.request, *scopes.release_page(release))
        if kept is None:
            caching.write(
                key, generation, release, caching.DEFAULT_TIMEOUT, scopes.release_page(release)
            )
        return release

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            lead = release_address_leads(request.LANGUAGE_CODE, self.get_day(), kwargs["slug"])
            if lead is None:
                raise
            if lead.kind == addresses.MOVED:
                return HttpResponsePermanentRedirect(self.address_of(lead.release))
            # The old address went out in alerts and feeds: it is gone too, not unknown.
            if lead.kind == addresses.GONE:
                return self.gone(public_twins(lead.release).first())
            if lead.kind == addresses.ELSEWHERE:
                return self.only_in_other_language(lead.release)
            return found_on_another_day(self.address_of(lead.release))

    def gone(self, elsewhere: Release | None):
        """A release removed from this address. Its other language's version, whatever its
        address, may still be public: say where."""
        # No language version of it is here: the language switch leads to the public one,
        # else to the list of that language's releases (never the removed address, a 404).
        context = {"elsewhere": elsewhere, "alternate_urls": {}}
        if elsewhere is not None:
            context["language"] = language_in_sentence(elsewhere.language)
            context["language_fallbacks"] = {elsewhere.language: elsewhere.get_absolute_url()}
        return TemplateResponse(self.request, "410.html", context, status=410)

    def twin_on_record_here(self, release: Release) -> Release | None:
        """``release``'s translation in this address's language, when it is on record: a
        withdrawn one too, whose page still stands (``public_twins``, what pages link to as
        language versions, leaves it out)."""
        twins = Release.objects.published(include_withdrawn=True).twins_of(release)
        return twins.filter(language=self.request.LANGUAGE_CODE).first()

    def only_in_other_language(self, release: Release):
        """A release at this address in another language only: its translation if one is
        public, else a page in this language that says so and links to it."""
        if twin := self.twin_on_record_here(release):
            return HttpResponseRedirect(self.address_of(twin))
        versions = {release.language: release.get_absolute_url()}
        context = {"release": release, "alternate_urls": versions}
        context["language"] = language_in_sentence(release.language)
        context["page_language"] = language_in_sentence(self.request.LANGUAGE_CODE)
        response = TemplateResponse(self.request, "releases/release_other_language.html", context)
        response["X-Robots-Tag"] = "noindex"
        return response


class ReleaseTextView(ReleaseDetailView):
    """“Copy as text”: the release in wire format, with the same visibility as its page."""

    def address_of(self, release: Release) -> str:
        return release.get_text_url()

    def get_context_data(self, **kwargs):
        return {}

    def render_to_response(self, context, **response_kwargs):
        fetch_page_relations(self.object)
        url = self.request.build_absolute_uri(self.object.get_absolute_url())
        text = wire_text(self.object, Organisation.current_cached(), url=url)
        response = HttpResponse(text, content_type="text/plain; charset=utf-8")
        response.headers["Link"] = f'<{url}>; rel="canonical"'
        return response


class DirectoryView(ListView):
    """A directory of cards (campaigns, spokespeople) in ``ordering``, fifty a page: only
    those the public may know of (``public()``: one of their releases is on record)."""

    paginate_by = 50

    def get_queryset(self):
        return self.model.objects.public().order_by(self.ordering)


class CampaignListView(DirectoryView):
    model = Campaign
    ordering = "-start_date"
    template_name = "releases/campaign_list.html"
    context_object_name = "campaigns"


# A campaign or spokesperson page shows this many of the newest items, then links to the rest.
SHOWN_ON_PAGE = 50


def newest_and_rest(queryset, **filters: str) -> tuple[list, str]:
    """The first ``SHOWN_ON_PAGE`` items, and the address of the release list with these
    filters when there are more ("" when not). One more row than shown tells, with no COUNT."""
    found = list(queryset[: SHOWN_ON_PAGE + 1])
    rest = f"{reverse('releases:list')}?{urlencode(filters)}" if len(found) > SHOWN_ON_PAGE else ""
    return found[:SHOWN_ON_PAGE], rest


class FollowsFormerSlugs:
    """The page of a campaign, topic or spokesperson answers 301 at the addresses it had: its
    subject is found by ``subject_at``, which says when the slug was a former one."""

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except SubjectMoved as moved:
            return moved_to(request, moved)

    def get_object(self, queryset=None):
        if queryset is None:
            queryset = self.get_queryset()
        return subject_at(queryset, self.kwargs["slug"])


class CampaignDetailView(FollowsFormerSlugs, PublicReleasesMixin, DetailView):
    template_name = "releases/campaign_detail.html"
    context_object_name = "campaign"

    def get_queryset(self):
        return Campaign.objects.public()

    def get_object(self, queryset=None):
        campaign = super().get_object(queryset)
        depends_on(self.request, scopes.SITE, scopes.campaign(campaign.pk))
        return campaign

    def get_context_data(self, **kwargs):
        releases, all_releases_url = newest_and_rest(
            self.public_releases().filter(campaign=self.object), campaign=self.object.slug
        )
        return super().get_context_data(
            releases=releases,
            all_releases_url=all_releases_url,
            quote_section=self.quote_section(releases),
            editions=self.object.editions().exclude(pk=self.object.pk),
            slugs_by_language=slugs_by_language(self.object),
            **kwargs,
        )

    def quote_section(self, releases: list[Release]) -> str:
        """The quotes of the campaign's public releases in the page's language: the same for
        every reader, so rendered once and kept under the rules of ``pagecache.caching``."""
        quotes = (
            Quote.objects.filter(release__in=releases)
            .select_related("spokesperson", "release")
            .order_by("-release__publish_at", "position")[:20]
        )
        return caching.remember(
            caching.key_for("campaign-quotes", str(self.object.pk), translation.get_language()),
            lambda: render_to_string("releases/includes/campaign_quotes.html", {"quotes": quotes}),
        )


class SpokespersonListView(DirectoryView):
    model = Spokesperson
    ordering = "name"
    template_name = "releases/spokesperson_list.html"
    context_object_name = "spokespeople"


class TopicListView(DirectoryView):
    model = Topic
    ordering = "name"  # the page's language's names (modeltranslation)
    template_name = "releases/topic_list.html"
    context_object_name = "topics"


class SpokespersonDetailView(FollowsFormerSlugs, DetailView):
    template_name = "releases/spokesperson_detail.html"
    context_object_name = "spokesperson"

    def get_queryset(self):
        return Spokesperson.objects.public()

    def get_context_data(self, **kwargs):
        public = Release.objects.published().in_language()
        quotes, all_releases_url = newest_and_rest(
            Quote.objects.filter(spokesperson=self.object, release__in=public)
            .select_related("release", "spokesperson")
            .order_by("-release__publish_at", "position"),
            spokesperson=self.object.slug,
        )
        return super().get_context_data(quotes=quotes, all_releases_url=all_releases_url, **kwargs)


class TopicDetailView(FollowsFormerSlugs, PublicReleasesMixin, ListView):
    template_name = "releases/topic_detail.html"
    context_object_name = "releases"

    def get_queryset(self):
        self.topic = self.get_object(Topic.objects.public())
        return self.public_releases().filter(topics=self.topic)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            topic=self.topic, slugs_by_language=slugs_by_language(self.topic), **kwargs
        )
