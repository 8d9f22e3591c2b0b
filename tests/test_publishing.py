"""The workflow's transitions, as releases/publishing.py makes them."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from releases.models import Correction, Release, ReleaseEvent, Status
from releases.workflow import publishing
from releases.workflow.states import record_note
from tests.factories import future_year, make_quote, make_release

TORONTO = ZoneInfo("America/Toronto")
pytestmark = pytest.mark.django_db


def in_review(author):
    release = make_release(published=False)
    return publishing.submit_for_review(release=release, by=author)


def test_author_submits_and_editor_approves_and_schedules_with_a_log_of_who(
    author, editor, tomorrow
):
    release = in_review(author)
    publishing.approve(release=release, by=editor)
    publishing.schedule(release=release, by=editor, at=tomorrow)
    release.refresh_from_db()
    assert release.is_scheduled and release.publish_at == tomorrow
    log = list(release.events.order_by("at", "pk").values_list("action", "actor"))
    assert log == [("submitted", author.pk), ("approved", editor.pk), ("scheduled", editor.pk)]


@pytest.mark.parametrize(
    "transition",
    [
        lambda r, by: publishing.approve(release=r, by=by),
        lambda r, by: publishing.publish_now(release=r, by=by),
        lambda r, by: publishing.schedule(
            release=r, by=by, at=datetime(future_year(), 1, 1, tzinfo=TORONTO)
        ),
        lambda r, by: publishing.publish(release=r, by=by),
        lambda r, by: publishing.return_to_draft(release=r, by=by),
    ],
    ids=["approve", "publish-now", "schedule", "publish", "return"],
)
def test_an_author_cannot_take_an_editors_step_and_nothing_changes(author, transition):
    release = in_review(author)
    before = Release.objects.values().get(pk=release.pk)
    with pytest.raises(PermissionDenied, match="permission"):
        transition(release, author)
    assert Release.objects.values().get(pk=release.pk) == before
    assert release.events.count() == 1


def test_a_transition_the_state_does_not_allow_is_refused_with_a_clear_message(editor):
    draft = make_release(published=False)
    with pytest.raises(ValidationError, match="“Draft” cannot be approved"):
        publishing.approve(release=draft, by=editor)
    public = make_release()
    with pytest.raises(ValidationError, match="cannot be submitted"):
        publishing.submit_for_review(release=public, by=editor)


def test_an_incomplete_release_cannot_be_submitted_or_scheduled(author, editor, tomorrow):
    release = make_release(published=False, dateline_city="")
    with pytest.raises(ValidationError, match="dateline city"):
        publishing.submit_for_review(release=release, by=author)
    Release.objects.filter(pk=release.pk).update(status=Status.APPROVED)
    release.refresh_from_db()
    with pytest.raises(ValidationError, match="dateline city"):
        publishing.schedule(release=release, by=editor, at=tomorrow)
    assert Release.objects.get(pk=release.pk).status == Status.APPROVED


def test_a_schedule_in_the_past_or_without_a_zone_is_refused(author, editor, now):
    release = in_review(author)
    with pytest.raises(ValidationError, match="already passed"):
        publishing.schedule(release=release, by=editor, at=now - timedelta(minutes=1))
    with pytest.raises(ValidationError, match="time zone"):
        publishing.schedule(release=release, by=editor, at=datetime(future_year(), 5, 9, 6, 0))
    assert Release.objects.get(pk=release.pk).status == Status.IN_REVIEW


def test_editors_may_backdate_an_old_release_which_does_not_count_as_new(editor):
    newer = make_release()
    old = make_release(published=False)
    publishing.publish(release=old, by=editor, at=datetime(2021, 5, 9, 6, tzinfo=TORONTO))
    old.refresh_from_db()
    assert old.is_published and old.publication_date.isoformat() == "2021-05-09"
    assert old.updated_at is None
    assert list(Release.objects.published().for_listing())[0] == newer
    assert "backdated" in old.events.get().note


def test_the_desk_shows_a_backdated_publication_in_its_own_language(editor, settings):
    settings.TIME_ZONE = "America/Toronto"
    old = make_release(published=False)
    publishing.publish(release=old, by=editor, at=datetime(2021, 5, 9, 6, tzinfo=TORONTO))
    event = old.events.get()
    # As the desk writes its moments: the weekday, and the zone (it may not be the reader's).
    with translation.override("en"):
        assert record_note(event) == "Backdated to Sun May 9, 2021 06:00 EDT"
    with translation.override("fr"):
        assert record_note(event) == "Antidaté au dimanche 9 mai 2021, 6\xa0h\xa000 HAE"
    typed = ReleaseEvent(action=ReleaseEvent.Action.PUBLISHED, note="Cleared by legal")
    assert record_note(typed) == "Cleared by legal"


def test_a_minor_edit_keeps_the_public_updated_time(editor):
    release = make_release()
    release.headline = "Fixed a typo"
    publishing.minor_edit(release=release, by=editor)
    release.refresh_from_db()
    assert release.headline == "Fixed a typo" and release.updated_at is None
    assert not release.corrections.exists()


def test_a_correction_needs_a_note_and_bumps_the_updated_time(editor, now):
    release = make_release()
    release.body = "<p>The ceremony is on May 12.</p>"
    with pytest.raises(ValidationError, match="public note"):
        publishing.correct(release=release, by=editor, note="  ")
    assert Release.objects.get(pk=release.pk).updated_at is None
    with time_machine.travel(now + timedelta(days=1), tick=False):
        publishing.correct(release=release, by=editor, note="The ceremony is on May 12.")
    release.refresh_from_db()
    assert release.updated_at == now + timedelta(days=1)
    correction = Correction.objects.get(release=release)
    assert correction.note == "The ceremony is on May 12." and correction.by == editor


def test_withdrawal_needs_a_reason_and_keeps_the_release_on_record(editor):
    release = make_release()
    with pytest.raises(ValidationError, match="reason"):
        publishing.withdraw(release=release, by=editor, reason="")
    publishing.withdraw(release=release, by=editor, reason="Figures were wrong.")
    assert release not in Release.objects.published()
    assert release in Release.objects.published(include_withdrawn=True)


def test_an_author_cannot_withdraw_or_unpublish(author):
    release = make_release()
    with pytest.raises(PermissionDenied):
        publishing.withdraw(release=release, by=author, reason="No")
    with pytest.raises(PermissionDenied):
        publishing.unpublish(release=release, by=author)
    assert Release.objects.get(pk=release.pk).status == Status.PUBLISHED


def test_a_save_based_on_an_outdated_version_is_refused(editor):
    release = make_release(published=False)
    first = Release.objects.get(pk=release.pk)
    second = Release.objects.get(pk=release.pk)
    first.headline = "First editor's headline"
    publishing.save_draft(release=first, by=editor)
    second.headline = "Second editor's headline"
    with pytest.raises(publishing.StaleVersion, match="Someone else saved"):
        publishing.save_draft(release=second, by=editor)
    assert Release.objects.get(pk=release.pk).headline == "First editor's headline"


def test_a_revision_is_restored_as_a_new_draft_with_its_quotes(editor):
    release = make_release(published=False, headline="Original headline")
    make_quote(release, text="Original words.")
    original = release.history.latest("history_date")
    with time_machine.travel(original.history_date + timedelta(seconds=5)):
        release.headline = "Rewritten headline"
        publishing.save_draft(release=release, by=editor)
        release.quotes.update(text="Rewritten words.")
        draft = publishing.restore_revision(
            release=release, history_id=original.history_id, by=editor
        )
    assert draft.pk != release.pk and draft.status == Status.DRAFT
    assert draft.headline == "Original headline"
    assert [q.text for q in draft.quotes.all()] == ["Original words."]
    assert Release.objects.get(pk=release.pk).headline == "Rewritten headline"
    assert ReleaseEvent.objects.filter(release=draft, action="restored", actor=editor).exists()


def test_the_groups_have_the_workflow_permissions(author, editor):
    assert author.has_perm("releases.change_release")
    assert not author.has_perm("releases.publish_release")
    for permission in ["approve", "publish", "withdraw", "preview"]:
        assert editor.has_perm(f"releases.{permission}_release")


def test_the_workflow_refuses_a_go_live_more_than_ten_years_ahead_by_the_moment(editor):
    """Not only the form: any caller of ``publishing.schedule``. By the moment, not the year:
    late in the tenth year's calendar is already too far."""
    from releases.workflow.go_live import latest_go_live

    release = make_release(published=False, status=Status.APPROVED)
    now = timezone.now()
    with pytest.raises(ValidationError) as refused:
        publishing.schedule(release=release, by=editor, at=latest_go_live(now) + timedelta(days=2))
    assert refused.value.code == "too-far"
    assert "check the year" in str(refused.value.messages[0])
    release.refresh_from_db()
    assert not release.is_scheduled
    publishing.schedule(release=release, by=editor, at=now + timedelta(days=365 * 9))
    assert release.is_scheduled
