"""A published advisory's event cancelled or moved is news to everyone who got the advisory: the
release form refuses to save it as a minor edit, and the correction it asks for reaches them."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from alerts.dispatch import dispatch
from formats.models import AdvisoryEvent
from releases.models import Correction, Release, Status
from releases.workflow import publishing
from tests.alerts.support import make_subscriber, run_tasks
from tests.factories import make_advisory
from tests.test_advisory_event_form import posted_again

pytestmark = pytest.mark.django_db

REFUSED = (
    "An event cancelled, moved, removed or back on is news to those who received the advisory: "
    "save it as a correction and say what changed."
)


def change_url(release) -> str:
    return reverse("admin:releases_release_change", args=[release.pk])


def event_form(client, advisory, **fields) -> dict:
    """The change form of ``advisory`` as its page holds it, with the event's ``fields`` typed."""
    form = posted_again(client.get(change_url(advisory)).text, advisory)
    return form | {f"advisory_event-0-{name}": value for name, value in fields.items()}


def stored(advisory) -> tuple:
    event = AdvisoryEvent.objects.get(release=advisory)
    version = Release.objects.values_list("version", flat=True).get(pk=advisory.pk)
    return (
        event.status,
        event.starts_at,
        event.time_zone,
        event.venue,
        event.address,
        event.online_url,
        event.sequence,
        version,
    )


NEWS = {
    "cancelled": {"status": "cancelled"},
    "start moved": {"starts_at_1": "14:00", "ends_at_1": "15:00"},
    "time zone": {"time_zone": "America/Vancouver"},
    "venue": {"venue": "Château Laurier"},
    "address": {"address": "1 Rideau St, Ottawa, ON"},
    "online link": {"online_url": "https://live.example.org/elsewhere"},
}


@pytest.mark.parametrize("change", NEWS.values(), ids=NEWS.keys())
def test_a_published_advisorys_event_change_is_refused_as_a_minor_edit(client, editor, change):
    advisory = make_advisory()
    client.force_login(editor)
    before = stored(advisory)

    response = client.post(change_url(advisory), event_form(client, advisory, **change))

    assert response.status_code == 200
    assert REFUSED in unescape(response.text)
    assert stored(advisory) == before
    assert not advisory.corrections.exists()
    # What was typed comes back, to be saved as a correction.
    for name, value in change.items():
        if name == "status":
            assert re.search(r'<option value="cancelled" selected>', response.text)
        else:
            assert f'value="{value}"' in response.text


def test_removing_a_published_advisorys_event_is_refused_as_a_minor_edit(client, editor):
    advisory = make_advisory()
    client.force_login(editor)

    response = client.post(change_url(advisory), event_form(client, advisory, DELETE="on"))

    assert response.status_code == 200 and REFUSED in unescape(response.text)
    assert AdvisoryEvent.objects.filter(release=advisory).exists()


def test_the_refusal_is_in_the_desks_language(client, editor):
    advisory = make_advisory()
    client.force_login(editor)
    client.cookies["django_language"] = "fr"
    form = event_form(client, advisory, status="cancelled")

    response = client.post(change_url(advisory), form)

    text = unescape(response.text).replace("\u00a0", " ")
    assert (
        "Un événement annulé, déplacé, retiré ou rétabli est une nouvelle pour ceux qui ont reçu "
        "l’avis aux médias : enregistrez-le comme correction et dites ce qui a changé." in text
    )


def test_a_minor_edit_that_leaves_the_event_as_it_was_is_saved(client, editor):
    advisory = make_advisory()
    client.force_login(editor)
    form = event_form(client, advisory, accreditation_note="Bring press credentials.") | {
        "headline": "Chiefs Brief Media"
    }

    response = client.post(change_url(advisory), form)

    assert response.status_code == 302
    advisory.refresh_from_db()
    assert advisory.headline == "Chiefs Brief Media" and advisory.updated_at is None
    assert advisory.advisory_event.accreditation_note == "Bring press credentials."


@pytest.mark.parametrize("published", ["draft", "scheduled"])
def test_the_event_of_an_advisory_not_yet_public_changes_freely(client, editor, published):
    advisory = make_advisory(published=False)
    if published == "scheduled":
        publishing.publish(release=advisory, at=timezone.now() + timedelta(days=1))
    client.force_login(editor)

    form = event_form(client, advisory, status="cancelled", venue="Château Laurier")
    response = client.post(change_url(advisory), form)

    assert response.status_code == 302, response.context["errors"]
    event = AdvisoryEvent.objects.get(release=advisory)
    assert (event.status, event.venue) == ("cancelled", "Château Laurier")


def test_a_cancellation_saved_as_a_correction_alerts_those_who_got_the_advisory(client, editor):
    early = make_subscriber()
    advisory = make_advisory(published=False, headline="Chiefs to brief media")
    publishing.publish(release=advisory, by=None)
    dispatch()
    run_tasks()
    late = make_subscriber()
    mail.outbox.clear()
    client.force_login(editor)
    form = event_form(client, advisory, status="cancelled") | {
        "edit_kind": "correction",
        "correction_note": "The briefing is cancelled.",
    }

    response = client.post(change_url(advisory), form)

    assert response.status_code == 302, response.context["errors"]
    advisory.refresh_from_db()
    assert advisory.status == Status.PUBLISHED and advisory.updated_at is not None
    assert advisory.advisory_event.status == AdvisoryEvent.Status.CANCELLED
    dispatch()
    run_tasks()
    (notice,) = mail.outbox
    assert notice.to == [early.email] and late.email not in notice.to
    assert notice.subject == "Event cancelled: Chiefs to brief media"
    assert "The briefing is cancelled." in notice.body
    assert "This event is cancelled." in notice.body


