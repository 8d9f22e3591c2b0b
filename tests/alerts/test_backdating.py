"""A release backdated from the desk (“Publish now…” with the moment it first went public) is
not news, as the demo's 2021 release is not: no alert email and no WebSub ping, which a
release published now from the same page gets."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from alerts.dispatch import dispatch
from releases.workflow.forms import wall_clock
from tests.alerts.support import make_subscriber, run_tasks
from tests.factories import CONFIRMED
from tests.test_backdating import backdate, in_review, publish_now_url, stored

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("earlier", ["2021-05-09T06:00", "five minutes ago"])
def test_a_backdated_release_is_not_news_but_one_published_now_is(
    client, author, editor, hub, earlier
):
    """Backdated to 2021, or to a moment still inside the dispatcher's look-back: no email and
    no ping either way."""
    make_subscriber()
    old, new = in_review(author), in_review(author, "Today in the Newsroom", "today")
    client.force_login(editor)
    if earlier == "five minutes ago":
        earlier = wall_clock(timezone.now() - timedelta(minutes=5))
    backdate(client, old, earlier)
    assert stored(old).is_published
    dispatch()
    run_tasks()
    assert mail.outbox == [] and hub == []
    client.post(publish_now_url(new), {"version_seen": new.version, **CONFIRMED})
    dispatch()
    run_tasks()
    assert [message.subject for message in mail.outbox] == ["Today in the Newsroom"]
    assert hub
