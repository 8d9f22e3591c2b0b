"""The one rule: a release is public exactly when it is published and its time has come."""

from datetime import timedelta

import pytest
import time_machine

from releases.models import Release, Status
from tests.factories import make_release

pytestmark = pytest.mark.django_db


def test_drafts_are_not_public():
    draft = make_release(published=False)
    assert draft not in Release.objects.published()
    assert not draft.is_published


def test_a_release_whose_time_has_come_is_public(now):
    release = make_release(publish_at=now - timedelta(seconds=1))
    assert release in Release.objects.published()
    assert release.is_published


def test_a_scheduled_release_becomes_public_at_its_second(now):
    release = make_release(publish_at=now + timedelta(minutes=10))
    go_live = release.publish_at
    with time_machine.travel(go_live - timedelta(seconds=1), tick=False):
        assert release not in Release.objects.published()
        assert not release.is_published
        assert release.is_scheduled
    with time_machine.travel(go_live, tick=False):
        assert release in Release.objects.published()
        assert release.is_published


@pytest.mark.parametrize("status", [Status.WITHDRAWN, Status.UNPUBLISHED])
def test_withdrawn_and_unpublished_releases_leave_the_public_lists(status):
    release = make_release()
    Release.objects.filter(pk=release.pk).update(status=status)
    assert release not in Release.objects.published()


def test_withdrawn_releases_stay_on_record_but_unpublished_ones_do_not():
    withdrawn = make_release()
    unpublished = make_release()
    Release.objects.filter(pk=withdrawn.pk).update(status=Status.WITHDRAWN)
    Release.objects.filter(pk=unpublished.pk).update(status=Status.UNPUBLISHED)
    on_record = Release.objects.published(include_withdrawn=True)
    assert withdrawn in on_record
    assert unpublished not in on_record


def test_is_published_agrees_with_the_queryset_for_every_state(now):
    releases = [
        make_release(published=False),
        make_release(publish_at=now - timedelta(days=1)),
        make_release(publish_at=now + timedelta(days=1)),
    ]
    public_ids = set(Release.objects.published().values_list("pk", flat=True))
    for release in releases:
        assert release.is_published == (release.pk in public_ids)