def test_a_moved_event_saved_as_a_correction_says_event_changed(client, editor):
    subscriber = make_subscriber(language="fr")
    advisory = make_advisory(published=False, headline="Point de presse")
    publishing.publish(release=advisory, by=None)
    dispatch()
    run_tasks()
    mail.outbox.clear()
    client.force_login(editor)
    form = event_form(client, advisory, venue="Château Laurier") | {
        "edit_kind": "correction",
        "correction_note": "Le point de presse a lieu au Château Laurier.",
    }

    assert client.post(change_url(advisory), form).status_code == 302
    dispatch()
    run_tasks()
    (notice,) = mail.outbox
    assert notice.to == [subscriber.email]
    assert notice.subject == "Événement modifié\u00a0: Point de presse"


def correction_alert_subject(client, advisory, *, note: str, release=(), **event_fields) -> str:
    """The subject of the one alert a correction of ``advisory`` sends, saved on the release form
    with the event's ``event_fields`` and the release's fields ``release`` typed."""
    mail.outbox.clear()
    form = event_form(client, advisory, **event_fields) | dict(release)
    form |= {"edit_kind": "correction", "correction_note": note}
    response = client.post(change_url(advisory), form)
    assert response.status_code == 302, response.context["errors"]
    dispatch()
    run_tasks()
    (notice,) = mail.outbox
    return notice.subject


def test_a_later_correction_of_a_typo_is_not_titled_as_news_of_the_event(client, editor):
    make_subscriber()
    advisory = make_advisory(published=False, headline="Chiefs to brief media")
    publishing.publish(release=advisory, by=None)
    dispatch()
    run_tasks()
    client.force_login(editor)

    moved = correction_alert_subject(
        client, advisory, note="The briefing moved.", venue="Château Laurier"
    )
    typo = correction_alert_subject(
        client,
        advisory,
        note="The headline's spelling.",
        release={"headline": "Chiefs to brief the media"},
    )

    assert moved == "Event changed: Chiefs to brief media"
    assert typo == "Corrected: Chiefs to brief the media"
    assert list(advisory.corrections.values_list("event_change", flat=True)) == ["moved", ""]


def test_a_cancellation_undone_is_titled_as_back_on(client, editor):
    make_subscriber(language="fr")
    advisory = make_advisory(published=False, headline="Point de presse")
    publishing.publish(release=advisory, by=None)
    dispatch()
    run_tasks()
    client.force_login(editor)

    cancelled = correction_alert_subject(
        client, advisory, note="Le point de presse est annulé.", status="cancelled"
    )
    back_on = correction_alert_subject(
        client, advisory, note="Le point de presse aura lieu.", status="scheduled"
    )

    assert cancelled == "Événement annulé\u00a0: Point de presse"
    assert back_on == "Événement rétabli\u00a0: Point de presse"


def test_a_script_cannot_cancel_a_public_advisorys_event_without_a_correction():
    advisory = make_advisory()
    event = advisory.advisory_event
    publishing.minor_edit(release=advisory, by=None)
    before = stored(advisory)

    event.status = AdvisoryEvent.Status.CANCELLED
    with pytest.raises(ValidationError) as refusal:
        event.save()
    with pytest.raises(ValidationError):
        AdvisoryEvent.objects.get(release=advisory).delete()

    assert refusal.value.code == "news"
    assert stored(advisory) == before


def test_a_scripts_correction_records_what_it_did_to_the_event():
    advisory = make_advisory()
    event = advisory.advisory_event

    with transaction.atomic():
        publishing.correct(release=advisory, by=None, note="The briefing moved and is now off.")
        event.venue = "Château Laurier"
        event.status = AdvisoryEvent.Status.CANCELLED
        event.save()

    (correction,) = advisory.corrections.all()
    assert correction.event_change == Correction.EventChange.CANCELLED
    assert AdvisoryEvent.objects.get(release=advisory).status == AdvisoryEvent.Status.CANCELLED


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "Event removed: Chiefs to brief media"),
        ("fr", "Événement retiré\u00a0: Chiefs to brief media"),
    ],
)
def test_an_event_removed_as_a_correction_is_titled_as_removed(client, editor, language, said):
    """Not « Corrected »: a removed event is news of the event, as a cancelled one is."""
    make_subscriber(language=language)
    advisory = make_advisory(published=False, headline="Chiefs to brief media")
    publishing.publish(release=advisory, by=None)
    dispatch()
    run_tasks()
    client.force_login(editor)

    removed = correction_alert_subject(
        client, advisory, note="The briefing is off the agenda.", DELETE="on"
    )

    assert removed == said
    assert list(advisory.corrections.values_list("event_change", flat=True)) == ["removed"]
