"""A batch of alerts rendered once and copied per subscriber: through a real SMTP server each
copy is the email Django itself would make for that subscriber, and the claim on the batch's
rows is renewed per batch, not per email, without sending a row another worker took."""

import re

import pytest
from django.utils import timezone

from alerts import rendering, tokens
from alerts.dispatch import dispatch
from alerts.models import Delivery, DeliveryState
from alerts.sending import Claim, claim, send_alerts
from releases.models import Organisation
from releases.workflow import publishing
from tests.alerts.support import html_part, make_subscriber, text_part
from tests.factories import make_organisation, make_release, make_topic

pytestmark = pytest.mark.django_db


def same(one: str, other: str) -> bool:
    """Equal but for the signed tokens, whose timestamp may differ by a second."""
    token = re.compile(r"/eyJ[^/]+/")
    return token.sub("/TOKEN/", one) == token.sub("/TOKEN/", other)


def test_each_copy_carries_its_own_address_links_and_choices_in_its_language(send_through):
    make_organisation()
    topic = make_topic(name_en="Road safety", name_fr="Sécurité routière")
    english = make_subscriber(email="desk@paper.example")
    french = make_subscriber(email="bureau@journal.example", language="fr", topics=[topic])
    everything_fr = make_subscriber(email="tout@journal.example", language="fr")
    idn = make_subscriber(email="desk@zeitung-ä.example")  # goes the usual way: not ASCII
    release = make_release(published=False, headline="Road Plan")
    release.topics.add(topic)
    publishing.publish(release=release, by=None)
    dispatch()
    ids = list(Delivery.objects.values_list("pk", flat=True))
    assert send_alerts(ids) == 4

    received = {str(message["To"]): message for message in send_through.messages}
    assert set(received) == {
        "desk@paper.example",
        "bureau@journal.example",
        "tout@journal.example",
        f"desk@{'zeitung-ä.example'.encode('idna').decode()}",
    }
    for subscriber in (english, french, everything_fr, idn):
        delivery = Delivery.objects.select_related("subscriber", "release").get(
            subscriber=subscriber
        )
        expected = rendering.alert_message(delivery, Organisation.current()).message()
        got = received[str(expected["To"])]
        for header in ("Subject", "From", "Message-ID", "List-Id", "List-Unsubscribe-Post"):
            assert got[header] == expected[header], header
        unsubscribe = str(got["List-Unsubscribe"]).strip()
        assert same(unsubscribe, expected["List-Unsubscribe"].strip())
        assert tokens.from_manage_token(unsubscribe.rstrip("/>").rsplit("/", 1)[1]) == subscriber
        for got_part, expected_part in zip(
            (text_part(got), html_part(got)), expected.get_payload(), strict=True
        ):
            assert same(got_part.replace("\r\n", "\n"), expected_part.get_payload())
        assert delivery.state == DeliveryState.SENT and delivery.message_id == got["Message-ID"]
    assert "(Sécurité routière)" in text_part(received["bureau@journal.example"])
    assert "(tous les communiqués)" in text_part(received["tout@journal.example"])
    assert "(every release)" in html_part(received["desk@paper.example"])
    assert "/fr/" in str(received["tout@journal.example"]["List-Unsubscribe"])


def test_a_batch_costs_one_statement_per_email(send_through, django_assert_max_num_queries):
    make_organisation()
    for _ in range(30):
        make_subscriber()
    publishing.publish(release=make_release(published=False), by=None)
    dispatch()
    ids = list(Delivery.objects.values_list("pk", flat=True))
    with django_assert_max_num_queries(30 + 15):
        assert send_alerts(ids) == 30
    assert len(send_through.messages) == 30


def test_a_row_another_worker_took_between_two_renewals_is_not_sent_by_this_one():
    for _ in range(3):
        make_subscriber()
    publishing.publish(release=make_release(published=False), by=None)
    dispatch()
    first, taken, last = claim(list(Delivery.objects.values_list("pk", flat=True)))
    held = Claim([first, taken, last])
    assert held.holds(first)
    held.done(first)
    # This worker was taken for dead: the dispatcher handed the row to another one.
    Delivery.objects.filter(pk=taken.pk).update(claim="another worker", claimed_at=timezone.now())
    held.renew()
    assert not held.holds(taken)
    assert held.holds(last)
    assert (
        Delivery.objects.get(pk=last.pk).claimed_at > Delivery.objects.get(pk=first.pk).claimed_at
    )
