"""Email alerts: signing up without an account, double opt-in, managing and leaving, and the
dispatcher's rules (one email per release, in the subscriber's language; corrections to those
who got the original; withdrawals; nothing for a minor edit or a backdated release)."""

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.test import Client
from django.utils import timezone

from alerts import tokens
from alerts.dispatch import dispatch, next_digest_at
from alerts.models import Consent, Delivery, DeliveryState, Frequency, Subscriber
from releases.models import ReleaseType
from releases.workflow import publishing
from tests.alerts.support import make_subscriber, run_tasks
from tests.factories import (
    make_advisory,
    make_campaign,
    make_contact,
    make_organisation,
    make_release,
    make_topic,
)

pytestmark = pytest.mark.django_db
TORONTO = ZoneInfo("America/Toronto")


def publish_now(**fields):
    """A release published at this minute, as news (not backdated)."""
    release = make_release(published=False, **fields)
    return publishing.publish(release=release, by=None)


def link_in(message, name: str) -> str:
    """The path of the first link to /<lang>/alerts/<name>/ in an email's text."""
    match = re.search(rf"https://news\.example\.org(/\w\w/alerts/{name}/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def sign_up(client, email="journalist@example.com", **fields):
    data = {
        "email": email,
        "language": "en",
        "scope": "everything",
        "frequency": "immediately",
        "source": "/en/",
    } | fields
    return client.post("/en/alerts/", data)


# Signing up -------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["home", "campaign", "topic"])
def test_the_sign_up_form_is_plain_html_on_home_campaign_and_topic_pages(client, page):
    campaign, topic = make_campaign(end_date=timezone.localdate()), make_topic()
    make_release(campaign=campaign).topics.add(topic)
    path = {
        "home": "/en/",
        "campaign": campaign.get_absolute_url(),
        "topic": topic.get_absolute_url(),
    }[page]
    html = client.get(path).content.decode()
    form = re.search(
        r'<form method="post" action="/en/alerts/" class="alerts-form">.*?</form>', html, re.S
    )
    assert form, html
    form = form.group(0)
    assert 'type="email" name="email"' in form and "<script" not in form
    assert 'name="frequency" value="daily"' in form and 'name="language" value="fr"' in form
    if page == "campaign":
        assert f'name="campaigns" value="{campaign.pk}" checked' in form
    if page == "topic":
        assert f'name="topics" value="{topic.pk}" checked' in form
    scope = "everything" if page == "home" else "chosen"
    assert f'name="scope" value="{scope}" checked' in form
    # Sent as it loads, with an address typed in, it signs up (no choice left to make).
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    for name in ("scope", "frequency", "language", "topics", "campaigns"):
        fields[name] = re.findall(rf'name="{name}" value="([^"]*)" checked', form)
    response = client.post("/en/alerts/", fields | {"email": "desk@example.com"})
    assert response.status_code == 302, response.content.decode()
    assert Subscriber.objects.get().email == "desk@example.com"


def test_double_opt_in_the_link_opens_a_page_whose_button_alone_confirms(client, settings):
    response = sign_up(client, source="/en/campaigns/week/")
    assert response.status_code == 302 and response["Location"] == "/en/alerts/check-your-inbox/"
    subscriber = Subscriber.objects.get()
    assert not subscriber.is_active
    assert mail.outbox == []  # sent by a worker, not by the request
    assert run_tasks() == 1
    (message,) = mail.outbox
    assert message.to == ["journalist@example.com"]
    assert message.subject == "Confirm your email alerts"
    # Nothing is received before the confirmation: neither version says so.
    for version in (message.body, message.alternatives[0][0]):
        assert "because you asked for them" not in version
        assert "Change or end your alerts" in version
    confirm = link_in(message, "confirm")

    # A mail scanner following the link confirms nothing.
    page = client.get(confirm)
    assert page.status_code == 200 and b'<button type="submit"' in page.content
    assert "no-cache" in page["Cache-Control"] and "noindex" in page["X-Robots-Tag"]
    subscriber.refresh_from_db()
    assert not subscriber.is_active

    done = Client(enforce_csrf_checks=False).post(confirm)
    assert done.status_code == 200 and b"Your alerts are on" in done.content
    subscriber.refresh_from_db()
    assert subscriber.is_active
    (consent,) = Consent.objects.all()
    assert consent.source == "/en/campaigns/week/" and consent.confirmed_at is not None
    assert consent.choices["everything"] is True and "email alerts" in consent.statement


def test_the_confirmation_link_lasts_seven_days(client):
    sign_up(client)
    run_tasks()
    confirm = link_in(mail.outbox[0], "confirm")
    with time_machine.travel(timezone.now() + timedelta(days=7, seconds=5)):
        assert client.get(confirm).status_code == 404
        assert client.post(confirm).status_code == 404
    assert not Subscriber.objects.get().is_active


def test_a_sign_up_never_reveals_whether_the_address_is_already_subscribed(client):
    subscriber = make_subscriber(email="known@example.com", release_types=["statement"])
    first = sign_up(client, email="known@example.com")
    second = sign_up(client, email="unknown@example.com")
    assert (first.status_code, first["Location"]) == (second.status_code, second["Location"])
    assert client.get(first["Location"]).content == client.get(second["Location"]).content
    run_tasks()
    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address["unknown@example.com"].subject == "Confirm your email alerts"
    assert by_address["known@example.com"].subject == "You already receive our email alerts"
    subscriber.refresh_from_db()
    assert subscriber.chosen_types() == ["statement"] and not subscriber.everything


def test_a_french_sign_up_is_told_its_choices_in_french(client):
    make_subscriber(email="connu@example.com", language="fr", release_types=["statement"])
    sign_up(client, email="nouveau@example.com", language="fr")
    sign_up(client, email="connu@example.com", language="fr")
    run_tasks()
    by_address = {message.to[0]: message for message in mail.outbox}
    confirm, again = by_address["nouveau@example.com"], by_address["connu@example.com"]
    for message in (confirm, again):
        html = message.alternatives[0][0]
        assert "every release" not in message.body and "Statement" not in message.body
        assert "every release" not in html and "Statement" not in html
    assert "tous les communiqués" in confirm.body
    assert "Déclaration" in again.body


def test_a_confirmation_comes_from_the_organisation_by_name(client):
    make_organisation()
    sign_up(client)
    run_tasks()
    (message,) = mail.outbox
    assert message.from_email == "Canadian Association of Chiefs of Police <newsroom@localhost>"
    assert message.message()["From"] == message.from_email


def test_without_an_organisation_a_confirmation_comes_from_the_bare_address(client):
    sign_up(client)
    run_tasks()
    (message,) = mail.outbox
    assert message.message()["From"] == "newsroom@localhost"


def test_a_sign_up_sent_twice_sends_one_email(client, settings):
    """A double click on “Sign up” (or a browser resending the form) records one consent and
    sends one confirmation; other choices, or the same ones asked again later, send another."""
    settings.ALERTS_SIGNUPS_PER_HOUR = 10
    sign_up(client)
    sign_up(client)
    run_tasks()
    assert len(mail.outbox) == 1
    assert Consent.objects.count() == 1
    sign_up(client, frequency="daily")
    run_tasks()
    assert len(mail.outbox) == 2
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        sign_up(client, frequency="daily")
        run_tasks()
    assert len(mail.outbox) == 3


def test_sign_ups_are_rate_limited_per_address_without_saying_so(client, settings):
    settings.ALERTS_SIGNUPS_PER_HOUR = 2
    frequencies = ["immediately", "daily", "immediately", "daily"]  # not a double post
    answers = {
        sign_up(Client(REMOTE_ADDR=f"10.0.0.{n}"), email="Same@Example.com", frequency=often)[
            "Location"
        ]
        for n, often in enumerate(frequencies)
    }
    assert answers == {"/en/alerts/check-your-inbox/"}
    run_tasks()
    assert len(mail.outbox) == 2


def test_sign_ups_from_one_client_are_rate_limited(client, settings):
    settings.ALERTS_SIGNUPS_PER_CLIENT_PER_HOUR = 2
    codes = [sign_up(client, email=f"r{n}@example.com").status_code for n in range(3)]
    assert codes == [302, 302, 429]


def test_a_newsroom_behind_one_address_signs_up_more_people_than_one_address_may(client, settings):
    """The limit per client is not the limit per email address: one IP may be a newsroom."""
    for n in range(settings.ALERTS_SIGNUPS_PER_HOUR + 2):
        assert sign_up(client, email=f"reporter{n}@example.com").status_code == 302
    run_tasks()
    assert len(mail.outbox) == settings.ALERTS_SIGNUPS_PER_HOUR + 2


def test_a_form_sent_back_with_an_error_does_not_count_against_the_limit(client, settings):
    settings.ALERTS_SIGNUPS_PER_CLIENT_PER_HOUR = 1
    for _mistake in range(3):
        assert sign_up(client, email="not an address").status_code == 400
    assert sign_up(client, email="typed@example.com").status_code == 302
    assert sign_up(client, email="another@example.com").status_code == 429


@pytest.mark.parametrize(
    "fields",
    [
        {"email": "not an address"},
        {"scope": "chosen"},
        {"frequency": "hourly"},
        {"language": "de"},
        {"topics": "999999"},
        {"release_types": "press-kit", "scope": "chosen"},
    ],
)
def test_bad_sign_up_input_answers_400_with_the_form(client, fields):
    response = sign_up(client, **fields)
    assert response.status_code == 400
    assert b'class="alerts-form"' in response.content
    assert not Subscriber.objects.exists()


def test_the_form_sent_back_asks_in_the_home_pages_order_and_only_what_there_is(client):
    """No "Topics" heading over no topic; the same order as the form on the home page."""
    make_release(campaign=make_campaign(end_date=timezone.localdate()))
    home = client.get("/en/").text
    back = sign_up(client, email="not an address").content.decode()
    legends = [re.findall(r"<legend>([^<]+)</legend>", html) for html in (home, back)]
    assert "Topics" not in legends[1] and "Campaigns" in legends[1]
    assert legends[1] == ["Which releases", "Types", "Campaigns", "How often", "Language"]
    assert legends[0] == legends[1]


def test_a_topic_not_yet_public_cannot_be_chosen(client):
    """The sign-up form knows only what the public may know (``Topic.objects.public()``): a
    topic given only to an embargoed release is refused like an unknown one."""
    hidden = make_topic(name_en="Not Yet")
    make_release(published=True, publish_at=timezone.now() + timedelta(days=1)).topics.add(hidden)
    response = sign_up(client, scope="chosen", topics=str(hidden.pk))
    assert response.status_code == 400
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize("name", ["confirm", "manage", "unsubscribe", "data", "erase"])
def test_a_tampered_link_answers_404(client, name):
    assert client.get(f"/en/alerts/{name}/not-a-token/").status_code == 404
    assert client.post(f"/en/alerts/{name}/not-a-token/").status_code in (404, 405)


# Managing, leaving, downloading, erasing ----------------------------------------------------


def first_alert(subscriber):
    publish_now(headline="Something Happened")
    dispatch()
    run_tasks()
    return [m for m in mail.outbox if m.to == [subscriber.email]][-1]


def test_one_click_unsubscribe_is_a_post_without_csrf_and_opening_the_link_changes_nothing():
    subscriber = make_subscriber()
    message = first_alert(subscriber)
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = url.removeprefix("https://news.example.org")
    client = Client(enforce_csrf_checks=True)
    assert client.get(path).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.is_active
    response = client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None and not subscriber.is_active


def test_the_manage_page_changes_choices_and_a_subscriber_can_download_and_erase(client):
    topic = make_topic(name_en="Road Safety", announce_now=True)  # public: it may be chosen
    subscriber = make_subscriber(email="keep@example.com")
    message = first_alert(subscriber)
    manage = link_in(message, "manage")
    page = client.get(manage)
    assert page.status_code == 200 and b"keep@example.com" in page.content
    saved = client.post(
        manage,
        {"language": "fr", "scope": "chosen", "topics": [topic.pk], "frequency": "weekly"},
    )
    assert saved.status_code == 302
    subscriber.refresh_from_db()
    assert (subscriber.language, subscriber.frequency, subscriber.everything) == (
        "fr",
        "weekly",
        False,
    )
    assert list(subscriber.topics.all()) == [topic]

    token = manage.rstrip("/").rsplit("/", 1)[1]
    data = client.get(f"/en/alerts/data/{token}/")
    assert data["Content-Disposition"] == 'attachment; filename="email-alerts.json"'
    held = json.loads(data.content)
    assert held["email"] == "keep@example.com" and held["topics"] == ["Road Safety"]
    assert held["emails"][0]["release"] == "Something Happened"

    assert client.get(f"/en/alerts/erase/{token}/").status_code == 200
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()  # opening it erased nothing
    assert client.post(f"/en/alerts/erase/{token}/").status_code == 200
    assert not Subscriber.objects.filter(email="keep@example.com").exists()
    assert not Consent.objects.exists()
    assert Delivery.objects.get().subscriber is None  # the count stays, the person goes
    assert client.get(manage).status_code == 404


# The dispatcher's rules ---------------------------------------------------------------------


def test_each_matching_subscriber_gets_one_email_per_release_whatever_runs_twice():
    make_organisation()
    topic, campaign = make_topic(), make_campaign()
    everyone = make_subscriber()
    by_topic = make_subscriber(topics=[topic])
    by_campaign = make_subscriber(campaigns=[campaign])
    by_type = make_subscriber(release_types=[ReleaseType.STATEMENT])
    other = make_subscriber(release_types=[ReleaseType.MEDIA_ADVISORY])
    waiting = make_subscriber(confirmed_at=None)
    gone = make_subscriber(unsubscribed_at=timezone.now())
    release = publish_now(release_type=ReleaseType.STATEMENT, campaign=campaign)
    release.topics.add(topic)
    dispatch()
    dispatch()
    run_tasks()
    dispatch()
    run_tasks()
    received = sorted(message.to[0] for message in mail.outbox)
    assert received == sorted(s.email for s in [everyone, by_topic, by_campaign, by_type])
    assert other.email not in received and waiting.email not in received
    assert gone.email not in received
    for message in mail.outbox:  # rendered once, but each copy carries its reader's own links
        token = link_in(message, "manage").rstrip("/").rsplit("/", 1)[1]
        assert tokens.from_manage_token(token).email == message.to[0]
        unsubscribe = message.extra_headers["List-Unsubscribe"]
        assert unsubscribe == f"<https://news.example.org/en/alerts/unsubscribe/{token}/>"
    assert Delivery.objects.filter(state=DeliveryState.SENT).count() == 4


def test_an_alert_has_headline_summary_dateline_contacts_and_an_absolute_link():
    make_organisation()
    subscriber = make_subscriber()
    release = publish_now(
        headline="Police Week Opens",
        subheadline="Communities and officers together",
        summary="The week begins in Ottawa.",
        dateline_city="Ottawa",
        dateline_region="ON",
    )
    release.media_contacts.add(make_contact(name="Pat Media", phone="613-555-0100"))
    dispatch()
    run_tasks()
    (message,) = mail.outbox
    assert message.subject == "Police Week Opens"
    text = message.body
    assert "Communities and officers together" in text
    assert f"{release.dateline} – The week begins in Ottawa." in text
    assert "Pat Media" in text and "613-555-0100" in text
    assert f"https://news.example.org{release.get_absolute_url()}" in text
    assert "https://news.example.org/en/alerts/manage/" in text
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert "max-width:600px" in html and "<img" not in html and "<style" not in html
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<https://news.example.org/en/alerts/unsubscribe/"
    )
    assert subscriber.email in message.to


