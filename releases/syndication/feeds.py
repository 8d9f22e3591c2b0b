"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the latest public releases, site-wide or filtered.

One ``Feed`` class per subject (site, campaign, topic, release type) describes the items once;
the format is only the generator that writes them. Each feed is assembled in memory once per
request, stripped of characters XML cannot carry, and answered with ETag/Last-Modified so a
reader polling every few minutes mostly gets a 304.
"""

import hashlib
import json
import math
import time
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed, SyndicationFeed
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.http import http_date, quote_etag, urlencode
from django.utils.translation import get_language, gettext, gettext_lazy
from django.views.decorators.http import require_safe

from pagecache import caching
from pagecache.middleware import depends_on
from releases.media.files import DOCUMENT_TYPES
from releases.media.images import MIME_TYPES
from releases.models import Campaign, Organisation, Release, ReleaseType, Topic, newsroom_name
from releases.public.addresses import SubjectMoved, moved_to, subject_at
from releases.syndication.entries import Entry, latest_entries
from releases.syndication.metadata import image_card, origin
from releases.text.html import absolute_links, clean_control_characters

FEED_LENGTH = 50
# Short enough that a withdrawn release leaves shared caches within a minute; readers
# revalidate cheaply with the ETag after that.
FEED_MAX_AGE = 60
SUMMARY_LENGTH = 300
# An empty feed's date: RFC 4287 wants one, and a fixed one keeps the feed and its ETag the same
# at every poll (a reader sees no change, as there is none). Its Last-Modified is when it was
# written, as for every feed (``written_feed``), so it moves when an entry leaves the feed.
NEVER_CHANGED = datetime(1970, 1, 1, tzinfo=UTC)


def _clean(value):
    """XML 1.0 cannot carry most control characters: strip them from every text on output."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        return clean_control_characters(value)
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


class TitledEnclosure(Enclosure):
    """An enclosure with the title readers see it by (a document's), where the format has one:
    Atom's link ``title``, JSON Feed's attachment ``title``."""

    def __init__(self, url, length, mime_type, title=""):
        super().__init__(url, length, mime_type)
        self.title = clean_control_characters(title)


