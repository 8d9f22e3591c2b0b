"""The workflow in the admin: what each role sees and may do; forged requests change nothing."""

import re
from datetime import datetime
from html import unescape
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from releases.models import Release, Status
from releases.workflow import publishing
from tests.factories import CONFIRMED, future_year, make_release, make_staff, release_admin_form

TORONTO = ZoneInfo("America/Toronto")
pytestmark = pytest.mark.django_db


def change_url(release):
    return reverse("admin:releases_release_change", args=[release.pk])


def publish_now_url(release):
    return reverse("admin:releases_release_publish_now", args=[release.pk])


def transition_url(release, name):
    return reverse("admin:releases_release_transition", args=[release.pk, name])


def test_author_sees_submit_but_no_publishing_buttons_or_actions(client, author):
    draft = make_release(published=False)
    client.force_login(author)
    html = client.get(change_url(draft)).text
    assert "Submit for review" in html
    for label in ["Publish now", "Approve", "Schedule…", "Withdraw…", "Unpublish…"]:
        assert label not in html
    changelist = client.get(reverse("admin:releases_release_changelist")).text
    assert 'value="submit_for_review"' in changelist
    assert 'value="publish_now"' not in changelist and 'value="approve"' not in changelist


def test_a_read_only_release_labels_its_fields_as_the_edit_form_does(client, author):
    """Once submitted, the author's view is read-only: the same words as the form they filled
    in (“Web address”, not the model's “slug”), and one dash for an empty value."""
    release = publishing.submit_for_review(release=make_release(published=False), by=author)
    client.force_login(author)
    html = client.get(change_url(release)).text
    assert "<label>Web address:</label>" in html and "Slug" not in html
    updated = re.search(
        r"<label>Publicly updated:</label>\s*<div class=\"readonly\">(.*?)</div>", html
    )
    assert updated and updated.group(1) == "—"


def test_editor_sees_the_steps_the_state_allows(client, author, editor):
    release = publishing.submit_for_review(release=make_release(published=False), by=author)
    client.force_login(editor)
    html = client.get(change_url(release)).text
    assert "Approve" in html and "Publish now" in html and "Schedule…" in html
    assert "Submit for review" not in html and "Withdraw…" not in html
    public = make_release()
    html = client.get(change_url(public)).text
    assert "Withdraw…" in html and "Unpublish…" in html and "Publish now" not in html


def test_a_forged_publish_post_by_an_author_is_refused_and_changes_nothing(client, author):
    release = publishing.submit_for_review(release=make_release(published=False), by=author)
    client.force_login(author)
    response = client.post(publish_now_url(release), {"version_seen": 2})
    assert response.status_code == 403
    response = client.post(
        reverse("admin:releases_release_changelist"),
        {"action": "publish_now", "_selected_action": [release.pk], "confirmed": "yes"},
    )
    assert Release.objects.get(pk=release.pk).status == Status.IN_REVIEW
    assert not Release.objects.published().exists()
    assert release.events.count() == 1


def test_author_cannot_edit_a_release_once_submitted(client, author):
    release = publishing.submit_for_review(release=make_release(published=False), by=author)
    client.force_login(author)
    response = client.post(change_url(release), {"headline": "Changed"})
    assert response.status_code == 403
    assert Release.objects.get(pk=release.pk).headline == release.headline


def test_publish_now_asks_first_showing_what_goes_public_and_when(client, author, editor):
    release = publishing.submit_for_review(release=make_release(published=False), by=author)
    client.force_login(editor)
    with time_machine.travel(datetime(2021, 5, 9, 10, 0, tzinfo=ZoneInfo("UTC")), tick=False):
        page = client.get(publish_now_url(release)).text
    assert f"Publish “{release.headline}” now?" in page
    assert release.headline in page and "English" in page
    assert "None: this release exists in one language only." in page
    assert "Sun May 9, 2021 06:00 EDT (10:00 UTC)" in page
    assert not Release.objects.get(pk=release.pk).is_published  # asking is not publishing
    # The French desk writes the weekday whole (« dim » is no French abbreviation) and UTC too
    # as French writes a time.
    client.cookies["django_language"] = "fr"
    with time_machine.travel(datetime(2021, 5, 9, 10, 0, tzinfo=ZoneInfo("UTC")), tick=False):
        french = unescape(client.get(publish_now_url(release)).text)
    assert "dimanche 9 mai 2021, 6\u00a0h\u00a000 HAE (10\u00a0h\u00a000 UTC)" in french


