"""The go-live scenario's release: written, reviewed, approved and scheduled through
releases.workflow.publishing, as an editor's would be, to go public at the start of a minute.

Run inside the site's Django by bench/golive.py:
``manage.py shell -c "from bench.golive_release import main; main('<token>', <lead seconds>)"``.
Prints one JSON line: the release's address, its minute (Unix time), headline and token.
"""

import json
from datetime import timedelta

from django.utils import timezone, translation

from releases.models import Release, ReleaseType
from releases.workflow import publishing


def main(token: str, lead: float) -> None:
    """Schedule a release whose headline carries ``token`` for the first minute that starts at
    least ``lead`` seconds from now."""
    now = timezone.now()
    at = (now + timedelta(seconds=lead)).replace(second=0, microsecond=0) + timedelta(minutes=1)
    release = Release(
        headline=f"Embargo lifts for bench release {token}",
        slug=f"embargo-lifts-for-bench-release-{token.lower()}",
        release_type=ReleaseType.NEWS_RELEASE,
        language="en",
        dateline_city="Port Alder",
        dateline_region="ON",
        summary=f"A fictional release scheduled by make bench ({token}) to measure its go-live.",
        body=(
            f"<p>PORT ALDER, ON — This fictional release ({token}) was scheduled by the "
            "benchmark to go public at the start of a minute, while readers poll the lists, "
            "the home page and the feed.</p>"
            "<p>It shows how soon every reader sees it, and what the pages cost meanwhile.</p>"
        ),
    )
    publishing.save_draft(release=release, by=None)
    publishing.submit_for_review(release=release, by=None)
    publishing.approve(release=release, by=None)
    publishing.schedule(release=release, by=None, at=at)
    with translation.override("en"):
        url = release.get_absolute_url()
    print(
        json.dumps({"url": url, "at": at.timestamp(), "headline": release.headline, "token": token})
    )