class _CleanTextMixin:
    """Cleans every text handed to the generator, and keeps an empty feed's date stable."""

    # RSS allows one enclosure per item; Atom and JSON Feed any number.
    several_enclosures = True

    def __init__(self, *args, **kwargs):
        super().__init__(*[_clean(a) for a in args], **{k: _clean(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*[_clean(a) for a in args], **{k: _clean(v) for k, v in kwargs.items()})

    def latest_post_date(self):
        return super().latest_post_date() if self.items else NEVER_CHANGED


class RssFeed(_CleanTextMixin, Rss201rev2Feed):
    """RSS 2.0 with the full text in content:encoded and a typed atom:link rel="self"."""

    several_enclosures = False

    def rss_attributes(self):
        return super().rss_attributes() | {
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/"
        }

    def add_root_elements(self, handler):
        feed_url, self.feed["feed_url"] = self.feed["feed_url"], None
        super().add_root_elements(handler)
        self.feed["feed_url"] = feed_url
        handler.addQuickElement(
            "atom:link", None, {"rel": "self", "type": "application/rss+xml", "href": feed_url}
        )
        if settings.WEBSUB_HUB_URL:
            handler.addQuickElement(
                "atom:link", None, {"rel": "hub", "href": settings.WEBSUB_HUB_URL}
            )

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content:encoded", item["content_html"])


class AtomFeed(_CleanTextMixin, Atom1Feed):
    """Atom 1.0 with the summary and the full text as HTML content."""

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if settings.WEBSUB_HUB_URL:
            handler.addQuickElement("link", "", {"rel": "hub", "href": settings.WEBSUB_HUB_URL})

    def add_item_elements(self, handler, item):
        # The enclosures are written here, with their titles (Django's Atom1Feed has none).
        super().add_item_elements(handler, item | {"enclosures": []})
        for enclosure in item["enclosures"]:
            attributes = {
                "rel": "enclosure",
                "href": enclosure.url,
                "length": enclosure.length,
                "type": enclosure.mime_type,
            }
            if getattr(enclosure, "title", ""):
                attributes["title"] = enclosure.title
            handler.addQuickElement("link", "", attributes)
        handler.addQuickElement("content", item["content_html"], {"type": "html"})


class JsonFeed(_CleanTextMixin, SyndicationFeed):
    """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) from the same items."""

    content_type = "application/feed+json; charset=utf-8"

    def write(self, outfile, encoding):
        json.dump(self.as_dict(), outfile, ensure_ascii=False, separators=(",", ":"))

    def as_dict(self) -> dict:
        feed = self.feed
        data = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["description"],
            "language": feed["language"],
            "authors": [{"name": feed["author_name"], "url": feed["author_link"]}],
            "items": [self._item(item) for item in self.items],
        }
        if settings.WEBSUB_HUB_URL:
            data["hubs"] = [{"type": "WebSub", "url": settings.WEBSUB_HUB_URL}]
        return data

    def _item(self, item) -> dict:
        data = {
            "id": item["unique_id"],
            "url": item["link"],
            "title": item["title"],
            "content_html": item["content_html"],
            "summary": item["summary_text"],
            "date_published": item["pubdate"].isoformat(),
            "date_modified": item["updateddate"].isoformat(),
            "authors": [{"name": item["author_name"], "url": item["author_link"]}],
            "tags": list(item["categories"]),
            "language": item["language"],
        }
        if item["image"]:
            data["image"] = item["image"]["url"]
        if item["enclosures"]:
            data["attachments"] = [
                {"url": e.url, "mime_type": e.mime_type, "size_in_bytes": int(e.length)}
                | ({"title": e.title} if getattr(e, "title", "") else {})
                for e in item["enclosures"]
            ]
        return data


FORMATS = {"rss": RssFeed, "atom": AtomFeed, "json": JsonFeed}
MEDIA_TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}