@pytest.mark.parametrize("status", [Status.WITHDRAWN, Status.UNPUBLISHED])
@pytest.mark.parametrize("page", ["publish-now", "schedule"])
def test_a_bookmarked_publishing_page_of_a_release_off_the_record_says_why_not(
    client, editor, status, page
):
    """No form that can only be refused: the change form, saying why."""
    release = make_release()
    Release.objects.filter(pk=release.pk).update(status=status)
    client.force_login(editor)
    response = client.get(
        reverse(f"admin:releases_release_{page.replace('-', '_')}", args=[release.pk])
    )
    assert response.status_code == 302 and response["Location"] == change_url(release)
    shown = client.get(response["Location"]).text
    label = {Status.WITHDRAWN: "Withdrawn", Status.UNPUBLISHED: "Unpublished (published in error)"}[
        status
    ]
    assert f"A release that is “{label}” cannot be" in shown
    assert Release.objects.get(pk=release.pk).status == status


def test_a_public_releases_preview_links_page_still_lists_its_links(client, editor):
    release = make_release(published=False)
    link, _token = publishing.create_preview_link(release=release, by=None, reviewer="Legal")
    publishing.publish(release=release, by=None)
    client.force_login(editor)
    response = client.get(reverse("admin:releases_release_preview_links", args=[release.pk]))
    assert response.status_code == 200 and "Legal" in response.text


def test_confirming_publishes_and_says_where_readers_see_it(client, author, editor):
    release = publishing.submit_for_review(release=make_release(published=False), by=author)
    client.force_login(editor)
    response = client.post(publish_now_url(release), {"version_seen": 2, **CONFIRMED}, follow=True)
    release.refresh_from_db()
    assert release.is_published
    assert f"Published. Readers can see it at http://testserver{release.get_absolute_url()}." in (
        response.text
    )


class _FormFields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields: dict = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        kind, name = attrs.get("type"), attrs.get("name")
        if tag == "input" and kind in ("hidden", "checkbox") and name != "csrfmiddlewaretoken":
            self.fields.setdefault(name, []).append(attrs.get("value") or "on")


def form_fields(html: str) -> dict:
    """What a page's POST form sends: its hidden and checkbox inputs, each box ticked."""
    parser = _FormFields()
    parser.feed(html)
    return parser.fields


def test_publishing_from_the_list_asks_first_too(client, author, editor):
    """One page names what goes public and the checklist's warnings; it posts exactly what its
    form sends: unticked, it asks again; ticked, the releases are published."""
    release = publishing.submit_for_review(release=make_release(published=False), by=author)
    client.force_login(editor)
    changelist = reverse("admin:releases_release_changelist")
    page = client.post(changelist, {"action": "publish_now", "_selected_action": [release.pk]})
    assert "Publish these releases now?" in page.text and release.headline in page.text
    assert "I have read these warnings" in page.text
    assert not Release.objects.get(pk=release.pk).is_published
    unticked = form_fields(page.text)
    unticked.pop("accept_warnings")
    again = client.post(changelist, unticked)
    assert "I have read these warnings" in again.text
    assert not Release.objects.get(pk=release.pk).is_published
    confirmed = client.post(changelist, form_fields(page.text), follow=True)
    assert "1 release(s) published." in confirmed.text
    assert Release.objects.get(pk=release.pk).is_published


def test_a_transition_from_an_outdated_page_is_refused_with_a_message(client, author, editor):
    release = publishing.submit_for_review(release=make_release(published=False), by=author)
    client.force_login(editor)
    response = client.post(
        transition_url(release, "approve"), {"version_seen": 1, **CONFIRMED}, follow=True
    )
    assert "Someone else saved this release" in response.text
    assert Release.objects.get(pk=release.pk).status == Status.IN_REVIEW


