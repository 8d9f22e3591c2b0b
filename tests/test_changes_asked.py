"""An outside reviewer's request for changes is seen where the desk decides: on the desk, at the
top of the release's change form, and on the “Publish now” and “Schedule” pages (which warn,
and still let the officer go ahead). It stands until a newer verdict, or the release sent for
review again (a new preview link), supersedes it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from releases.models import Release
from releases.workflow import publishing, reviews
from tests.factories import CONFIRMED, future_year, make_quote, make_release, make_staff

pytestmark = pytest.mark.django_db
TORONTO = ZoneInfo("America/Toronto")
# Long ago, so that what a test does next comes after it.
ASKED_AT = datetime(2021, 5, 9, 6, 0, tzinfo=TORONTO)
COMMENT = "The ceremony is on May 12, not May 11."


def in_review(**fields) -> Release:
    return publishing.submit_for_review(release=make_release(published=False, **fields), by=None)


def link_for(release, reviewer="Legal: Jane Smith"):
    link, _token = publishing.create_preview_link(release=release, by=None, reviewer=reviewer)
    return link


def answer(link, verdict, comment=""):
    """The reviewer's verdict, sent from the page that showed them the release as it is."""
    release = Release.objects.get(pk=link.release_id)
    return reviews.record_verdict(
        link=link,
        verdict=verdict,
        comment=comment,
        words_read=reviews.words_fingerprint(release),
    )


def ask_changes(release, reviewer="Legal: Jane Smith", comment=COMMENT):
    with time_machine.travel(ASKED_AT, tick=False):
        link = link_for(release, reviewer)
        answer(link, "changes", comment)
    return link


def page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.text


def desk(client, user) -> str:
    return page(client, user, reverse("admin:index"))


def change_form(client, user, release) -> str:
    return page(client, user, reverse("admin:releases_release_change", args=[release.pk]))


def publish_now_url(release):
    return reverse("admin:releases_release_publish_now", args=[release.pk])


def schedule_url(release):
    return reverse("admin:releases_release_schedule", args=[release.pk])


# The desk.


def test_the_desk_says_who_asked_for_changes_and_when(client, editor):
    release = in_review(headline="Police Week Opens")
    ask_changes(release)
    shown = desk(client, editor)
    assert "Police Week Opens" in shown
    assert "Changes asked by Legal: Jane Smith, May 9, 2021, 06:00 EDT" in shown


def test_the_desk_shows_the_request_on_drafts_and_scheduled_releases_too(client, editor):
    draft = make_release(published=False, headline="Back To Its Author", created_by=editor)
    ask_changes(draft, reviewer="Comms: Ana Ruiz")
    approved = in_review(headline="Going Out Soon")
    publishing.approve(release=approved, by=None)
    ask_changes(approved, reviewer="Legal: Jane Smith")
    publishing.schedule(release=approved, by=None, at=timezone.now() + timedelta(days=2))
    shown = desk(client, editor)
    assert "Changes asked by Comms: Ana Ruiz, May 9, 2021, 06:00 EDT" in shown
    assert "Changes asked by Legal: Jane Smith, May 9, 2021, 06:00 EDT" in shown


def test_a_reviewer_without_a_name_is_an_outside_reviewer(client, editor):
    ask_changes(in_review(), reviewer="")
    assert "Changes asked by an outside reviewer, May 9, 2021, 06:00 EDT" in desk(client, editor)


@pytest.mark.parametrize(
    "then",
    [
        pytest.param(lambda link: answer(link, "approve"), id="the same reviewer approves"),
        pytest.param(
            lambda link: answer(link_for(link.release, "Comms"), "approve"),
            id="another reviewer approves",
        ),
        pytest.param(lambda link: link_for(link.release), id="sent for review again"),
    ],
)
def test_a_newer_verdict_or_a_new_link_supersedes_the_request(client, editor, then):
    release = in_review(headline="Police Week Opens")
    link = ask_changes(release)
    assert "Changes asked by Legal: Jane Smith" in desk(client, editor)
    with time_machine.travel(datetime(2021, 5, 10, tzinfo=TORONTO), tick=False):
        then(link)
    assert "Police Week Opens" in desk(client, editor)
    assert "Changes asked" not in desk(client, editor)
    assert "Changes asked" not in change_form(client, editor, release)
    assert "Changes asked" not in page(client, editor, publish_now_url(release))


def test_the_latest_verdict_counts_a_request_after_an_approval_stands(client, editor):
    release = in_review()
    with time_machine.travel(datetime(2021, 5, 8, tzinfo=TORONTO), tick=False):
        link = link_for(release)
        answer(link, "approve")
    with time_machine.travel(ASKED_AT, tick=False):
        answer(link, "changes", COMMENT)
    assert "Changes asked by Legal: Jane Smith" in desk(client, editor)


def test_an_approval_shows_no_request(client, editor):
    approved = in_review(headline="Police Week Opens")
    with time_machine.travel(ASKED_AT, tick=False):
        answer(link_for(approved, "Comms: Ana Ruiz"), "approve")
    ask_changes(in_review(headline="Another One"))
    shown = desk(client, editor)
    assert "Police Week Opens" in shown and shown.count("Changes asked by") == 1
    assert "Changes asked by Legal: Jane Smith" in shown
    assert "Changes asked" not in change_form(client, editor, approved)


