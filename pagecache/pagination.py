"""Pagination whose cost does not grow with the page number or the size of the table.

Django's ``Paginator`` runs ``COUNT(*)`` over the whole list on every request and fetches page
*n* with ``OFFSET (n - 1) * per_page``, which reads and throws away every row before it: page
2,000 of 100,000 releases reads 40,000 rows. ``ConstantCostPaginator`` instead

- keeps the count in the cache (``pagecache.caching``: stale after any change, never kept past
  the next go-live), so ``COUNT(*)`` runs once per change, not once per request;
- fetches a page by *keyset*: it finds the sort key of the page's first row once (from the
  previous page's key when that one is known, which costs one page of rows; else with an
  index-only OFFSET query), caches it, and then reads
  ``WHERE (publish_at, id) <= (key) ORDER BY publish_at DESC, id DESC LIMIT 20``, which starts
  right at the page in the index.

A page's rows are kept too, so that a list read again before anything changes runs no query.
Page numbers in URLs stay as they are (``?page=2000``). Orderings that are not plain model
fields (a search rank, say) fall back to OFFSET, still with the cached count.
"""

from functools import reduce
from operator import or_

from django.core.paginator import Paginator
from django.db.models import Q
from django.utils.functional import cached_property

from pagecache import caching


class ConstantCostPaginator(Paginator):
    # NULL sorts differently across databases, so nullable sort fields get no keyset, except
    # these, which every public list filters on (``published()`` requires a publication time).
    never_null_in_lists = frozenset({"publish_at"})

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        self.cache_key = kwargs.pop("cache_key", None)
        # What the list shows (``pagecache.caching`` scopes); every global scope when None.
        self.scopes = kwargs.pop("scopes", None)
        # A list that knows its length from elsewhere (a facet count) spares a COUNT(*).
        self.counter = kwargs.pop("counter", None)
        super().__init__(object_list, per_page, orphans, allow_empty_first_page, **kwargs)

    def _key(self, *parts) -> str:
        return caching.key_for("pages", self.cache_key, str(self.per_page), *map(str, parts))

    @cached_property
    def count(self):
        if self.counter is not None:
            return self.counter()
        if self.cache_key is None:
            return super().count
        return caching.remember(
            self._key("count"), lambda: Paginator.count.func(self), scopes=self.scopes
        )

    @cached_property
    def ordering(self) -> list[tuple[str, bool]] | None:
        """The list's ordering as (field, descending) pairs, or None when keysets can't apply."""
        query = getattr(self.object_list, "query", None)
        if query is None or not query.order_by or query.extra_order_by:
            return None
        model = self.object_list.model
        ordering = []
        for item in query.order_by:
            if not isinstance(item, str) or "__" in item or item.lstrip("-") == "?":
                return None
            name = item.lstrip("-")
            if name in query.annotations:  # a search rank, say: computed, not a column
                return None
            field = model._meta.pk if name == "pk" else model._meta.get_field(name)
            if field.null and name not in self.never_null_in_lists:
                return None
            ordering.append((field.attname, item.startswith("-")))
        if not any(model._meta.get_field(name).unique for name, _ in ordering):
            return None  # without a unique tiebreaker, a keyset could skip or repeat rows
        return ordering

    def page(self, number):
        """The page's rows are the same for every reader of the list until the newsroom changes
        or the next go-live, so they are found once and kept (``pagecache.caching``)."""
        number = self.validate_number(number)
        if self.cache_key is None:
            return self._find_page(number)
        rows = caching.remember(
            self._key("rows", number),
            lambda: list(self._find_page(number).object_list),
            scopes=self.scopes,
        )
        return self._get_page(rows, number, self)

    def _find_page(self, number):
        if number == 1 or self.ordering is None or self.cache_key is None:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        anchor = self._anchor(number)
        if anchor is None:
            return super().page(number)
        rows = self.object_list.filter(self._from(anchor))[: top - bottom]
        return self._get_page(rows, number, self)

    def _anchor(self, number: int) -> tuple | None:
        """The sort key of the first row of page ``number`` (cached)."""
        key = self._key("anchor", number)
        generation, entry = caching.read(key)
        if entry is not None:
            return entry.value
        fields = [name for name, _ in self.ordering]
        keys = self.object_list.values_list(*fields)
        _, previous = caching.read(self._key("anchor", number - 1))
        if previous is not None and previous.value is not None:
            found = keys.filter(self._from(previous.value))[self.per_page : self.per_page + 1]
        else:
            bottom = (number - 1) * self.per_page
            found = keys[bottom : bottom + 1]
        anchor = next(iter(found), None)
        if anchor is not None and None in anchor:
            anchor = None
        caching.write(key, generation, anchor, caching.DEFAULT_TIMEOUT, self.scopes)
        return anchor

    def _from(self, anchor: tuple) -> Q:
        """Rows at or after ``anchor`` in the list's order: a row comparison written so that the
        database can start its index scan there (the first column's bound stands alone)."""
        (first, first_descending), *_ = self.ordering
        conditions = []
        for position, (name, descending) in enumerate(self.ordering):
            equal = {self.ordering[i][0]: anchor[i] for i in range(position)}
            last = position == len(self.ordering) - 1
            lookup = ("lte" if last else "lt") if descending else ("gte" if last else "gt")
            conditions.append(Q(**equal, **{f"{name}__{lookup}": anchor[position]}))
        bound = "lte" if first_descending else "gte"
        return Q(**{f"{first}__{bound}": anchor[0]}) & reduce(or_, conditions)
