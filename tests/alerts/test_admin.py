"""Staff: subscribers per list, each release's emails sent, delivered, bounced and failed, a
preview of the email and a test sent to oneself."""

import re

import pytest
from django.contrib.auth.models import User

from alerts.dispatch import dispatch
from alerts.models import Delivery, Subscriber
from releases.workflow import publishing
from tests.alerts.support import make_subscriber, run_tasks, text_part
from tests.factories import make_campaign, make_release, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser("boss", "boss@newsroom.example", "x")
    client.force_login(user)
    return client


def test_the_subscriber_list_counts_active_subscribers_per_list(admin_client):
    topic, campaign = make_topic(name_en="Road Safety"), make_campaign(name_en="Police Week")
    make_subscriber()
    make_subscriber(topics=[topic], frequency="daily")
    make_subscriber(topics=[topic], release_types=["statement"])
    make_subscriber(campaigns=[campaign], language="fr")
    make_subscriber(confirmed_at=None, topics=[topic])
    response = admin_client.get("/admin/alerts/subscriber/")
    assert response.status_code == 200
    counts = response.context["list_counts"]
    assert counts["all"] == 4 and counts["everything"] == 1
    assert ("Road Safety", 2) in counts["topics"]
    assert (str(campaign), 1) in counts["campaigns"]
    assert ("Statement", 1) in [(str(label), n) for label, n in counts["types"]]
    assert ("A daily digest", 1) in [(str(label), n) for label, n in counts["frequencies"]]


def test_each_release_shows_how_many_emails_were_sent_delivered_bounced_and_failed(
    admin_client, send_through
):
    make_subscriber()
    make_subscriber()
    make_subscriber(email="gone@paper.example")
    send_through.refuse["gone@paper.example"] = ("550 No such mailbox", 9)
    release = publishing.publish(release=make_release(published=False, headline="Counted"), by=None)
    dispatch()
    run_tasks()
    Delivery.objects.filter(state="sent").update(outcome="delivered")
    response = admin_client.get("/admin/alerts/releasealerts/")
    assert response.status_code == 200
    (row,) = [r for r in response.context["cl"].result_list if r.pk == release.pk]
    assert (row.n_sent, row.n_delivered, row.n_bounced, row.n_failed) == (2, 2, 1, 1)
    assert b"Counted" in response.content


def test_staff_preview_the_email_and_send_a_test_to_themselves(admin_client, send_through):
    release = make_release(published=False, headline="Not Yet Public")
    page = admin_client.get(f"/admin/alerts/releasealerts/{release.pk}/preview/")
    assert page.status_code == 200
    assert b"Not Yet Public" in page.content and b"max-width:600px" in page.content
    text = admin_client.get(f"/admin/alerts/releasealerts/{release.pk}/preview/?format=text")
    assert text["Content-Type"].startswith("text/plain") and b"Not Yet Public" in text.content
    sent = admin_client.post(f"/admin/alerts/releasealerts/{release.pk}/send-test/")
    assert sent.status_code == 302
    (message,) = send_through.messages
    assert message["To"] == "boss@newsroom.example"
    assert message["Subject"] == "[Test] Not Yet Public"
    assert "Not Yet Public" in text_part(message)
    assert not Delivery.objects.exists()
    assert admin_client.get("/admin/alerts/releasealerts/999999/preview/").status_code == 404


def test_subscribers_sign_up_themselves_staff_cannot_add_one(admin_client):
    """Only an address's owner can give consent (double opt-in): an address added by staff
    would have none, and the form had no address to enter."""
    assert admin_client.get("/admin/alerts/subscriber/add/").status_code == 403
    assert (
        'href="/admin/alerts/subscriber/add/"'
        not in admin_client.get("/admin/alerts/subscriber/").text
    )


def test_staff_change_a_subscribers_types_by_ticking_them(admin_client):
    subscriber = make_subscriber(everything=False, release_types=["statement"])
    change = f"/admin/alerts/subscriber/{subscriber.pk}/change/"
    page = admin_client.get(change).text
    ticked = re.findall(r'name="release_types" value="([a-z-]+)" id="[^"]+" checked', page)
    assert ticked == ["statement"]
    assert ">Release types:</label>" in page
    form = {
        "language": "en",
        "frequency": "immediately",
        "release_types": ["news-release", "media-advisory"],
        "consents-TOTAL_FORMS": "0",
        "consents-INITIAL_FORMS": "0",
    }
    response = admin_client.post(change, form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    subscriber.refresh_from_db()
    assert subscriber.chosen_types() == ["news-release", "media-advisory"]
    release = make_release(release_type="news-release")
    assert subscriber in Subscriber.objects.interested_in(release)