def test_an_advisorys_alert_says_when_and_where_its_event_is_with_a_calendar_link():
    english, french = make_subscriber(), make_subscriber(language="fr")
    starts = datetime(2027, 1, 15, 11, tzinfo=TORONTO)
    advisory = make_advisory(
        published=False,
        headline="Chiefs to brief media",
        event={"starts_at": starts, "online_url": "https://live.example.org/briefing"},
    )
    publishing.publish(release=advisory, by=None)
    dispatch()
    run_tasks()
    by_address = {message.to[0]: message for message in mail.outbox}
    calendar = f"https://news.example.org{advisory.get_absolute_url().rstrip('/')}.ics"
    text, html = by_address[english.email].body, by_address[english.email].alternatives[0][0]
    for part in (text, html):
        assert "Friday, Jan. 15, 2027, 11 a.m. – noon EST" in part
        assert "Friday, Jan. 15, 2027, 4 p.m. – 5 p.m. UTC" in part
        assert "National Press Theatre" in part and "150 Wellington St, Ottawa, ON" in part
        assert "https://live.example.org/briefing" in part and calendar in part
    french_text = by_address[french.email].body
    assert "vendredi 15 janvier 2027" in french_text and "HNE" in french_text
    assert "Quand\u00a0:" in french_text and "Où\u00a0:" in french_text
    assert "Ajouter à l’agenda\u00a0:" in french_text and "Friday" not in french_text
    # Cancelled: said so, and no calendar link to add it with.
    mail.outbox.clear()
    publishing.correct(release=advisory, note="The briefing is cancelled.", by=None)
    event = advisory.advisory_event
    event.status = event.Status.CANCELLED
    event.save()
    dispatch()
    run_tasks()
    (notice,) = [message for message in mail.outbox if message.to[0] == english.email]
    assert "This event is cancelled." in notice.body and calendar not in notice.body


