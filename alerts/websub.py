"""WebSub (W3C): feeds name a hub, and the hub is told when a feed changes, so that readers
subscribed through it hear at once instead of polling."""

import logging
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from releases.models import Release

logger = logging.getLogger(__name__)
FORMATS = ("rss", "atom", "json")
TIMEOUT = 10


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def feed_urls_for(release: Release) -> list[str]:
    """Every feed the release appears in: the site's, its type's, its campaign's and its
    topics', in its language, in each format."""
    with translation.override(release.language):  # the language's slugs too
        subjects = [
            ("releases:feed", {}),
            ("releases:type-feed", {"release_type": release.release_type}),
        ]
        if release.campaign_id:
            subjects.append(("releases:campaign-feed", {"slug": release.campaign.slug}))
        subjects += [
            ("releases:topic-feed", {"slug": topic.slug}) for topic in release.topics.all()
        ]
        return [
            _absolute(reverse(name, kwargs={"feed_format": fmt} | kwargs))
            for name, kwargs in subjects
            for fmt in FORMATS
        ]


def ping(feed_urls: list[str]) -> int:
    """POST hub.mode=publish for each feed; returns how many the hub accepted (2xx)."""
    hub = settings.WEBSUB_HUB_URL
    if not hub:
        return 0
    accepted = 0
    for url in feed_urls:
        data = urllib.parse.urlencode({"hub.mode": "publish", "hub.url": url}).encode()
        request = urllib.request.Request(
            hub,
            data=data,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                accepted += 200 <= response.status < 300
        except (urllib.error.URLError, OSError) as error:
            logger.warning("websub hub ping failed", extra={"feed": url, "error": str(error)})
    return accepted