def test_changelist_says_scheduled_for_the_local_time_with_its_zone(client, editor):
    with time_machine.travel(datetime(2021, 5, 1, tzinfo=TORONTO), tick=False):
        make_release(publish_at=datetime(2021, 5, 9, 6, 0, tzinfo=TORONTO))
        client.force_login(editor)
        html = client.get(reverse("admin:releases_release_changelist")).text
    assert "Scheduled for Sun May 9, 2021 06:00 EDT" in html


def schedule(client, release, go_live, **extra):
    return client.post(
        reverse("admin:releases_release_schedule", args=[release.pk]),
        {"go_live": go_live, "version_seen": release.version, **CONFIRMED, **extra},
    )


@pytest.fixture
def approved(author, editor):
    release = publishing.submit_for_review(release=make_release(published=False), by=author)
    return publishing.approve(release=release, by=editor)


def test_schedule_form_shows_the_zone_and_utc_and_schedules_in_toronto(client, editor, approved):
    client.force_login(editor)
    with time_machine.travel(datetime(2021, 5, 1, 12, tzinfo=TORONTO), tick=False):
        page = client.get(reverse("admin:releases_release_schedule", args=[approved.pk])).text
        assert "Eastern time (Toronto, Ottawa)" in page and "EDT" in page and "UTC" in page
        response = schedule(client, approved, "2021-05-09T06:00", follow=True)
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.publish_at == datetime(2021, 5, 9, 10, 0, tzinfo=ZoneInfo("UTC"))


def test_changing_the_time_starts_from_the_one_set(client, editor, approved):
    release = make_release(publish_at=datetime(future_year(), 7, 1, 6, 30, tzinfo=TORONTO))
    client.force_login(editor)
    page = client.get(reverse("admin:releases_release_schedule", args=[release.pk])).text
    assert f'name="go_live" value="{future_year()}-07-01T06:30"' in page
    page = client.get(reverse("admin:releases_release_schedule", args=[approved.pk])).text
    assert 'name="go_live"' in page and 'name="go_live" value=' not in page


def test_the_workflow_pages_breadcrumbs_pass_through_the_app_as_the_change_form_does(
    client, editor, approved
):
    client.force_login(editor)
    app_list = reverse("admin:app_list", kwargs={"app_label": "releases"})
    for url in [
        reverse("admin:releases_release_change", args=[approved.pk]),
        reverse("admin:releases_release_schedule", args=[approved.pk]),
        publish_now_url(approved),
    ]:
        breadcrumbs = re.search(r'<div class="breadcrumbs">(.*?)</div>', client.get(url).text, re.S)
        assert f'href="{app_list}"' in breadcrumbs.group(1), url


def test_schedule_in_the_past_is_a_form_error_and_changes_nothing(client, editor, approved):
    client.force_login(editor)
    response = schedule(client, approved, "2000-01-01T06:00")
    assert response.status_code == 200 and "already passed" in response.text
    assert Release.objects.get(pk=approved.pk).status == Status.APPROVED


def test_schedule_of_an_invalid_release_is_a_form_error(client, editor, approved):
    Release.objects.filter(pk=approved.pk).update(body="")
    approved.refresh_from_db()
    client.force_login(editor)
    response = schedule(client, approved, f"{future_year()}-01-01T06:00")
    assert "The release has no text." in response.text
    assert Release.objects.get(pk=approved.pk).status == Status.APPROVED


@pytest.mark.parametrize(
    "go_live", ["next tuesday", "9999-12-31T23:59", "9999-12-31T23:59-12:00", "0001-01-01T00:00"]
)
def test_garbage_go_live_time_is_a_form_error(client, editor, approved, go_live):
    """Typed text, or a year mistyped to the calendar's ends, which has no UTC time."""
    client.force_login(editor)
    response = schedule(client, approved, go_live)
    assert response.status_code == 200
    assert (
        "Enter a date and time" in response.text
        or "already passed" in response.text
        or ("more than 10 years from now: check the year" in response.text)
    )
    assert Release.objects.get(pk=approved.pk).status == Status.APPROVED


@pytest.mark.parametrize("go_live", ["2200-01-01T06:00", "9999-12-31T23:59"])
def test_a_go_live_decades_ahead_is_a_mistyped_year_and_is_refused_so(
    client, editor, approved, go_live
):
    """2200 was accepted without a word; 9999-12-31 was told “Enter a date and time”."""
    client.force_login(editor)
    response = schedule(client, approved, go_live)
    assert "is more than 10 years from now: check the year." in unescape(response.text)
    assert Release.objects.get(pk=approved.pk).status == Status.APPROVED
    soon = schedule(client, approved, f"{future_year()}-01-01T06:00")
    assert soon.status_code == 302