def test_a_subscriber_gets_their_language_or_the_other_one_saying_so():
    english = make_subscriber(language="en")
    french = make_subscriber(language="fr")
    both = publish_now(headline="Both Languages")
    make_release(
        published=False,
        language="fr",
        headline="Les deux langues",
        translation_group=both.translation_group,
    )
    publishing.publish(
        release=both.__class__.objects.get(language="fr", translation_group=both.translation_group)
    )
    only_english = publish_now(headline="English Only")
    dispatch()
    run_tasks()
    to_french = sorted(m.subject for m in mail.outbox if m.to == [french.email])
    to_english = sorted(m.subject for m in mail.outbox if m.to == [english.email])
    assert to_english == ["Both Languages", "English Only"]
    assert to_french == ["English Only", "Les deux langues"]
    (fallback,) = [m for m in mail.outbox if m.to == [french.email] and m.subject == "English Only"]
    assert "Ce communiqué n’est pas publié en français\u00a0; le voici en anglais." in fallback.body
    assert "/fr/alertes/gerer/" in fallback.body
    assert only_english.language == "en"


def test_a_correction_goes_only_to_those_who_got_the_original_and_a_minor_edit_to_no_one():
    early = make_subscriber()
    release = publish_now(headline="Numbers Released")
    dispatch()
    run_tasks()
    late = make_subscriber()
    mail.outbox.clear()
    release.refresh_from_db()
    publishing.minor_edit(release=release, by=None)
    dispatch()
    run_tasks()
    assert mail.outbox == []
    release.refresh_from_db()
    publishing.correct(release=release, by=None, note="The total is 42, not 24.")
    dispatch()
    run_tasks()
    (notice,) = mail.outbox
    assert notice.to == [early.email] and late.email not in notice.to
    assert notice.subject == "Corrected: Numbers Released"
    assert "The total is 42, not 24." in notice.body
    assert notice.extra_headers["Message-ID"] != ""


