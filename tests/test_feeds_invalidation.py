"""A feed's entries are written from what each release stored when it last changed (issue 18):
after a go-live, an edit of one release, a new quote, a correction, a change to an advisory's
event or to a document, or a change to what every entry shows (the organisation), building the
feed renders no body, and shows the change at once. Only an edit renders a body, its own, when
it is saved."""

from datetime import timedelta

import pytest
import time_machine

from formats.models import AdvisoryEvent
from releases.models import Release
from releases.public import bodies
from releases.syndication import entries
from releases.workflow import publishing
from tests.factories import (
    make_advisory,
    make_organisation,
    make_quote,
    make_release,
    make_spokesperson,
    make_staff,
)
from tests.imagefiles import store_document

pytestmark = pytest.mark.django_db

FEED = "/en/feeds/releases.atom"


@pytest.fixture(autouse=True)
def _on_each_cache(cache_backend):
    """On local memory and on Redis with each process's recent entries (tests/conftest.py)."""


@pytest.fixture
def rendered(monkeypatch) -> list[int]:
    """The pks of the releases whose body is rendered, in order."""
    pks = []
    render = bodies.render_body

    def counted(release):
        pks.append(release.pk)
        return render(release)

    monkeypatch.setattr(bodies, "render_body", counted)
    return pks


@pytest.fixture
def organisation():
    return make_organisation()


@pytest.fixture
def releases(organisation):
    return [make_release(headline=f"Release {n}", body=f"<p>Body {n}.</p>") for n in range(3)]


def test_a_go_live_renders_no_body(client, releases, rendered, now):
    scheduled = make_release(
        headline="Embargo lifts",
        body="<p>Lifted at last.</p>",
        publish_at=now + timedelta(minutes=5),
    )
    rendered.clear()
    with time_machine.travel(scheduled.publish_at - timedelta(seconds=5), tick=False):
        assert "Embargo lifts" not in client.get(FEED).text
    with time_machine.travel(scheduled.publish_at + timedelta(seconds=2), tick=False):
        text = client.get(FEED).text
    assert "Lifted at last." in text
    assert all(f"Body {n}." in text for n in range(3))
    assert rendered == []


def test_an_edit_renders_its_body_alone_and_shows_at_once(client, releases, rendered):
    client.get(FEED)
    rendered.clear()
    edited = releases[1]
    edited.body = "<p>Body 1, edited.</p>"
    publishing.minor_edit(release=edited, by=None)
    assert rendered == [edited.pk]
    text = client.get(FEED).text
    assert "Body 1, edited." in text
    assert rendered == [edited.pk]

    spokesperson = make_spokesperson()  # a person: every entry may show them
    client.get(FEED)
    rendered.clear()
    make_quote(releases[2], text="A quote added later", spokesperson=spokesperson)
    assert rendered == [releases[2].pk]
    assert "A quote added later" in client.get(FEED).text
    assert rendered == [releases[2].pk]


def test_a_correction_shows_at_once(client, releases, rendered):
    client.get(FEED)
    corrected = releases[0]
    publishing.correct(release=corrected, by=make_staff("Editors"), note="Twelve, not ten.")
    rendered.clear()
    assert "Twelve, not ten." in client.get(FEED).text
    assert rendered == []


def test_a_site_wide_change_shows_in_every_entry_at_once(client, releases, organisation, rendered):
    """The organisation's end mark is in every entry, outside the stored bodies."""
    client.get(FEED)
    organisation.end_mark = "-END-"
    organisation.save()
    assert client.get(FEED).text.count("-END-") == 3
    assert rendered == []


def test_an_edit_made_while_the_feed_is_rendered_never_passes_for_current(
    client, releases, monkeypatch
):
    """The entries are read, then one is edited by someone else, then rendered from the read:
    what that request keeps must be stale to every later one."""
    fetch = entries._carried
    edited = []

    def fetch_then_edit(*args):
        found = fetch(*args)
        if not edited:
            edited.append(True)
            release = Release.objects.get(pk=releases[0].pk)
            release.body = "<p>Edited meanwhile.</p>"
            publishing.minor_edit(release=release, by=None)
        return found

    monkeypatch.setattr(entries, "_carried", fetch_then_edit)
    in_content = "– Edited meanwhile."  # after the dateline (the summary has the words too)
    assert in_content not in client.get(FEED).text
    assert in_content in client.get(FEED).text


def test_an_edit_to_an_advisorys_event_shows_at_once(client, releases, rendered):
    advisory = make_advisory(headline="Briefing", event={"venue": "Room 200"})
    assert "Room 200" in client.get(FEED).text
    rendered.clear()
    publishing.correct(release=advisory, by=None, note="The briefing moved to another room.")
    event = advisory.advisory_event
    event.venue = "Room 300"
    event.online_url = "https://live.example.org/briefing"
    event.save()
    text = client.get(FEED).text
    assert "Room 300" in text and "Room 200" not in text
    assert "https://live.example.org/briefing" in text
    assert "The time or place of this event has changed." in text

    publishing.correct(release=advisory, by=None, note="The briefing is cancelled.")
    event.status = AdvisoryEvent.Status.CANCELLED
    event.save()
    assert "This event is cancelled." in client.get(FEED).text

    publishing.correct(release=advisory, by=None, note="The briefing was announced in error.")
    event.delete()
    assert "Room 300" not in client.get(FEED).text
    # The body is rendered again for each correction (the release changed), never for its event.
    assert rendered == [advisory.pk] * 3


def test_a_new_renamed_or_removed_document_shows_at_once(client, releases, rendered):
    client.get(FEED)
    document = store_document(releases[1], title="Fact sheet")
    assert "Fact sheet" in client.get(FEED).text
    document.title = "Revised fact sheet"
    document.save()
    assert "Revised fact sheet" in client.get(FEED).text
    document.delete()
    assert "fact sheet" not in client.get(FEED).text.lower()
    assert rendered == []