def test_a_time_skipped_by_spring_forward_is_refused(client, editor, approved):
    client.force_login(editor)
    with time_machine.travel(datetime(2021, 3, 1, tzinfo=TORONTO), tick=False):
        response = schedule(client, approved, "2021-03-14T02:30")
    assert "does not exist in Eastern time (Toronto, Ottawa)" in response.text
    assert Release.objects.get(pk=approved.pk).status == Status.APPROVED


def test_a_skipped_or_repeated_time_is_written_in_the_desks_language(client, editor, approved):
    """The French desk reads « Le dimanche 14 mars 2021 à 2 h 30 n’existe pas », not “Mar 14,
    2021 02:30”, a sentence that starts as French sentences do."""
    client.force_login(editor)
    client.cookies["django_language"] = "fr"
    with time_machine.travel(datetime(2021, 3, 1, tzinfo=TORONTO), tick=False):
        skipped = schedule(client, approved, "2021-03-14T02:30").text
    assert "Le dimanche 14 mars 2021 à 2\u00a0h\u00a030 n’existe pas" in unescape(skipped)
    with time_machine.travel(datetime(2021, 11, 1, tzinfo=TORONTO), tick=False):
        repeated = schedule(client, approved, "2021-11-07T01:30").text
    assert "Le dimanche 7 novembre 2021 à 1\u00a0h\u00a030 survient" in unescape(repeated)
    assert "Nov" not in unescape(repeated).split("errorlist")[1][:200]


def test_a_time_repeated_by_fall_back_needs_a_choice_and_then_uses_it(client, editor, approved):
    client.force_login(editor)
    with time_machine.travel(datetime(2021, 11, 1, tzinfo=TORONTO), tick=False):
        ordinary = client.get(reverse("admin:releases_release_schedule", args=[approved.pk]))
        assert '<select name="if_twice"' not in ordinary.text  # not asked of an ordinary time
        response = schedule(client, approved, "2021-11-07T01:30")
        assert "happens twice in Eastern time (Toronto, Ottawa)" in response.text
        assert '<select name="if_twice"' in response.text
        assert Release.objects.get(pk=approved.pk).status == Status.APPROVED
        assert schedule(client, approved, "2021-11-07T01:30", if_twice="1").status_code == 302
    approved.refresh_from_db()
    assert approved.publish_at == datetime(2021, 11, 7, 6, 30, tzinfo=ZoneInfo("UTC"))
    assert approved.publish_at.astimezone(TORONTO).tzname() == "EST"


def test_the_distribution_line_is_embargoed_on_preview_and_immediate_once_public(
    client, editor, approved
):
    client.force_login(editor)
    with time_machine.travel(datetime(2021, 5, 1, tzinfo=TORONTO), tick=False):
        publishing.schedule(release=approved, by=editor, at=datetime(2021, 5, 9, 6, tzinfo=TORONTO))
        html = client.get(reverse("releases:preview", args=[approved.pk])).text
        assert "EMBARGOED UNTIL 06:00 EDT, Sunday May 9, 2021" in html
    with time_machine.travel(datetime(2021, 5, 9, 6, 1, tzinfo=TORONTO), tick=False):
        assert "FOR IMMEDIATE RELEASE" in client.get(approved.get_absolute_url()).text


def test_second_of_two_concurrent_edits_is_refused_with_a_link_to_the_newer_version(client, editor):
    release = make_release(published=False)
    client.force_login(editor)
    first = client.post(change_url(release), release_admin_form(release, headline="First Wins"))
    assert first.status_code == 302
    second = client.post(change_url(release), release_admin_form(release, headline="Second Loses"))
    assert second.status_code == 200
    assert "Someone else saved this release" in second.text
    assert f'href="{change_url(release)}"' in second.text
    assert Release.objects.get(pk=release.pk).headline == "First Wins"