def test_a_withdrawal_sends_a_short_notice_to_those_who_got_it():
    subscriber = make_subscriber()
    release = publish_now(headline="Premature News")
    dispatch()
    run_tasks()
    mail.outbox.clear()
    release.refresh_from_db()
    publishing.withdraw(release=release, by=None, reason="Issued in error.")
    dispatch()
    run_tasks()
    (notice,) = mail.outbox
    assert notice.to == [subscriber.email]
    assert notice.subject == "Withdrawn: Premature News"
    assert "Issued in error." in notice.body and "Media contacts" not in notice.body


def test_a_release_unpublished_in_error_sends_a_takedown_notice_to_those_who_got_it():
    got_it = make_subscriber()
    french = make_subscriber(language="fr")
    release = publish_now(headline="Wrong News", summary="Not for today.")
    release.media_contacts.add(make_contact(name="Pat Media"))
    dispatch()
    run_tasks()
    later = make_subscriber()  # confirmed after the email went out: hears nothing of it
    mail.outbox.clear()
    release.refresh_from_db()
    publishing.unpublish(release=release, by=None, note="Sent to the wrong list.")
    dispatch()
    dispatch()
    run_tasks()
    notices = {message.to[0]: message for message in mail.outbox}
    assert set(notices) == {got_it.email, french.email}
    english, french_notice = notices[got_it.email], notices[french.email]
    assert english.subject == "Taken down: Wrong News"
    assert "published in error and has been taken down" in english.body
    assert "Publié par erreur\u00a0: Wrong News" == french_notice.subject
    assert "publié par erreur" in french_notice.body
    html = english.alternatives[0][0]
    for part in (english.body, html):
        # The page answers 410 now: no link to it, no summary, no contacts, no internal note.
        assert release.get_absolute_url() not in part
        assert "Not for today." not in part and "Pat Media" not in part
        assert "Sent to the wrong list." not in part
        assert "/alerts/" in part  # the subscriber's own page is still linked
    assert later.email not in notices
    assert Delivery.objects.filter(kind="unpublished", state=DeliveryState.SENT).count() == 2


