"""The release list and the search page's common ground: the public releases of a language
as lists show them, and the finder (query words, facet filters and their counts)."""

from html import escape

from django.http import Http404
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from newsroom.errors import NoSuchListPage
from pagecache import caching
from pagecache.middleware import depends_on
from pagecache.pagination import ConstantCostPaginator
from releases import scopes
from releases.models import Release, ReleaseType
from releases.public.addresses import current_slug, moved_permanently
from releases.public.forms import ReleaseFilterForm
from releases.search import facets as search_facets
from releases.search import matches as search_matches
from releases.search import query as search_query
from releases.search.suggest import did_you_mean
from releases.syndication.feeds import feed_links
from releases.text.numbers import count_writer
from releases.text.typography import isolated

RELEASES_PER_PAGE = 20
# A facet value's link with its count; the chosen value's link is marked.
_FACET_VALUE = '<li><a href="{}"{}>{}</a> <span class="facet__count">({})</span></li>'
_CURRENT = mark_safe(' aria-current="true" class="facet__active"')


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
            queryset,
            per_page,
            orphans,
            allow_empty_first_page,
            cache_key=cache_key,
            scopes=self.list_scopes(),
            **kwargs,
        )

    def paginate_queryset(self, queryset, page_size):
        """A ``?page=`` naming none of the list's pages (past the last, or not a number) is
        a 404 that says so and links to the first page."""
        try:
            return super().paginate_queryset(queryset, page_size)
        except Http404 as error:
            rest = self.request.GET.copy()
            page = rest.pop(self.page_kwarg, [""])[-1]
            first = f"{self.request.path}?{rest.urlencode()}" if rest else self.request.path
            raise NoSuchListPage(page[:40], first) from error

    def list_scopes(self) -> list[str]:
        """What a list of the page's language shows: its releases, their counts, and names."""
        return [scopes.SITE, scopes.COUNTS, scopes.language(translation.get_language())]

    def public_releases(self):
        return Release.objects.published().in_language().for_listing()


class ReleaseFinderMixin(PublicReleasesMixin):
    """The release list and the search page: query words and facet filters from the URL (so
    the URL describes the view), counts beside each facet value, removable active filters."""

    context_object_name = "releases"

    def get(self, request, *args, **kwargs):
        self.form = ReleaseFilterForm.from_query(request.GET)
        if moved := self.renamed_filters():
            return moved
        self.filters = self.form.filters(default_language=translation.get_language())
        # Query words: the matches are read once, for the facet counts and the ranking.
        self.matches = search_matches.Matches(self.filters) if self.filters.query else None
        depends_on(request, *self.list_scopes())
        return super().get(request, *args, **kwargs)

    def renamed_filters(self):
        """A 301 to the same list when a filter names a campaign, topic or spokesperson by a
        slug it had before (``?topic=old-slug``, from a link made then), else None."""
        changed = {}
        for name, model in self.form.SUBJECT_FILTERS.items():
            given = self.form.data.get(name)
            if given and name in self.form.errors:
                current = current_slug(model, given)
                if current is not None:
                    changed[name] = current
        if not changed:
            return None
        query = self.request.GET.copy()
        for name, slug in changed.items():
            query[name] = slug
        return moved_permanently(f"{self.request.path}?{query.urlencode()}")

    def list_scopes(self) -> list[str]:
        """A list in another language than the page's (``?language=fr``) shows that one's."""
        return [*super().list_scopes(), scopes.language(self.filters.language)]

    def get_queryset(self):
        return search_query.find_releases(self.filters, self.matches)

    def get_paginator(self, *args, **kwargs):
        return super().get_paginator(*args, counter=self.matching_count, **kwargs)

    def matching_count(self) -> int:
        """How many releases the list has: its language's count among the facet counts, which
        the page needs anyway, so no COUNT(*) of its own."""
        languages = self.facets_of(self.filters)["language"]
        return next((value.count for value in languages if value.value == self.filters.language), 0)

    def facets_of(self, filters) -> dict[str, list[search_facets.FacetValue]]:
        """The facet counts of ``filters``, found once per request (the count, the panel and
        the year links all read them)."""
        found = self.__dict__.setdefault("_facets", {})
        if filters not in found:
            matches = self.matches if filters == self.filters else None
            found[filters] = search_facets.facet_counts(filters, matches)
        return found[filters]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = context.get("paginator")
        count = paginator.count if paginator else len(context["releases"])
        return context | {
            "form": self.form,
            "filters": self.filters,
            "facet_panel": self.facet_panel(),
            "active_filters": self.active_filters(),
            "ignored_parameters": self.form.ignored,
            "query_was_cut": self.form.query_was_cut,
            "query_string": self.form.query_string(),
            "result_sentence": search_facets.result_sentence(count, self.filters),
            "suggestion": did_you_mean(count, self.filters, self.form),
            **self.chosen_feeds(),
        }

    def chosen_feeds(self) -> dict:
        """The feeds of what the reader chose (a type, a topic, a campaign), before the site's:
        a reader who filters by one can follow it (``discovery._page_feeds``)."""
        filters = self.filters
        chosen = [
            ReleaseType(filters.release_type) if filters.release_type else None,
            filters.topic,
            filters.campaign,
        ]
        subjects = [subject for subject in chosen if subject is not None]
        if not subjects:
            return {}
        return {"feeds": [*(feed_links(subject) for subject in subjects), feed_links()]}

    def facet_panel(self) -> str:
        """The facets' HTML. It is the same for every reader of this list (its address and valid
        filters), so it is rendered once and kept under the rules of ``pagecache.caching``."""
        key = caching.key_for(
            "facet-panel",
            translation.get_language(),
            self.request.path,
            self.form.query_string(),
        )
        return caching.remember(
            key,
            # Stripped: "" when there is no facet to show (the template says whether to link).
            lambda: mark_safe(
                render_to_string(
                    "releases/includes/facets.html",
                    {"facets": self.facet_groups(self.facets_of(self.filters))},
                ).strip()
            ),
            search_facets.FACET_CACHE_SECONDS,
            scopes=[scopes.SITE, scopes.COUNTS],
        )

    def facet_groups(self, facets: dict[str, list[search_facets.FacetValue]]) -> list[dict]:
        """Each facet's values as list items, ready to print: the panel has a hundred, and
        written here rather than by the template they cost a quarter as much."""
        chosen = self.form.parameters() | {"language": self.filters.language}
        page_language = translation.get_language()
        path = self.request.path
        write_count = count_writer()
        groups = []
        for name in search_facets.FACETS:
            values = []
            for value in facets[name]:
                active = chosen.get(name) == value.value
                if active or (name == "language" and value.value == page_language):
                    change = None
                else:
                    change = value.value
                url = f"{path}?{self.form.query_string(**{name: change})}"
                count = escape(write_count(value.count))
                values.append(
                    _FACET_VALUE.format(
                        escape(url), _CURRENT if active else "", escape(str(value.label)), count
                    )
                )
            if values:
                # Escaped above, as Django's templates escape (html.escape, quotes too).
                items = mark_safe("\n".join(values))
                groups.append({"name": name, "label": self.form.fields[name].label, "items": items})
        return groups

    def active_filters(self) -> list[dict]:
        labels = {
            "type": lambda value: ReleaseType(value).label,
            "language": lambda value: dict(self.form.fields["language"].choices)[value],
            "q": lambda value: _("“%(words)s”") % {"words": isolated(value)},
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
