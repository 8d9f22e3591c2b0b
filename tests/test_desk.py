"""The desk, the admin's home page for staff: my drafts, what waits for my review, the coming
fortnight's go-lives with language twins side by side, and recent publications with their
corrections — each row leading to its next action, in a fixed number of queries."""

import re
import uuid
from datetime import datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from releases.models import Release
from releases.workflow import publishing
from tests.factories import future_year, make_release, make_staff

pytestmark = pytest.mark.django_db


def desk_of(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.content.decode()


def change_url(release):
    return reverse("admin:releases_release_change", args=[release.pk])


def test_an_author_sees_their_own_drafts_with_a_link_to_finish_them(client):
    author = make_staff("Authors")
    mine = make_release(published=False, headline="My Unfinished Release", created_by=author)
    theirs = make_release(
        published=False, headline="A Colleague's Draft", created_by=make_staff("Authors")
    )
    page = desk_of(client, author)
    assert "My drafts" in page
    assert "My Unfinished Release" in page and change_url(mine) in page
    assert theirs.headline not in page
    # Authors do not review.
    assert "Waiting for my review" not in page


def test_an_editor_sees_what_waits_for_review_and_approved_releases_lead_to_scheduling(client):
    editor = make_staff("Editors")
    in_review = make_release(published=False, headline="Please Review Me")
    publishing.submit_for_review(release=in_review, by=None)
    approved = make_release(published=False, headline="Approved And Waiting")
    publishing.submit_for_review(release=approved, by=None)
    publishing.approve(release=approved, by=None)
    page = desk_of(client, editor)
    assert "Waiting for my review" in page
    assert "Please Review Me" in page and change_url(in_review) in page
    assert reverse("admin:releases_release_schedule", args=[approved.pk]) in page


def test_the_timeline_shows_the_next_fortnight_in_local_time_with_twins_side_by_side(client):
    group = uuid.uuid4()
    zone = ZoneInfo("America/Toronto")
    go_live = (
        (timezone.now() + timedelta(days=3))
        .astimezone(zone)
        .replace(hour=6, minute=0, second=0, microsecond=0)
    )
    english = make_release(
        headline="Police Week Opens", translation_group=group, publish_at=go_live
    )
    french = make_release(
        headline="Ouverture de la Semaine de la police",
        language="fr",
        translation_group=group,
        publish_at=go_live,
    )
    make_release(headline="Too Far Ahead", publish_at=timezone.now() + timedelta(days=20))
    page = desk_of(client, make_staff("Editors"))
    assert "Scheduled in the next 14 days" in page
    assert english.headline in page and french.headline in page
    # One row for the pair, and the go-live in the newsroom's zone.
    assert page.count('class="desk__row desk__row--scheduled"') == 1
    assert f">06:00 {go_live.tzname()}<" in page
    assert "Too Far Ahead" not in page
    # An editor's next action on a scheduled release: its time.
    assert reverse("admin:releases_release_schedule", args=[english.pk]) in page


def test_a_twin_left_behind_is_flagged_beside_the_scheduled_version(client):
    group = uuid.uuid4()
    make_release(
        headline="Going Out Alone",
        translation_group=group,
        publish_at=timezone.now() + timedelta(days=1),
    )
    make_release(
        published=False, headline="Version française", language="fr", translation_group=group
    )
    page = desk_of(client, make_staff("Editors"))
    assert "Version française" in page
    assert "not scheduled: Draft" in page


@pytest.mark.parametrize(
    "language, said",
    [
        ("en", "not scheduled: Unpublished (published in error)"),
        ("fr", "non programmé : Dépublié (publié par erreur)"),
    ],
)
def test_a_twin_left_behind_is_named_by_its_state_without_brackets_in_brackets(
    client, language, said
):
    """A state whose name holds brackets was set in brackets of its own."""
    group = uuid.uuid4()
    make_release(
        headline="Going Out Alone",
        translation_group=group,
        publish_at=timezone.now() + timedelta(days=1),
    )
    french = make_release(headline="Version française", language="fr", translation_group=group)
    publishing.unpublish(release=french, by=None)
    client.force_login(make_staff("Editors"))
    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE=language).text
    (flag,) = re.findall(r'class="desk__meta desk__meta--warning">(.*?)</span>', page, re.S)
    flag = unescape(flag).replace("\u00a0", " ").replace("\u202f", " ")
    assert flag == said
    assert "((" not in flag and "))" not in flag