def test_a_release_unpublished_before_its_email_left_sends_neither():
    make_subscriber()
    release = publish_now()
    dispatch()
    release.refresh_from_db()
    publishing.unpublish(release=release, by=None)
    dispatch()
    run_tasks()
    assert mail.outbox == []
    assert Delivery.objects.get().state == DeliveryState.CANCELLED


def test_a_backdated_release_is_not_news_and_sends_nothing():
    make_subscriber()
    make_release(publish_at=timezone.now() - timedelta(minutes=5))
    dispatch()
    run_tasks()
    assert mail.outbox == []


def test_a_release_withdrawn_before_its_email_left_is_not_sent():
    make_subscriber()
    release = publish_now()
    dispatch()
    release.refresh_from_db()
    publishing.withdraw(release=release, by=None, reason="Too soon.")
    run_tasks()
    assert mail.outbox == []
    assert Delivery.objects.get().state == DeliveryState.CANCELLED


def test_digests_leave_at_the_set_hour_of_the_newsrooms_zone(settings):
    settings.ALERTS_DIGEST_HOUR = 7
    morning = datetime(2026, 6, 3, 9, 0, tzinfo=TORONTO)  # a Wednesday
    assert next_digest_at(Frequency.DAILY, morning) == datetime(2026, 6, 4, 7, 0, tzinfo=TORONTO)
    assert next_digest_at(Frequency.WEEKLY, morning) == datetime(2026, 6, 8, 7, 0, tzinfo=TORONTO)
    daily = make_subscriber(frequency=Frequency.DAILY)
    with time_machine.travel(morning, tick=False):
        publish_now(headline="First")
        publish_now(headline="Second")
        dispatch()
        run_tasks()
    assert mail.outbox == []
    with time_machine.travel(datetime(2026, 6, 4, 6, 59, 59, tzinfo=TORONTO), tick=False):
        dispatch()
        run_tasks()
    assert mail.outbox == []
    with time_machine.travel(datetime(2026, 6, 4, 7, 0, 5, tzinfo=TORONTO), tick=False):
        dispatch()
        run_tasks()
    (digest,) = mail.outbox
    assert digest.to == [daily.email]
    assert digest.subject == "Your daily digest: 2 releases"
    assert "1. First" in digest.body and "2. Second" in digest.body


