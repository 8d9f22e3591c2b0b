"""Public pages. Every queryset of releases starts from ``Release.objects.published()``."""

from datetime import date

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.views.generic import DetailView, ListView, TemplateView
from django.views.generic.dates import MonthArchiveView, YearArchiveView

from releases import search
from releases.forms import ReleaseFilterForm
from releases.models import Campaign, Quote, Release, ReleaseType, Spokesperson, Topic

RELEASES_PER_PAGE = 20


class PublicReleasesMixin:
    """The public releases of the page's language, as a list shows them."""

    paginate_by = RELEASES_PER_PAGE

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


class ReleaseFinderMixin(PublicReleasesMixin):
    """The release list and the search page: query words and facet filters from the URL (so
    the URL describes the view), counts beside each facet value, removable active filters."""

    context_object_name = "releases"

    def get(self, request, *args, **kwargs):
        self.form = ReleaseFilterForm.from_query(request.GET)
        self.filters = self.form.filters(default_language=translation.get_language())
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return search.find_releases(self.filters)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.facets = facets = search.facet_counts(self.filters)
        paginator = context.get("paginator")
        count = paginator.count if paginator else len(context["releases"])
        return context | {
            "form": self.form,
            "filters": self.filters,
            "facets": self.facet_groups(facets),
            "active_filters": self.active_filters(),
            "ignored_parameters": self.form.ignored,
            "query_string": self.form.query_string(),
            "result_sentence": search.result_sentence(count, self.filters),
        }

    def facet_values(self, name: str) -> list[search.FacetValue]:
        return self.facets[name]

    def facet_groups(self, facets: dict[str, list[search.FacetValue]]) -> list[dict]:
        chosen = self.form.parameters() | {"language": self.filters.language}
        page_language = translation.get_language()
        groups = []
        for name in search.FACETS:
            values = []
            for value in facets[name]:
                active = chosen.get(name) == value.value
                if active or (name == "language" and value.value == page_language):
                    change = None
                else:
                    change = value.value
                values.append(
                    {
                        "label": value.label,
                        "count": value.count,
                        "active": active,
                        "url": "?" + self.form.query_string(**{name: change}),
                    }
                )
            if values:
                groups.append(
                    {"name": name, "label": self.form.fields[name].label, "values": values}
                )
        return groups

    def active_filters(self) -> list[dict]:
        labels = {
            "type": lambda value: ReleaseType(value).label,
            "language": lambda value: dict(self.form.fields["language"].choices)[value],
            "q": lambda value: f"“{value}”",
        }
        values = self.form.valid_values()
        return [
            {
                "name": self.form.fields[name].label,
                "value": labels[name](value) if name in labels else str(values[name]),
                "remove_url": "?" + self.form.query_string(**{name: None}),
            }
            for name, value in self.form.parameters().items()
        ]


class ReleaseListView(ReleaseFinderMixin, ListView):
    template_name = "releases/release_list.html"


class SearchView(ReleaseFinderMixin, ListView):
    template_name = "releases/search.html"


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

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        """The year's months, counted in the same query that lists them."""
        self.months = search.month_counts(queryset)
        if not self.months and not self.get_allow_empty():
            raise Http404("No releases that year")
        return [month for month, _count in self.months]

    def get_context_data(self, **kwargs):
        return super().get_context_data(months=self.months, **kwargs)


class ReleaseMonthArchiveView(ArchiveMixin, MonthArchiveView):
    month_format = "%m"
    template_name = "releases/release_archive_month.html"

    def get_context_data(self, **kwargs):
        year = self.get_queryset().filter(publication_date__year=int(self.get_year()))
        return super().get_context_data(months=search.month_counts(year), **kwargs)


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

    def get_context_data(self, **kwargs):
        return super().get_context_data(related=search.related_releases(self.object), **kwargs)


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
            .select_related("release")
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