class ReleasesFeed(Feed):
    """The latest public releases of the active language, site-wide."""

    url_name = "releases:feed"
    subject_label = gettext_lazy("All releases")
    # What a subject's feed is about, and the release field that names it (none: the site's).
    subject_type: type | None = None
    subject_field = ""

    def __init__(self, feed_format: str):
        self.feed_format = feed_format
        self.feed_type = FORMATS[feed_format]

    @classmethod
    def as_view(cls):
        """A view that builds a fresh feed object per request (the format is per request)."""

        def view(request, feed_format, **kwargs):
            return cls(feed_format)(request, **kwargs)

        view.__name__ = cls.__name__
        return require_safe(view)

    # The response: assembled once, validated, cacheable.

    def __call__(self, request, *args, **kwargs):
        self.request = request
        self.organisation = Organisation.current_cached()
        self.origin = origin(request)
        self.type_labels = ReleaseType.translated_labels()
        try:
            subject = self.get_object(request, *args, **kwargs)
        except ObjectDoesNotExist as error:
            raise Http404("No such feed") from error
        content, content_type, last_modified = self.written_feed(subject, request)
        response = HttpResponse(content, content_type=content_type)
        etag = quote_etag(hashlib.sha256(content).hexdigest()[:32])
        response.headers["ETag"] = etag
        response.headers["Last-Modified"] = http_date(last_modified)
        # Caches in front cannot be told of changes: never let them keep a feed past the
        # next go-live, or a release would be missing from it after its embargo lifts.
        patch_cache_control(response, public=True, max_age=caching.bounded_lifetime(FEED_MAX_AGE))
        return get_conditional_response(
            request, etag=etag, last_modified=int(last_modified), response=response
        )

    def written_feed(self, subject, request) -> tuple[bytes, str, float]:
        """The feed's bytes, media type and date. A feed is the same for every reader of its
        address, so it is written once and kept under the rules of ``pagecache.caching`` (stale
        after any change, never kept past the next go-live). Its date is when it was written:
        the newest entry's date would not move when an entry leaves the feed (a withdrawal), and
        a reader asking with ``If-Modified-Since`` alone would keep the withdrawn entry. An
        empty feed is kept too: its content's date is fixed (``NEVER_CHANGED``), so its ETag
        stays the same from poll to poll."""
        key = caching.key_for("feed", self.origin, request.path, get_language())
        feed_scopes = ["site", f"lang:{get_language()}"]
        depends_on(request, *feed_scopes)
        generation, entry = caching.read(key)
        if entry is not None:
            return entry.value
        generator = self.get_feed(subject, request)
        written = (
            generator.writeString("utf-8").encode(),
            generator.content_type,
            max(generator.latest_post_date().timestamp(), math.floor(time.time())),
        )
        caching.write(key, generation, written, caching.DEFAULT_TIMEOUT, feed_scopes)
        return written

    def get_feed(self, subject, request):
        """The generator, filled from the entries (``releases.syndication.entries``), which
        hold what it prints: Django's ``Feed.get_feed`` would ask a dozen ``item_*`` methods of
        each item, written for model instances."""
        feed = self.feed_type(
            title=self.title(subject),
            # Atom's counterpart of RSS's description: the tagline, never the title again.
            subtitle=(self.organisation.tagline if self.organisation else "") or None,
            link=f"{self.origin}{self.link(subject)}",
            description=self.description(subject),
            language=get_language(),
            feed_url=f"{self.origin}{self.feed_url(subject)}",
            author_name=self.author_name(),
            author_link=self.author_link(),
            feed_guid=self.feed_guid(subject),
        )
        author_name, author_link = self.author_name(), self.author_link()
        for entry in self.items(subject):
            feed.add_item(
                title=entry.headline,
                link=f"{self.origin}{entry.url}",
                description=self.item_description(entry),
                unique_id=entry.feed_id,
                unique_id_is_permalink=False,
                enclosures=self.item_enclosures(entry),
                pubdate=entry.published,
                updateddate=entry.updated,
                author_name=author_name,
                author_link=author_link,
                categories=self.item_categories(entry),
                **self.item_extra_kwargs(entry),
            )
        return feed

    # The subject and its items.

    def get_object(self, request, **kwargs):
        return None

    def items(self, subject) -> list[Entry]:
        releases = Release.objects.published().in_language().order_by("-publish_at", "-pk")
        if self.subject_field:
            releases = releases.filter(**{self.subject_field: subject})
        return latest_entries(releases, FEED_LENGTH, self.organisation, SUMMARY_LENGTH)

    # The feed.

    @classmethod
    def subject_url_kwargs(cls, subject) -> dict:
        return {}

    @classmethod
    def address(cls, subject, feed_format: str) -> str:
        """The address of this feed of ``subject`` in ``feed_format``."""
        return reverse(
            cls.url_name, kwargs={"feed_format": feed_format} | cls.subject_url_kwargs(subject)
        )

    def title(self, subject):
        return gettext("%(newsroom)s: %(subject)s") % {
            "newsroom": newsroom_name(self.organisation),
            "subject": self.subject_title(subject),
        }

    @classmethod
    def subject_title(cls, subject):
        return cls.subject_label

    def link(self, subject):
        return reverse("releases:list")

    def feed_url(self, subject):
        return self.address(subject, self.feed_format)

    def feed_guid(self, subject):
        """The feed's own address: a promise to subscribers, so it is also its permanent id."""
        return f"{self.origin}{self.feed_url(subject)}"

    def description(self, subject):
        if self.organisation and self.organisation.tagline:
            return self.organisation.tagline
        return self.title(subject)

    def author_name(self):
        return newsroom_name(self.organisation)

    def author_link(self):
        if self.organisation and self.organisation.website:
            return self.organisation.website
        return f"{self.origin}/"

    # Each entry.

    def item_description(self, entry: Entry) -> str:
        return escape(entry.summary)

    def item_categories(self, entry: Entry) -> list[str]:
        return [self.type_labels.get(entry.release_type, entry.release_type), *entry.categories]

    def item_enclosures(self, entry: Entry) -> list[Enclosure]:
        """The lead image (its widest rendition) as the entry's enclosure/attachment, then,
        where the format allows several (Atom, JSON Feed), its documents. RSS keeps its one
        enclosure for the lead image; every format lists the documents in the full text."""
        enclosures = []
        lead = entry.lead_image
        record = lead.largest_rendition if lead else None
        if record is not None:
            enclosures.append(
                Enclosure(
                    f"{self.origin}{lead.url_for(record)}",
                    str(record["bytes"]),
                    MIME_TYPES[record["format"]],
                )
            )
        if self.feed_type.several_enclosures:
            enclosures += [
                TitledEnclosure(
                    f"{self.origin}{document.get_absolute_url()}",
                    str(document.size),
                    DOCUMENT_TYPES[document.kind],
                    title=document.title,
                )
                for document in entry.documents
                # A row saved without its upload has no kind, and nothing to fetch.
                if document.kind in DOCUMENT_TYPES
            ]
        return enclosures

    def item_extra_kwargs(self, entry: Entry) -> dict:
        lead = entry.lead_image
        return {
            "content_html": absolute_links(entry.content, self.origin),
            "summary_text": entry.summary,
            "language": entry.language,
            "image": image_card(lead.social_image if lead else None, self.request),
        }