def test_a_digest_gives_an_advisorys_event_as_an_alert_does():
    daily = make_subscriber(frequency=Frequency.DAILY)
    advisory = make_advisory(
        published=False,
        headline="Chiefs to brief media",
        event={"starts_at": datetime(2027, 1, 15, 11, tzinfo=TORONTO)},
    )
    event = advisory.advisory_event
    event.status = event.Status.CHANGED
    event.save()
    publishing.publish(release=advisory, by=None)
    dispatch()
    run_tasks()
    with time_machine.travel(timezone.now() + timedelta(days=1, hours=1), tick=False):
        dispatch()
        run_tasks()
    (digest,) = [message for message in mail.outbox if message.to == [daily.email]]
    calendar = f"https://news.example.org{advisory.get_absolute_url().rstrip('/')}.ics"
    assert "The time or place of this event has changed." in digest.body
    assert "Friday, Jan. 15, 2027, 11 a.m. – noon EST" in digest.body
    assert f"Add to calendar: {calendar}" in digest.body


def test_a_digests_correction_of_an_advisory_gives_its_event_as_it_now_is():
    daily = make_subscriber(frequency=Frequency.DAILY)
    advisory = make_advisory(
        published=False,
        headline="Chiefs to brief media",
        event={"starts_at": datetime(2027, 1, 15, 11, tzinfo=TORONTO)},
    )
    publishing.publish(release=advisory, by=None)
    dispatch()
    run_tasks()
    start = timezone.now()
    with time_machine.travel(start + timedelta(days=1, hours=1), tick=False):
        dispatch()
        run_tasks()
    mail.outbox.clear()
    with time_machine.travel(start + timedelta(days=1, hours=2), tick=False):
        with transaction.atomic():
            publishing.correct(release=advisory, by=None, note="The briefing starts at 2 p.m.")
            event = advisory.advisory_event
            event.starts_at = datetime(2027, 1, 15, 14, tzinfo=TORONTO)
            event.ends_at = datetime(2027, 1, 15, 15, tzinfo=TORONTO)
            event.save()
        dispatch()
    with time_machine.travel(start + timedelta(days=2, hours=1), tick=False):
        dispatch()
        run_tasks()

    (digest,) = [message for message in mail.outbox if message.to == [daily.email]]
    assert digest.subject == "Your digest: Event changed: Chiefs to brief media"
    assert "CORRECTED — Chiefs to brief media" in digest.body
    assert "The briefing starts at 2 p.m." in digest.body
    assert "The time or place of this event has changed." in digest.body
    assert "Friday, Jan. 15, 2027, 2 p.m. – 3 p.m. EST" in digest.body
    assert "   Moved from Friday, Jan. 15, 2027, 11 a.m. EST / 4 p.m. UTC\n" in digest.body
    html = digest.alternatives[0][0]
    assert "Friday, Jan. 15, 2027, 2 p.m. – 3 p.m. EST" in html