def test_recent_publications_show_their_corrections(client):
    release = make_release(headline="Corrected Release")
    publishing.correct(release=release, by=None, note="The ceremony is on May 12.")
    page = desk_of(client, make_staff("Editors"))
    assert "Recently published" in page
    assert "Corrected once" in page and "The ceremony is on May 12." in page
    assert release.get_absolute_url() in page and change_url(release) in page


def test_the_desk_costs_the_same_number_of_queries_for_many_releases(
    client, django_assert_max_num_queries
):
    editor = make_staff("Editors")
    client.force_login(editor)
    for n in range(12):
        group = uuid.uuid4()
        at = timezone.now() + timedelta(days=1 + n % 10, hours=n)
        make_release(translation_group=group, publish_at=at)
        make_release(language="fr", translation_group=group, publish_at=at)
        corrected = make_release()
        publishing.correct(release=corrected, by=None, note=f"Note {n}.")
        publishing.withdraw(release=make_release(), by=None, reason=f"Reason {n}.")
        make_release(published=False, created_by=editor)
        publishing.submit_for_review(release=make_release(published=False), by=None)
        Release.objects.filter(translation_group=group, language="fr").update(
            needs_translation=True
        )
    # 13, two for the translations to do, one for the outside reviewers’ requests for changes.
    with django_assert_max_num_queries(16):
        response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.content.decode().count("desk__row--scheduled") == 12
    assert "To translate or bring up to date" in response.content.decode()


def test_the_desk_is_not_shown_to_people_who_are_not_staff(client):
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_desk_stays_in_a_fixed_window(client):
    """A release whose go-live is past is no longer on the timeline."""
    make_release(headline="Already Out", publish_at=timezone.now() - timedelta(minutes=1))
    page = desk_of(client, make_staff("Editors"))
    assert page.count("desk__row--scheduled") == 0
    assert "Nothing is scheduled." in page
    assert Release.objects.published().count() == 1


def test_the_desk_speaks_french_to_french_staff(client):
    client.force_login(make_staff("Editors"))
    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Mes brouillons" in page and "Publiés récemment" in page
    assert "Programmé dans les 14 prochains jours" in page


def test_the_desk_writes_its_times_as_french_staff_read_them(client):
    """In the newsroom's zone, named in French (HNE, HAE), with the year when it is not this
    year's, the language lower-case inside a sentence, and “just now” rather than “0 minutes”."""
    zone = ZoneInfo("America/Toronto")
    editor = make_staff("Editors")
    make_release(
        headline="Police Week 2021",
        publish_at=datetime(2021, 5, 9, 9, 0, tzinfo=zone),
    )
    go_live = (
        (timezone.now() + timedelta(days=3))
        .astimezone(zone)
        .replace(hour=6, minute=0, second=0, microsecond=0)
    )
    make_release(headline="Scheduled Soon", publish_at=go_live)
    make_release(published=False, headline="Mon brouillon", created_by=editor)
    group = uuid.uuid4()
    make_release(headline="English Original", translation_group=group)
    make_release(
        published=False,
        headline="Version à mettre à jour",
        language="fr",
        translation_group=group,
        needs_translation=True,
    )
    client.force_login(editor)
    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "9 mai 2021, 9\u00a0h\u00a000 HAE" in page
    assert f">6\u00a0h\u00a000 {'HAE' if go_live.dst() else 'HNE'}<" in page
    assert "enregistré à l’instant" in page
    assert "suit la version en anglais, enregistrée à l’instant" in page
    assert "0 minute" not in page and "en Anglais" not in page
    assert not re.search(r"\b(EST|EDT)\b", page)