class SubjectFeed(ReleasesFeed):
    """The releases of one campaign or topic, found by its slug (answering 301 at its former
    slugs: subscribers keep a feed's address)."""

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except SubjectMoved as moved:
            return moved_to(request, moved)

    def get_object(self, request, slug):
        return subject_at(self.subject_type.objects.public(), slug)

    @classmethod
    def subject_url_kwargs(cls, subject) -> dict:
        return {"slug": subject.slug}

    @classmethod
    def subject_title(cls, subject):
        return str(subject)

    def link(self, subject):
        return subject.get_absolute_url()


class CampaignFeed(SubjectFeed):
    url_name = "releases:campaign-feed"
    subject_type = Campaign
    subject_field = "campaign"


class TopicFeed(SubjectFeed):
    url_name = "releases:topic-feed"
    subject_type = Topic
    subject_field = "topics"


class ReleaseTypeFeed(ReleasesFeed):
    url_name = "releases:type-feed"
    subject_type = ReleaseType
    subject_field = "release_type"

    def get_object(self, request, release_type):
        if release_type not in ReleaseType.values:
            raise Http404("No such type")
        return ReleaseType(release_type)

    @classmethod
    def subject_url_kwargs(cls, release_type) -> dict:
        return {"release_type": release_type.value}

    @classmethod
    def subject_title(cls, release_type):
        return release_type.label

    def link(self, release_type):
        """The list of that type: what the feed's readers find on the site."""
        return f"{reverse('releases:list')}?{urlencode({'type': release_type.value})}"


SUBJECT_FEEDS = (CampaignFeed, TopicFeed, ReleaseTypeFeed)


def feed_links(subject=None) -> dict:
    """What a page advertises: the title and the three addresses of a subject's feeds."""
    feed = next(
        (feed for feed in SUBJECT_FEEDS if isinstance(subject, feed.subject_type)), ReleasesFeed
    )
    return {
        "title": str(feed.subject_title(subject)),
        "formats": [
            {
                "format": name,
                "media_type": MEDIA_TYPES[name],
                "label": label,
                "url": feed.address(subject, name),
            }
            for name, label in (("rss", "RSS"), ("atom", "Atom"), ("json", "JSON Feed"))
        ],
    }