def test_a_correction_in_the_admin_needs_a_note_then_shows_on_the_page(client, editor):
    release = make_release()
    client.force_login(editor)
    form = release_admin_form(release, body="<p>Corrected body.</p>", edit_kind="correction")
    response = client.post(change_url(release), form)
    assert response.status_code == 200 and "Write the public note" in response.text
    form["correction_note"] = "The date of the ceremony was wrong."
    assert client.post(change_url(release), form).status_code == 302
    release.refresh_from_db()
    assert release.updated_at is not None
    page = client.get(release.get_absolute_url()).text
    assert "The date of the ceremony was wrong." in page and "Corrected" in page


def test_a_minor_edit_in_the_admin_keeps_the_updated_time(client, editor):
    release = make_release()
    client.force_login(editor)
    assert (
        client.post(
            change_url(release), release_admin_form(release, headline="Typo Fixed")
        ).status_code
        == 302
    )
    release.refresh_from_db()
    assert release.headline == "Typo Fixed" and release.updated_at is None


def test_history_shows_what_changed_and_offers_restore_as_a_new_draft(client, editor):
    release = make_release(published=False, headline="Before")
    client.force_login(editor)
    client.post(change_url(release), release_admin_form(release, headline="After"))
    html = client.get(reverse("admin:releases_release_history", args=[release.pk])).text
    assert "Before" in html and "After" in html
    assert "Restore as a new draft" in html
    oldest = release.history.earliest("history_date")
    url = reverse("admin:releases_release_restore", args=[release.pk, oldest.history_id])
    assert client.post(url).status_code == 302
    assert Release.objects.filter(headline="Before", status=Status.DRAFT).exists()


def test_the_workflow_record_names_a_backdated_publication_in_the_desk_language(
    client, editor, settings
):
    settings.TIME_ZONE = "America/Toronto"
    release = make_release(published=False)
    at = datetime(2021, 5, 9, 6, tzinfo=ZoneInfo("America/Toronto"))
    publishing.publish(release=release, by=editor, at=at)
    client.force_login(editor)
    url = reverse("admin:releases_release_history", args=[release.pk])
    assert "Backdated to Sun May 9, 2021 06:00 EDT" in client.get(url).text
    french = client.get(url, headers={"accept-language": "fr"}).text
    assert "Antidaté au dimanche 9 mai 2021, 6\xa0h\xa000 HAE" in french
    assert "backdated to" not in french


def test_an_editor_withdraws_and_unpublishes_through_the_admin(client, editor):
    release = make_release()
    client.force_login(editor)
    url = reverse("admin:releases_release_withdraw", args=[release.pk])
    assert "This field is required" in client.post(url, {"reason": ""}).text
    assert Release.objects.get(pk=release.pk).status == Status.PUBLISHED
    client.post(url, {"reason": "Figures were wrong.", "version_seen": release.version})
    assert Release.objects.get(pk=release.pk).status == Status.WITHDRAWN
    release.refresh_from_db()
    url = reverse("admin:releases_release_unpublish", args=[release.pk])
    # It cannot be undone: the page says so, and the way back to its words, before it is done.
    asking = client.get(url).text
    assert "It cannot be published again" in asking and "as a new draft" in asking
    client.post(url, {"note": "", "version_seen": release.version})
    assert Release.objects.get(pk=release.pk).status == Status.UNPUBLISHED


def test_an_author_cannot_open_the_schedule_page(client, author, approved):
    client.force_login(author)
    url = reverse("admin:releases_release_schedule", args=[approved.pk])
    assert client.post(url, {"go_live": f"{future_year()}-01-01T06:00"}).status_code == 403
    assert Release.objects.get(pk=approved.pk).status == Status.APPROVED


def test_author_creates_a_draft_and_is_recorded_as_its_creator(client, author):
    client.force_login(author)
    data = release_admin_form(
        Release(
            release_type="news-release",
            language="en",
            headline="New One",
            slug="new-one",
            dateline_city="Ottawa",
            body="<p>B.</p>",
        )
    )
    data.pop("version_seen")
    assert client.post(reverse("admin:releases_release_add"), data).status_code == 302
    release = Release.objects.get(slug="new-one")
    assert release.created_by == author and release.events.get().action == "created"
    assert release.publish_at is None and release.status == Status.DRAFT
    assert release.version == 1


