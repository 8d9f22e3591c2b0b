"""The sign-up form that home, campaign and topic pages show (plain HTML, no script)."""

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from alerts.emails import site_url
from alerts.forms import CHOSEN, EVERYTHING
from alerts.models import Frequency
from formats import reading
from pagecache import caching
from releases.models import Campaign, ReleaseType, Topic

register = template.Library()


def _options() -> dict:
    """The public topics, and the public campaigns on now or to come (``public()``: with a
    release on record, or announced), as (id, label) pairs in the active language. Kept with
    the other public values: stale after any change, and never kept past the next go-live."""
    today = timezone.localdate()

    def compute():
        topics = Topic.objects.public()
        campaigns = (
            Campaign.objects.public().filter(end_date__gte=today).order_by("start_date", "pk")
        )
        return {
            "topics": [(topic.pk, topic.name) for topic in topics],
            "campaigns": [(campaign.pk, str(campaign)) for campaign in campaigns],
        }

    return caching.remember(
        caching.key_for("alerts-signup-options", get_language() or "", today.isoformat()), compute
    )


@register.inclusion_tag("alerts/includes/signup_form.html", takes_context=True)
def alert_signup_form(context, subject=None):
    # An include without a subject (the home page) passes the template's "" for it.
    subject = subject or None
    options = _options()
    campaigns = list(options["campaigns"])
    chosen_topic = subject.pk if isinstance(subject, Topic) else None
    chosen_campaign = subject.pk if isinstance(subject, Campaign) else None
    if chosen_campaign and chosen_campaign not in {pk for pk, _ in campaigns}:
        campaigns.insert(0, (subject.pk, str(subject)))
    request = context.get("request")
    return {
        "source": request.path if request is not None else "",
        "language": get_language(),
        "scope": CHOSEN if subject is not None else EVERYTHING,
        "release_types": ReleaseType.choices,
        "topics": options["topics"],
        "campaigns": campaigns,
        "chosen_topic": chosen_topic,
        "chosen_campaign": chosen_campaign,
        "frequencies": Frequency.choices,
        "subject": subject,
    }


@register.simple_tag
def event_for_email(release):
    """A media advisory's event as an alert gives it, or None. The text part is the release's
    plain-text version's own (``reading.event_text``: one rule for both); the HTML part lays
    out the same things: whether it is cancelled or changed, when (in the active language, in
    the place's zone, the newsroom's and UTC) and what it was moved from, where, online, the
    accreditation and the calendar file's address."""
    event = reading.advisory_event(release)
    if event is None:
        return None
    calendar_url = site_url(reading.ics_path(release))
    return {
        "text": "\n\n".join(reading.event_text(event, calendar_url)),
        "times": [span["text"] for span in reading.event_times(event)],
        "moved_from": reading.moved_from(event),
        "venue": event.venue,
        "address": event.address,
        "online_url": event.online_url,
        "accreditation_note": event.accreditation_note,
        "accreditation_contact": event.accreditation_contact,
        "cancelled": event.is_cancelled,
        "changed": event.status == event.Status.CHANGED,
        "calendar_url": calendar_url,
    }


@register.filter
def indented(text: str) -> str:
    """``text`` with each of its lines set in under a digest's numbered item."""
    return "\n".join(f"   {line}" if line else "" for line in text.split("\n"))
