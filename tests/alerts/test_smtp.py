"""Alerts sent through a real SMTP server (aiosmtpd on a free port): the messages and their
headers, the embargo minute, retries with backoff, hard bounces and provider reports."""

from datetime import timedelta

import pytest
import time_machine
from anymail.signals import AnymailTrackingEvent, tracking
from django.utils import timezone

from alerts.dispatch import dispatch
from alerts.models import Delivery, DeliveryState, Subscriber
from releases.workflow import publishing
from tests.alerts.support import html_part, make_subscriber, run_tasks, text_part
from tests.factories import make_contact, make_organisation, make_release

pytestmark = pytest.mark.django_db


def publish(**fields):
    return publishing.publish(release=make_release(published=False, **fields), by=None)


def test_an_alert_arrives_through_smtp_as_text_and_html_with_one_click_unsubscribe(send_through):
    make_organisation()
    subscriber = make_subscriber(email="desk@paper.example")
    release = publish(headline="Police Week Opens", summary="The week begins.")
    release.media_contacts.add(make_contact(name="Pat Media"))
    dispatch()
    run_tasks()
    (message,) = send_through.messages
    assert message["To"] == "desk@paper.example"
    assert message["Subject"] == "Police Week Opens"
    assert message["From"] == "Canadian Association of Chiefs of Police <newsroom@localhost>"
    unsubscribe = str(message["List-Unsubscribe"]).strip()  # folded: the address is long
    assert unsubscribe.startswith("<https://news.example.org/en/alerts/unsubscribe/")
    assert unsubscribe.endswith("/>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Message-ID"] == f"<alert.{Delivery.objects.get().pk}@news.example.org>"
    assert message.get_content_type() == "multipart/alternative"
    text, html = text_part(message), html_part(message)
    assert "Police Week Opens" in text and "Pat Media" in text
    assert f"https://news.example.org{release.get_absolute_url()}" in text
    assert "/en/alerts/manage/" in text and "/en/alerts/manage/" in html
    assert "max-width:600px" in html and "<img" not in html
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.SENT and delivery.message_id == message["Message-ID"]
    assert subscriber.email == "desk@paper.example"


def test_an_alert_comes_from_the_organisation_by_name_in_the_subscribers_language(
    send_through,
):
    """Whether the email is made by Django or from the batch's bytes (an address that is not
    ASCII), the From keeps the settings' address, under the organisation's name: French,
    with its accents encoded, for a French subscriber."""
    make_organisation()
    make_subscriber(email="desk@paper.example")
    make_subscriber(email="bureau@journal.example", language="fr")
    make_subscriber(email="redaction@zeitung-ä.example", language="fr")
    publish(headline="Police Week Opens", summary="The week begins.")
    dispatch()
    run_tasks()
    received = {str(message["To"]): message for message in send_through.messages}
    idn = f"redaction@{'zeitung-ä.example'.encode('idna').decode()}"
    assert set(received) == {"desk@paper.example", "bureau@journal.example", idn}
    assert received["desk@paper.example"]["From"] == (
        "Canadian Association of Chiefs of Police <newsroom@localhost>"
    )
    for address in ("bureau@journal.example", idn):
        sender = received[address]["From"]
        assert sender.addresses[0].display_name == "Association canadienne des chefs de police"
        assert sender.addresses[0].addr_spec == "newsroom@localhost"


def test_a_from_address_with_its_own_name_is_kept(send_through, settings):
    settings.DEFAULT_FROM_EMAIL = "Press Office <press@fens.example>"
    make_organisation()
    make_subscriber(email="desk@paper.example")
    publish(headline="Police Week Opens", summary="The week begins.")
    dispatch()
    run_tasks()
    (message,) = send_through.messages
    assert message["From"] == "Press Office <press@fens.example>"


def test_an_embargoed_release_sends_nothing_a_second_before_its_minute_and_one_email_after(
    send_through, editor
):
    make_subscriber()
    go_live = (timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    release = make_release(published=False)
    publishing.submit_for_review(release=release, by=editor)
    publishing.approve(release=release, by=editor)
    publishing.schedule(release=release, by=editor, at=go_live)
    with time_machine.travel(go_live - timedelta(minutes=1), tick=False):
        dispatch()
        run_tasks()
    with time_machine.travel(go_live - timedelta(seconds=1), tick=False):
        dispatch()
        run_tasks()
    assert send_through.messages == []
    with time_machine.travel(go_live + timedelta(seconds=1), tick=False):
        dispatch()
        run_tasks()
    assert len(send_through.messages) == 1
    with time_machine.travel(go_live + timedelta(minutes=1, seconds=1), tick=False):
        dispatch()
        run_tasks()
    assert len(send_through.messages) == 1


def test_a_temporary_refusal_is_retried_later_and_sent_once(send_through):
    subscriber = make_subscriber(email="busy@paper.example")
    send_through.refuse["busy@paper.example"] = ("451 4.3.0 Try again later", 1)
    publish()
    dispatch()
    run_tasks()
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.PENDING and delivery.attempts == 1
    assert delivery.due_at > timezone.now() and "451" in delivery.last_error
    dispatch()
    run_tasks()
    assert send_through.messages == []  # not before its backoff
    with time_machine.travel(timezone.now() + timedelta(minutes=1, seconds=5), tick=False):
        dispatch()
        run_tasks()
    assert len(send_through.to(subscriber.email)) == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT and delivery.attempts == 2


def test_a_permanent_refusal_is_a_hard_bounce_that_stops_mail(send_through):
    gone = make_subscriber(email="gone@paper.example")
    send_through.refuse["gone@paper.example"] = ("550 5.1.1 No such mailbox", 99)
    publish()
    dispatch()
    run_tasks()
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.outcome) == (DeliveryState.FAILED, "bounced")
    gone.refresh_from_db()
    assert gone.bounced_at is not None
    publish()
    dispatch()
    run_tasks()
    assert Delivery.objects.count() == 1


def test_a_bounce_reported_by_the_providers_webhook_stops_mail(send_through):
    subscriber = make_subscriber(email="far@paper.example")
    publish()
    dispatch()
    run_tasks()
    (message,) = send_through.messages
    event = AnymailTrackingEvent(
        event_type="bounced", message_id=message["Message-ID"], recipient="far@paper.example"
    )
    tracking.send(sender=object, event=event, esp_name="Test")
    assert Delivery.objects.get().outcome == "bounced"
    subscriber.refresh_from_db()
    assert subscriber.bounced_at is not None
    publish()
    dispatch()
    run_tasks()
    assert len(send_through.messages) == 1


def test_rows_a_dead_worker_claimed_are_handed_out_again_after_the_claim_timeout(
    send_through, settings
):
    make_subscriber()
    publish()
    dispatch()
    Delivery.objects.update(state=DeliveryState.SENDING, claimed_at=timezone.now(), attempts=1)
    dispatch()
    run_tasks()
    assert send_through.messages == []
    later = timezone.now() + timedelta(seconds=settings.ALERTS_CLAIM_TIMEOUT + 1)
    with time_machine.travel(later, tick=False):
        dispatch()
        run_tasks()
    assert len(send_through.messages) == 1
    assert Delivery.objects.get().state == DeliveryState.SENT
    assert Subscriber.objects.get().is_active
