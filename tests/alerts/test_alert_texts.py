"""What an alert says of a release: a media advisory's event worded by the same rule as the
release's plain-text version (``reading.event_text``), and the body's first paragraphs kept
apart, in the text part and in the HTML part, in each subscriber's language."""

import re
from datetime import datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone, translation

from alerts.dispatch import dispatch
from alerts.emails import SUMMARY_LENGTH
from alerts.models import Frequency
from formats import reading
from releases.models import Release
from releases.workflow import publishing
from tests.alerts.support import make_subscriber, run_tasks
from tests.factories import make_advisory, make_contact, make_organisation, make_release
from tests.test_event_moved_from import corrected, later

pytestmark = pytest.mark.django_db
TORONTO = ZoneInfo("America/Toronto")
STARTS = datetime(2030, 6, 4, 9, 0, tzinfo=TORONTO)


def sent_to(subscriber):
    (message,) = [message for message in mail.outbox if message.to == [subscriber.email]]
    return message.body, unescape(message.alternatives[0][0])


def accredited_advisory(language: str):
    contact = make_contact(
        name="Jo Press",
        role_en="Media relations",
        role_fr="Relations avec les médias",
        phone="613-555-0100",
    )
    advisory = make_advisory(
        published=False,
        language=language,
        headline="Chiefs to brief media",
        event={
            "starts_at": STARTS,
            "ends_at": STARTS + timedelta(hours=1),
            "online_url": "https://live.example.org/briefing",
            "accreditation_note": "Bring a press card.",
            "accreditation_contact": contact,
        },
    )
    publishing.publish(release=advisory, by=None)
    return advisory


def event_as_text(advisory, language: str) -> str:
    """The event as the release's plain-text version words it, in ``language``."""
    calendar = "https://news.example.org" + reading.ics_path(advisory)
    with translation.override(language):
        return "\n\n".join(reading.event_text(advisory.advisory_event, calendar))


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_advisorys_alert_words_its_event_as_the_plain_text_version_does(language):
    make_organisation()
    subscriber = make_subscriber(language=language)
    daily = make_subscriber(language=language, frequency=Frequency.DAILY)
    advisory = accredited_advisory(language)
    dispatch()
    run_tasks()
    text, html = sent_to(subscriber)
    assert event_as_text(advisory, language) in text

    # The HTML keeps its own layout and says the same things.
    accreditation = {"en": "Accreditation", "fr": "Accréditation"}[language]
    role = {"en": "Media relations", "fr": "Relations avec les médias"}[language]
    for said in (accreditation, "Bring a press card.", "Jo Press", role, "613-555-0100"):
        assert said in text and said in html, said
    with translation.override(language):
        spans = [span["text"] for span in reading.event_times(advisory.advisory_event)]
    for said in (*spans, "National Press Theatre", "https://live.example.org/briefing"):
        assert said in html, said

    # Moved by a correction: the correction's alert says from when, in both parts.
    mail.outbox.clear()
    corrected(advisory, **later(advisory.advisory_event, 2))
    advisory = Release.objects.get(pk=advisory.pk)
    dispatch()
    run_tasks()
    text, html = sent_to(subscriber)
    with translation.override(language):
        moved = reading.moved_from(advisory.advisory_event)
    assert moved and moved in html
    assert event_as_text(advisory, language) in text and moved in text

    # A digest gives it too, set in under its item.
    with time_machine.travel(timezone.now() + timedelta(days=1, hours=1), tick=False):
        dispatch()
        run_tasks()
    digest, _ = sent_to(daily)
    assert re.sub(r"(?m)^(?=.)", "   ", event_as_text(advisory, language)) in digest


FIRST = "The chiefs of police meet in Ottawa on Sunday to open National Police Week."
SECOND = "Officers and communities will hold events across the country all week long."
THIRD = (
    "Each province plans its own programme of open days, school visits and memorial "
    "services, and the national ceremony closes the week on Parliament Hill with the "
    "families of fallen officers, the Governor General and the chiefs of every force in "
    "the land, who will read the names of those who died on duty this year and the year "
    "before."
)


def test_an_alerts_excerpt_keeps_the_bodys_paragraphs_apart_and_cuts_on_a_word():
    make_organisation()
    subscriber = make_subscriber()
    release = make_release(
        published=False,
        headline="Police Week Opens",
        body=f"<p>{FIRST}</p><p>{SECOND}</p><p>{THIRD}</p><p>Not reached.</p>",
    )
    publishing.publish(release=release, by=None)
    dispatch()
    run_tasks()
    text, html = sent_to(subscriber)

    assert f"{release.dateline} – {FIRST}\n\n{SECOND}\n\n" in text
    excerpt = text.split(f"{release.dateline} – ", 1)[1].split("\n\nRead it on our site", 1)[0]
    *whole, last = excerpt.split("\n\n")
    assert whole == [FIRST, SECOND]
    assert last.endswith("…") and THIRD.startswith(last[:-1])
    assert THIRD[len(last) - 1] == " "  # cut between two words
    assert len(excerpt) <= SUMMARY_LENGTH
    assert "Not reached." not in text

    paragraphs = re.findall(r"<p [^>]*>(.*?)</p>", html, re.S)
    start = next(n for n, p in enumerate(paragraphs) if release.dateline in p)
    assert paragraphs[start].endswith(f"</strong> – {FIRST}")
    assert paragraphs[start + 1 : start + 3] == [SECOND, last]