def test_saving_choices_from_a_link_in_an_email_starts_the_alerts_again(client):
    subscriber = make_subscriber(unsubscribed_at=timezone.now())
    manage = f"/en/alerts/manage/{tokens.manage_token(subscriber)}/"
    assert b"No alerts are being sent" in client.get(manage).content
    client.post(manage, {"language": "en", "scope": "everything", "frequency": "daily"})
    subscriber.refresh_from_db()
    assert subscriber.is_active and subscriber.frequency == "daily"
    assert Consent.objects.get(subscriber=subscriber).source == manage


def test_alerts_pages_use_each_languages_words_and_english_words_under_fr_answer_301(client):
    subscriber = make_subscriber(language="fr")
    token = tokens.manage_token(subscriber)
    assert client.get("/en/alerts/").status_code == 200
    assert client.get("/fr/alertes/").status_code == 200
    assert client.get(f"/en/alerts/manage/{token}/").status_code == 200
    assert client.get(f"/fr/alertes/gerer/{token}/").status_code == 200
    old = client.get(f"/fr/alerts/manage/{token}/")
    assert old.status_code == 301 and old["Location"] == f"/fr/alertes/gerer/{token}/"
    assert client.get("/fr/alerts/").status_code == 301
    # A one-click unsubscribe from an email sent before the French words still works.
    assert Client().post(f"/fr/alerts/unsubscribe/{token}/").status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None
    assert client.get("/fr/alerts/nowhere/").status_code == 404


def test_the_sign_up_page_lets_the_browser_fill_in_the_address(client):
    """WCAG 1.3.5: the field's purpose is declared, on this page as in the forms on others."""
    field = re.search(r"<input[^>]*name=\"email\"[^>]*>", client.get("/en/alerts/").text)
    assert field and 'autocomplete="email"' in field.group(0)


@pytest.mark.parametrize(("language", "title"), [("en", "Error: "), ("fr", "Erreur\u00a0: ")])
def test_a_sign_up_sent_back_with_errors_says_so_in_its_title(client, language, title):
    """The title is what a screen reader announces first when the page comes back."""
    response = client.post(
        "/en/alerts/" if language == "en" else "/fr/alertes/",
        {"email": "not an address", "language": language, "scope": "everything"},
    )
    assert response.status_code == 400
    assert re.search(r"<title>([^<]*)</title>", response.text).group(1).startswith(title)
    assert "<title>" + title not in client.get("/en/alerts/").text
