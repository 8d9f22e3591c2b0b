"""Plain Django: generic views and the syndication framework, as their documentation shows."""

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.views.generic import DetailView, ListView

from bench.plain.items.models import Item

HELLO = b"<!doctype html><title>Hello</title><p>Hello, world.</p>"


def hello(request):
    """Hello, world; ``?bytes=N`` pads it to N bytes, like the site's floor."""
    try:
        size = min(int(request.GET.get("bytes", "0")), 1_000_000)
    except ValueError:
        size = 0
    return HttpResponse(HELLO + b" " * max(0, size - len(HELLO)))


def public_items():
    """The items readers may see, in one language: the same rows as the site's English list."""
    return Item.objects.filter(language="en", publish_at__lte=timezone.now())


class ItemList(ListView):
    paginate_by = 20

    def get_queryset(self):
        return public_items().order_by("-publish_at")


class ItemDetail(DetailView):
    def get_queryset(self):
        return public_items()


class AtomWithContent(Atom1Feed):
    """Atom with each item's full body as HTML content."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content"], {"type": "html"})


class LatestItems(Feed):
    feed_type = AtomWithContent
    title = "Items"
    link = "/items/"
    subtitle = "The 50 newest items."

    def items(self):
        return public_items().order_by("-publish_at")[:50]

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.publish_at

    def item_extra_kwargs(self, item):
        return {"content": item.body}