def test_the_desk_costs_the_same_queries_with_several_requests(client, editor):
    client.force_login(editor)

    def queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            shown = client.get(reverse("admin:index")).text
        return len(captured), shown

    def ask_on_a_draft_and_a_release_in_review(n):
        ask_changes(make_release(published=False, created_by=editor), reviewer=f"Author {n}")
        ask_changes(in_review(), reviewer=f"Reviewer {n}")

    ask_on_a_draft_and_a_release_in_review(0)
    queries()  # the first request of a session costs a few more
    one, _shown = queries()
    for n in range(1, 6):
        ask_on_a_draft_and_a_release_in_review(n)
    several, shown = queries()
    assert several == one
    for n in range(6):
        assert f"Changes asked by Reviewer {n}," in shown
        assert f"Changes asked by Author {n}," in shown


# The change form and the publishing pages.


def test_the_change_form_shows_the_request_at_the_top(client, editor):
    release = in_review()
    ask_changes(release)
    shown = change_form(client, editor, release)
    assert "Changes asked by Legal: Jane Smith" in shown
    assert "Sun May 9, 2021 06:00 EDT" in shown and COMMENT in shown
    # In the workflow box, before the form's first field.
    assert shown.index(COMMENT) < shown.index('name="headline"')
    assert "The release has changed since" not in shown


def test_the_change_form_says_when_the_words_changed_since_the_request(client, editor):
    release = in_review()
    ask_changes(release)
    make_quote(release, text="Words added after legal's request.")
    shown = change_form(client, editor, release)
    assert COMMENT in shown and "The release has changed since this request" in shown


def test_the_comment_is_shown_as_text_not_markup(client, editor):
    release = in_review()
    ask_changes(release, comment="<script>alert(1)</script> Fix the <b>date</b>.")
    shown = change_form(client, editor, release)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Fix the &lt;b&gt;date&lt;/b&gt;." in shown
    assert "<script>alert(1)" not in shown


def test_publish_now_warns_with_the_comment_and_still_publishes(client, editor):
    release = in_review()
    ask_changes(release)
    shown = page(client, editor, publish_now_url(release))
    assert "Changes asked by Legal: Jane Smith" in shown and COMMENT in shown
    assert "You may still go ahead" in shown
    response = client.post(publish_now_url(release), {"version_seen": 2, **CONFIRMED})
    assert response.status_code == 302
    assert Release.objects.get(pk=release.pk).is_published


def test_the_schedule_page_warns_with_the_comment_and_still_schedules(client, editor):
    release = in_review()
    publishing.approve(release=release, by=None)
    ask_changes(release)
    shown = page(client, editor, schedule_url(release))
    assert "Changes asked by Legal: Jane Smith" in shown and COMMENT in shown
    response = client.post(
        schedule_url(release),
        {"go_live": f"{future_year()}-05-11T09:00", "version_seen": 3, **CONFIRMED},
    )
    assert response.status_code == 302
    assert Release.objects.get(pk=release.pk).is_scheduled


def test_the_list_action_publish_now_warns_of_the_request(client, editor):
    release = in_review()
    ask_changes(release)
    client.force_login(editor)
    shown = client.post(
        reverse("admin:releases_release_changelist"),
        {"action": "publish_now", "_selected_action": [release.pk]},
    ).text
    assert "Changes asked by Legal: Jane Smith" in shown and COMMENT in shown


def test_the_request_speaks_french_to_french_staff(client):
    french = make_staff("Editors")
    release = in_review()
    ask_changes(release)
    client.force_login(french)
    shown = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="fr").text
    assert "Changements demandés par Legal: Jane Smith, 9 mai 2021, 6\u00a0h\u00a000 HAE" in shown
    form = client.get(
        reverse("admin:releases_release_change", args=[release.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).text
    asked = (
        "Changements demandés par Legal: Jane Smith "
        "le dimanche 9 mai 2021, 6\u00a0h\u00a000 HAE\u00a0:"
    )
    assert asked in form


# The list of releases.


def test_the_release_list_says_which_releases_a_reviewer_asked_to_change(client, editor):
    """The officer who works from the list of releases (filtered by campaign, say) sees the
    request beside the state, as on the desk, for one more query whatever the page holds."""
    asked = in_review(headline="Asked to change")
    ask_changes(asked)
    in_review(headline="Left alone")

    def release_list() -> tuple[str, int]:
        client.force_login(editor)
        with CaptureQueriesContext(connection) as queries:
            text = client.get(reverse("admin:releases_release_changelist")).text
        return text, len(queries)

    release_list()  # the first request of a session reads what later ones keep
    text, few = release_list()
    rows = {row.split("</th>")[0]: row for row in text.split("<tr")[1:] if "</th>" in row}
    (asked_row,) = [row for head, row in rows.items() if "Asked to change" in head]
    assert "Changes asked by Legal: Jane Smith" in asked_row
    assert not [row for head, row in rows.items() if "Left alone" in head and "Changes" in row]
    for n in range(5):
        ask_changes(in_review(headline=f"Also asked {n}"))
    text, many = release_list()
    assert text.count("Changes asked by Legal: Jane Smith") == 6
    assert many == few