@pytest.mark.parametrize("group", ["Authors", "Editors"])
def test_authors_and_editors_may_attach_images_and_documents(client, group):
    client.force_login(make_staff(group))
    html = client.get(reverse("admin:releases_release_add")).text
    assert 'id="images-group"' in html and 'id="documents-group"' in html


def test_a_correction_of_a_release_not_yet_public_is_a_form_error_not_a_crash(client, editor):
    from datetime import timedelta

    from django.utils import timezone

    scheduled = make_release(publish_at=timezone.now() + timedelta(days=1))
    client.force_login(editor)
    form = release_admin_form(scheduled, edit_kind="correction", correction_note="Fixed.")
    response = client.post(change_url(scheduled), form)
    assert response.status_code == 200
    assert "Only a public release is corrected" in response.text
    assert not scheduled.corrections.exists()


def test_a_public_release_cannot_be_deleted_only_a_draft_can(client, editor):
    public, draft = make_release(), make_release(published=False)
    client.force_login(editor)
    delete = "admin:releases_release_delete"
    assert client.post(reverse(delete, args=[public.pk]), {"post": "yes"}).status_code == 403
    assert client.post(reverse(delete, args=[draft.pk]), {"post": "yes"}).status_code == 302
    assert list(Release.objects.all()) == [public]
    changelist = client.get(reverse("admin:releases_release_changelist")).text
    assert 'value="delete_selected"' not in changelist


def publication_field(html: str, name: str) -> str:
    found = re.search(rf'field-{name}.*?<div class="readonly">(.*?)</div>', html, re.DOTALL)
    assert found, name
    return found.group(1).strip()


def test_the_change_form_says_scheduled_until_the_time_comes_and_names_the_zone(client, editor):
    go_live = datetime(future_year(), 12, 3, 9, 0, tzinfo=TORONTO)
    release = make_release(publish_at=go_live)
    client.force_login(editor)
    html = client.get(change_url(release)).text
    assert publication_field(html, "publication_status") == "Scheduled"
    assert publication_field(html, "publication_time").endswith("09:00 EST")
    french = client.get(change_url(release), HTTP_ACCEPT_LANGUAGE="fr").text
    assert publication_field(french, "publication_status") == "Programmé"
    assert publication_field(french, "publication_time").endswith("9\u00a0h\u00a000 HNE")
    published = make_release()
    html = client.get(change_url(published)).text
    assert publication_field(html, "publication_status") == "Published"
    draft = make_release(published=False)
    assert publication_field(client.get(change_url(draft)).text, "publication_time") == "—"


def test_the_withdraw_page_says_where_the_release_stays_and_which_pages_it_leaves(client, editor):
    """Each claim of the withdraw page holds: the page stays at its address with the reason;
    the release leaves the lists, the archives, search, feeds and the sitemap."""
    release = make_release(headline="Figures for the week")
    year = release.publish_at.year
    client.force_login(editor)
    url = reverse("admin:releases_release_withdraw", args=[release.pk])
    asking = unescape(client.get(url).text)
    assert "Its page stays at its address, with a banner and your reason." in asking
    assert "the archives, search, feeds and the sitemap" in asking
    assert "stays in the archives" not in asking
    # The moment shown is when it leaves the lists, not the site: its page stays.
    assert "<dt>Leaves lists, archives, search and feeds</dt>" in asking
    assert "Leaves the public site" not in asking
    unpublish = reverse("admin:releases_release_unpublish", args=[release.pk])
    assert "<dt>Leaves the public site</dt>" in client.get(unpublish).text
    addresses = [
        reverse("releases:home"),
        reverse("releases:list"),
        reverse("releases:archive-year", kwargs={"year": str(year)}),
        reverse("releases:search") + "?q=figures",
        reverse("releases:feed", kwargs={"feed_format": "rss"}),
        reverse("sitemap-section", kwargs={"section": "releases"}),
    ]
    public = Client()
    assert all(release.slug in public.get(address).text for address in addresses)
    client.post(url, {"reason": "Figures were wrong.", "version_seen": release.version})
    page = public.get(release.get_absolute_url())
    assert page.status_code == 200 and "Figures were wrong." in page.text
    for address in addresses:
        assert release.slug not in public.get(address).text, address
