"""The plain-text version (“copy as text”) says what the page says around the body: an
advisory's event (when, in every zone the page gives, and where; cancelled or moved, first) and
the corrections with their dated notes, in the release's language and typography."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from formats.models import AdvisoryEvent
from releases.models import Correction
from releases.workflow import publishing
from tests.factories import make_advisory, make_contact, make_organisation, make_release
from tests.test_event_moved_from import DEPLACE_DU, MOVED_FROM, briefing, corrected, later

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"
TORONTO = ZoneInfo("America/Toronto")
DECEMBER_3 = datetime(2026, 12, 3, 15, 0, tzinfo=TORONTO)


def text_of(client, release) -> str:
    response = client.get(release.get_text_url())
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def dated_december_3(release) -> None:
    Correction.objects.filter(release=release).update(corrected_at=DECEMBER_3)


def test_an_advisorys_text_gives_when_and_where_before_the_body(client):
    advisory = briefing(
        headline="Minister to Announce Funding",
        body="<p>The minister will announce funding.</p>",
    )
    text = text_of(client, advisory)
    calendar = f"http://testserver{advisory.get_absolute_url().rstrip('/')}.ics"
    when = (
        "When:\n  Tuesday, June 4, 2030, 9 a.m. – 10 a.m. EDT\n"
        "  Tuesday, June 4, 2030, 1 p.m. – 2 p.m. UTC"
    )
    parts = paragraphs(text)
    assert "Minister to Announce Funding" in parts  # nothing new to flag in its headline
    assert when in parts
    assert "Where: National Press Theatre, 150 Wellington St, Ottawa, ON" in parts
    assert f"Add to calendar: {calendar}" in parts
    assert "cancelled" not in text and "changed" not in text and "Moved from" not in text
    headline, event, body = (
        parts.index("Minister to Announce Funding"),
        parts.index(when),
        next(n for n, part in enumerate(parts) if "The minister will announce" in part),
    )
    assert headline < event < body


def test_an_advisorys_text_gives_the_online_link_and_accreditation(client):
    contact = make_contact(name="Jo Press", role_en="Media relations", phone="613-555-0100")
    advisory = make_advisory(
        event={
            "online_url": "https://live.example.org/briefing",
            "accreditation_note": "Bring credentials.",
            "accreditation_contact": contact,
        }
    )
    parts = paragraphs(text_of(client, advisory))
    assert "Online: https://live.example.org/briefing" in parts
    assert (
        "Accreditation\nBring credentials.\nJo Press\nMedia relations\n613-555-0100\n"
        f"{contact.email}" in parts
    )


def test_a_cancelled_event_says_so_in_its_headline_and_before_when_and_where(client):
    advisory = briefing(headline="Minister to Announce Funding")
    corrected(advisory, note="The briefing is cancelled.", status=AdvisoryEvent.Status.CANCELLED)
    text = text_of(client, advisory)
    parts = paragraphs(text)
    assert "Event cancelled: Minister to Announce Funding" in parts
    flag = parts.index("This event is cancelled.")
    assert parts[flag + 1].startswith("When:\n")
    assert parts.index("Event cancelled: Minister to Announce Funding") < flag
    assert "Add to calendar" not in text and ".ics" not in text


def test_a_cancelled_french_event_says_so_in_french(client):
    advisory = briefing(language="fr", headline="Le ministre fera une annonce")
    corrected(
        advisory, note="Le point de presse est annulé.", status=AdvisoryEvent.Status.CANCELLED
    )
    parts = paragraphs(text_of(client, advisory))
    assert f"Événement annulé{NBSP}: Le ministre fera une annonce" in parts
    assert "Cet événement est annulé." in parts
    assert not any("Ajouter à l’agenda" in part for part in parts)


def test_a_withdrawn_advisorys_event_is_cancelled(client):
    advisory = briefing(headline="Minister to Announce Funding")
    publishing.withdraw(release=advisory, by=None, reason="Postponed indefinitely.")
    parts = paragraphs(text_of(client, advisory))
    assert parts[:2] == ["This release has been withdrawn.", "Postponed indefinitely."]
    assert "This event is cancelled." in parts


def test_a_moved_event_says_where_it_moved_from_with_its_correction_in_english(client):
    advisory = briefing(headline="Minister to Announce Funding")
    corrected(
        advisory, note="The briefing starts two hours later.", **later(advisory.advisory_event, 2)
    )
    dated_december_3(advisory)
    text = text_of(client, advisory)
    parts = paragraphs(text)
    # Flagged first, as a withdrawal is, and dated as the page and the feeds date it.
    assert parts[0] == "Corrected Dec. 3, 2026: The briefing starts two hours later."
    assert "Event changed: Minister to Announce Funding" in parts
    assert "The time or place of this event has changed." in parts
    assert (
        "When:\n  Tuesday, June 4, 2030, 11 a.m. – noon EDT\n"
        f"  Tuesday, June 4, 2030, 3 p.m. – 4 p.m. UTC\n{MOVED_FROM}"
    ) in parts


def test_a_moved_french_event_and_its_correction_are_in_french_typography(client):
    make_organisation()
    advisory = briefing(
        language="fr",
        headline="Le ministre fera une annonce",
        dateline_region="Ontario",
        body='<p>Le ministre dira "nous sommes prêts" lors d\'un point de presse !</p>',
    )
    corrected(
        advisory,
        note="Le point de presse commence deux heures plus tard.",
        **later(advisory.advisory_event, 2),
    )
    dated_december_3(advisory)
    text = text_of(client, advisory)
    parts = paragraphs(text)
    assert parts[0] == (
        f"Corrigé le 3 décembre 2026{NBSP}: Le point de presse commence deux heures plus tard."
    )
    assert parts[1] == "Association canadienne des chefs de police"
    assert f"Événement modifié{NBSP}: Le ministre fera une annonce" in parts
    assert "L’heure ou le lieu de cet événement a changé." in parts
    when = next(part for part in parts if part.startswith(f"Quand{NBSP}:\n"))
    assert re.sub("[\u00a0\u202f]", " ", when) == (
        "Quand :\n  mardi 4 juin 2030, 11 h 00 – 12 h 00 HAE\n"
        f"  mardi 4 juin 2030, 15 h 00 – 16 h 00 UTC\n{DEPLACE_DU}"
    )
    assert f"Où{NBSP}: National Press Theatre, 150 Wellington St, Ottawa, ON" in parts
    calendar = f"http://testserver{advisory.get_absolute_url().rstrip('/')}.ics"
    assert f"Ajouter à l’agenda{NBSP}: {calendar}" in parts
    assert (
        f"– Le ministre dira «{NBSP}nous sommes prêts{NBSP}» lors d’un point de presse{NBSP}!"
        in text
    )


def test_corrections_of_a_news_release_are_flagged_first_in_both_languages(client):
    english = make_release(headline="Working Together")
    publishing.correct(release=english, by=None, note='The "Safe together" theme was misspelled.')
    dated_december_3(english)
    parts = paragraphs(text_of(client, english))
    assert parts[0] == "Corrected Dec. 3, 2026: The “Safe together” theme was misspelled."
    assert "Working Together" in parts  # a release with no event: its headline as it is

    french = make_release(language="fr", headline="Travailler ensemble")
    publishing.correct(release=french, by=None, note="Le thème était mal écrit.")
    publishing.correct(release=french, by=None, note="La date était erronée.")
    dated_december_3(french)
    assert paragraphs(text_of(client, french))[:2] == [
        f"Corrigé le 3 décembre 2026{NBSP}: Le thème était mal écrit.",
        f"Corrigé le 3 décembre 2026{NBSP}: La date était erronée.",
    ]


def test_the_texts_queries_do_not_grow_with_its_corrections(client, django_assert_max_num_queries):
    make_organisation()
    contact = make_contact(name="Jo Press")
    advisory = briefing(headline="Minister to Announce Funding")
    AdvisoryEvent.objects.filter(release=advisory).update(accreditation_contact=contact)
    corrected(advisory, note="First.", **later(advisory.advisory_event, 1))
    with CaptureQueriesContext(connection) as once:
        text_of(client, advisory)
    for n in range(4):
        corrected(advisory, note=f"Again {n}.", **later(advisory.advisory_event, 1))
    with django_assert_max_num_queries(len(once.captured_queries)):
        text = text_of(client, advisory)
    assert text.count("Corrected ") == 5 and "Jo Press" in text