def test_the_desk_names_the_year_only_of_another_years_publications(client):
    zone = ZoneInfo("America/Toronto")
    with time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=zone), tick=False):
        make_release(headline="Last Year's", publish_at=datetime(2025, 6, 1, 9, tzinfo=zone))
        make_release(headline="This Year's", publish_at=datetime(2026, 6, 10, 9, tzinfo=zone))
        editor = make_staff("Editors")
        page = desk_of(client, editor)
        french = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Jun 1, 2025, 09:00 EDT<" in page and "Jun 10, 09:00 EDT<" in page
    assert (
        "1er juin 2025, 9\u00a0h\u00a000 HAE<" in french
        and "10 juin, 9\u00a0h\u00a000 HAE<" in french
    )


def desk_section(page: str, section: str) -> str:
    found = re.search(rf'aria-labelledby="desk-{section}">(.*?)</section>', page, re.DOTALL)
    assert found, section
    return found.group(1)


def test_a_translation_under_embargo_is_scheduled_on_the_desk_not_published(client):
    """Its status is “published”, but the public does not see it until its time: the desk
    says so as the change page does, with the time in the newsroom's zone."""
    group = uuid.uuid4()
    make_release(headline="Police Week Opens", translation_group=group)
    year = future_year(12, 3, weekday=3)
    make_release(
        headline="Ouverture de la Semaine de la police",
        language="fr",
        translation_group=group,
        publish_at=datetime(year, 12, 3, 9, 0, tzinfo=ZoneInfo("America/Toronto")),
        needs_translation=True,
    )
    editor = make_staff("Editors")
    row = desk_section(desk_of(client, editor), "translations")
    assert f"French · Scheduled for Thu Dec 3, {year} 09:00 EST ·" in row
    assert "Published" not in row
    french = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    row = desk_section(french, "translations")
    assert f"Français · Programmé\u00a0: jeudi 3 décembre {year}, 9\u00a0h\u00a000 HNE ·" in row
    assert "Publié" not in row


# A desk row's headline and what its line under it says.
ROW_META = r">([^<]+)</a>\s*<span class=\"desk__meta\">(.*?)</span>"


def test_a_withdrawn_release_shows_when_it_was_withdrawn_not_when_it_went_out(client):
    zone = ZoneInfo("America/Toronto")
    with time_machine.travel(datetime(2026, 12, 3, 4, 16, tzinfo=zone), tick=False):
        withdrawn = make_release(headline="Sent By Mistake", publish_at=timezone.now())
        make_release(headline="Still Out", publish_at=timezone.now())
        # Withdrawn outside the workflow (seeded data): no record says when.
        seeded = make_release(headline="Seeded Withdrawal", publish_at=timezone.now())
        Release.objects.filter(pk=seeded.pk).update(status="withdrawn")
    with time_machine.travel(datetime(2026, 12, 3, 4, 19, tzinfo=zone), tick=False):
        publishing.withdraw(release=withdrawn, by=None, reason="Sent by mistake.")
    with time_machine.travel(datetime(2026, 12, 3, 4, 30, tzinfo=zone), tick=False):
        editor = make_staff("Editors")
        recent = desk_section(desk_of(client, editor), "recent")
        french = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    rows = dict(re.findall(ROW_META, recent))
    assert re.sub(r"<[^>]+>", "", rows["Sent By Mistake"]) == "English · Withdrawn Dec 3, 04:19 EST"
    assert re.sub(r"<[^>]+>", "", rows["Still Out"]) == "English · Published Dec 3, 04:16 EST"
    assert rows["Seeded Withdrawal"] == "English · Withdrawn"
    french_rows = dict(re.findall(ROW_META, desk_section(french, "recent")))
    assert french_rows["Sent By Mistake"] == (
        'Anglais · Retiré <time datetime="2026-12-03T04:19:00-05:00">'
        "3 décembre, 4\u00a0h\u00a019 HNE</time>"
    )
