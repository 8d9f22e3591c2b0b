"""Public pages. Every queryset of releases starts from ``Release.objects.published()``."""

from datetime import date

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView, TemplateView
from django.views.generic.dates import MonthArchiveView, YearArchiveView

from releases.models import Campaign, Quote, Release, Spokesperson, Topic
from releases.pagination import ConstantCostPaginator

RELEASES_PER_PAGE = 20


class PublicReleasesMixin:
    """The public releases of the page's language, as a list shows them."""

    paginate_by = RELEASES_PER_PAGE
    paginator_class = ConstantCostPaginator

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        """Counts and page positions are cached per list: its path and filters, not its page."""
        filters = self.request.GET.copy()
        filters.pop(self.page_kwarg, None)
        cache_key = f"{self.request.path}?{filters.urlencode()}"
        return super().get_paginator(
            queryset, per_page, orphans, allow_empty_first_page, cache_key=cache_key, **kwargs
        )

    def public_releases(self):
        return Release.objects.published().in_language().for_listing()


class HomeView(PublicReleasesMixin, TemplateView):
    template_name = "releases/home.html"
    latest_count = 10

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            latest_releases=self.public_releases()[: self.latest_count],
            featured_campaign=Campaign.objects.featured(),
            **kwargs,
        )


class ReleaseListView(PublicReleasesMixin, ListView):
    template_name = "releases/release_list.html"
    context_object_name = "releases"

    def get_queryset(self):
        return self.public_releases()


class ArchiveMixin(PublicReleasesMixin):
    """Year and month archives list what is on record, withdrawn releases included (marked)."""

    date_field = "publication_date"
    make_object_list = True
    allow_empty = False
    context_object_name = "releases"

    def get_queryset(self):
        return Release.objects.published(include_withdrawn=True).in_language().for_listing()


class ReleaseYearArchiveView(ArchiveMixin, YearArchiveView):
    template_name = "releases/release_archive_year.html"


class ReleaseMonthArchiveView(ArchiveMixin, MonthArchiveView):
    month_format = "%m"
    template_name = "releases/release_archive_month.html"


class ReleaseDetailView(DetailView):
    template_name = "releases/release_detail.html"
    context_object_name = "release"

    def get_queryset(self):
        return (
            Release.objects.published(include_withdrawn=True)
            .in_language()
            .select_related("campaign")
            .prefetch_related(
                "topics",
                "media_contacts",
                Prefetch("quotes", queryset=Quote.objects.select_related("spokesperson")),
            )
        )

    def get_object(self, queryset=None):
        try:
            day = date(int(self.kwargs["year"]), int(self.kwargs["month"]), int(self.kwargs["day"]))
        except ValueError as error:
            raise Http404("No such date") from error
        return get_object_or_404(
            queryset or self.get_queryset(), publication_date=day, slug=self.kwargs["slug"]
        )


class CampaignListView(ListView):
    template_name = "releases/campaign_list.html"
    context_object_name = "campaigns"
    paginate_by = 50

    def get_queryset(self):
        return Campaign.objects.order_by("-start_date")


class CampaignDetailView(PublicReleasesMixin, DetailView):
    template_name = "releases/campaign_detail.html"
    context_object_name = "campaign"

    def get_queryset(self):
        return Campaign.objects.all()

    def get_context_data(self, **kwargs):
        releases = list(self.public_releases().filter(campaign=self.object)[:50])
        return super().get_context_data(
            releases=releases,
            quotes=Quote.objects.filter(release__in=releases)
            .select_related("spokesperson", "release")
            .order_by("-release__publish_at", "position")[:20],
            editions=self.object.editions().exclude(pk=self.object.pk),
            **kwargs,
        )


class SpokespersonListView(ListView):
    template_name = "releases/spokesperson_list.html"
    context_object_name = "spokespeople"
    paginate_by = 50

    def get_queryset(self):
        return Spokesperson.objects.order_by("name")


class SpokespersonDetailView(DetailView):
    template_name = "releases/spokesperson_detail.html"
    context_object_name = "spokesperson"

    def get_queryset(self):
        return Spokesperson.objects.all()

    def get_context_data(self, **kwargs):
        public = Release.objects.published().in_language()
        return super().get_context_data(
            quotes=Quote.objects.filter(spokesperson=self.object, release__in=public)
            .select_related("release", "spokesperson")
            .order_by("-release__publish_at", "position")[:50],
            **kwargs,
        )


class TopicDetailView(PublicReleasesMixin, ListView):
    template_name = "releases/topic_detail.html"
    context_object_name = "releases"

    def get_queryset(self):
        self.topic = get_object_or_404(Topic, slug=self.kwargs["slug"])
        return self.public_releases().filter(topics=self.topic)

    def get_context_data(self, **kwargs):
        return super().get_context_data(topic=self.topic, **kwargs)
