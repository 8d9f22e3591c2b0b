"""Language twins go out together: scheduled for the same minute, or a warning when one
language is published alone."""

import re
from datetime import datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from releases.models import Release, ReleaseEvent, Status
from releases.workflow import publishing
from tests.factories import CONFIRMED, make_release

TORONTO = ZoneInfo("America/Toronto")
BEFORE = datetime(2021, 5, 1, 12, tzinfo=TORONTO)
GO_LIVE = datetime(2021, 5, 9, 6, 0, tzinfo=TORONTO)
NOT_YET_PUBLISHED = "The French version is not published yet"

pytestmark = pytest.mark.django_db


def approved_twins(author, editor, *, french_state=Status.APPROVED):
    """An approved English release and its French twin, brought to ``french_state``."""
    english = make_release(published=False, headline="Working Together")
    french = make_release(
        published=False,
        headline="Travailler ensemble",
        language="fr",
        translation_group=english.translation_group,
    )
    for release in (english, french):
        publishing.submit_for_review(release=release, by=author)
    publishing.approve(release=english, by=editor)
    if french_state == Status.APPROVED:
        publishing.approve(release=french, by=editor)
    elif french_state == Status.DRAFT:
        publishing.return_to_draft(release=french, by=editor)
    return english, french


def schedule_url(release):
    return reverse("admin:releases_release_schedule", args=[release.pk])


def twin_checkbox(page: str) -> str:
    """The ``<input>`` tag of the “also schedule the twin” checkbox."""
    return re.search(r'<input type="checkbox" name="include_twins"[^>]*>', page).group()


def public_pks():
    return set(Release.objects.published().values_list("pk", flat=True))


def test_both_languages_scheduled_together_go_public_at_the_same_second(author, editor):
    english, french = approved_twins(author, editor)
    with time_machine.travel(BEFORE, tick=False):
        scheduled = publishing.schedule_with_twins(
            release=english, by=editor, at=GO_LIVE, include_twins=True
        )
    assert {release.pk for release in scheduled} == {english.pk, french.pk}
    with time_machine.travel(GO_LIVE - timedelta(seconds=1), tick=False):
        assert public_pks() == set()
    with time_machine.travel(GO_LIVE + timedelta(seconds=1), tick=False):
        assert public_pks() == {english.pk, french.pk}
    for release in (english, french):
        assert release.events.filter(action=ReleaseEvent.Action.SCHEDULED).count() == 1


def test_the_schedule_page_offers_the_twin_ticked_and_schedules_both(client, author, editor):
    english, french = approved_twins(author, editor)
    client.force_login(editor)
    with time_machine.travel(BEFORE, tick=False):
        page = client.get(schedule_url(english)).text
        assert (
            "Also schedule the French version, “Travailler ensemble”, which is “Approved”, for "
            "the same minute" in page
        )
        assert " checked" in twin_checkbox(page)
        response = client.post(
            schedule_url(english),
            {
                "go_live": "2021-05-09T06:00",
                "version_seen": english.version,
                **CONFIRMED,
                "include_twins": "on",
            },
            follow=True,
        )
    assert response.status_code == 200
    assert "Scheduled: “Travailler ensemble” goes public on Sun May 9, 2021 06:00 EDT" in (
        response.text
    )
    assert "not scheduled for the same minute" not in response.text
    for release in (english, french):
        release.refresh_from_db()
        assert release.publish_at == GO_LIVE


def test_unticking_the_twin_schedules_one_language_and_says_the_other_goes_later(
    client, author, editor
):
    english, french = approved_twins(author, editor)
    client.force_login(editor)
    with time_machine.travel(BEFORE, tick=False):
        response = client.post(
            schedule_url(english),
            {"go_live": "2021-05-09T06:00", "version_seen": english.version, **CONFIRMED},
            follow=True,
        )
    assert "The French version is not scheduled for the same minute (Approved)" in response.text
    assert Release.objects.get(pk=french.pk).status == Status.APPROVED
    assert Release.objects.get(pk=english.pk).publish_at == GO_LIVE


def test_a_twin_that_cannot_be_scheduled_stops_both_and_stores_nothing(author, editor):
    english, french = approved_twins(author, editor, french_state=Status.DRAFT)
    events = ReleaseEvent.objects.count()
    with time_machine.travel(BEFORE, tick=False), pytest.raises(ValidationError) as refused:
        publishing.schedule_with_twins(release=english, by=editor, at=GO_LIVE, include_twins=True)
    assert "The French version, “Travailler ensemble”, cannot be scheduled" in str(refused.value)
    assert Release.objects.get(pk=english.pk).status == Status.APPROVED
    assert Release.objects.get(pk=french.pk).status == Status.DRAFT
    assert Release.objects.filter(publish_at__isnull=False).count() == 0
    assert ReleaseEvent.objects.count() == events


def test_a_twin_failing_at_its_save_rolls_back_the_release_already_scheduled(author, editor):
    english, french = approved_twins(author, editor)
    # Another French release already has the twin's address on that day: its save fails late.
    make_release(language="fr", slug=french.slug, publish_at=GO_LIVE + timedelta(hours=1))
    with time_machine.travel(BEFORE, tick=False), pytest.raises(ValidationError):
        publishing.schedule_with_twins(release=english, by=editor, at=GO_LIVE, include_twins=True)
    assert Release.objects.get(pk=english.pk).publish_at is None
    assert not english.events.filter(action=ReleaseEvent.Action.SCHEDULED).exists()


def test_the_schedule_page_explains_why_the_twin_cannot_go_with_it(client, author, editor):
    english, french = approved_twins(author, editor, french_state=Status.DRAFT)
    client.force_login(editor)
    with time_machine.travel(BEFORE, tick=False):
        page = client.get(schedule_url(english)).text
        assert "which is “Draft”" in page and "only a release in review or approved can be" in page
        checkbox = twin_checkbox(page)
        assert " disabled" in checkbox and " checked" not in checkbox
        # A forged tick is ignored: the English release alone is scheduled.
        response = client.post(
            schedule_url(english),
            {
                "go_live": "2021-05-09T06:00",
                "version_seen": english.version,
                **CONFIRMED,
                "include_twins": "on",
            },
        )
    assert response.status_code == 302
    assert Release.objects.get(pk=english.pk).publish_at == GO_LIVE
    assert Release.objects.get(pk=french.pk).status == Status.DRAFT


def test_an_author_cannot_schedule_twins_even_by_a_forged_post(client, author, editor):
    english, french = approved_twins(author, editor)
    client.force_login(author)
    with time_machine.travel(BEFORE, tick=False):
        response = client.post(
            schedule_url(english),
            {
                "go_live": "2021-05-09T06:00",
                "version_seen": english.version,
                **CONFIRMED,
                "include_twins": "on",
            },
        )
        with pytest.raises(PermissionDenied):
            publishing.schedule_with_twins(
                release=english, by=author, at=GO_LIVE, include_twins=True
            )
    assert response.status_code == 403
    assert not Release.objects.filter(publish_at__isnull=False).exists()


def test_publishing_one_language_alone_is_warned_before_and_after(client, author, editor):
    english, _french = approved_twins(author, editor)
    client.force_login(editor)
    change_url = reverse("admin:releases_release_change", args=[english.pk])
    assert NOT_YET_PUBLISHED in client.get(change_url).text
    response = client.post(
        reverse("admin:releases_release_publish_now", args=[english.pk]),
        {"version_seen": english.version, **CONFIRMED},
        follow=True,
    )
    assert "Published. Readers can see it at" in response.text
    assert f"{NOT_YET_PUBLISHED} (Approved): only this version is public." in response.text
    assert public_pks() == {english.pk}


def test_the_publish_now_list_action_warns_too(client, author, editor):
    english, _french = approved_twins(author, editor)
    client.force_login(editor)
    response = client.post(
        reverse("admin:releases_release_changelist"),
        {
            "action": "publish_now",
            "_selected_action": [english.pk],
            "confirmed": "yes",
            **CONFIRMED,
        },
        follow=True,
    )
    assert f"Working Together: {NOT_YET_PUBLISHED}" in response.text


def test_no_warning_when_the_twin_is_already_public(client, author, editor):
    english, french = approved_twins(author, editor)
    publishing.publish_now(release=french, by=editor)
    client.force_login(editor)
    change_url = reverse("admin:releases_release_change", args=[english.pk])
    assert "not published yet" not in client.get(change_url).text
    response = client.post(
        reverse("admin:releases_release_publish_now", args=[english.pk]),
        {"version_seen": english.version, **CONFIRMED},
        follow=True,
    )
    assert "Published. Readers can see it at" in response.text
    assert "not published yet" not in response.text
    assert public_pks() == {english.pk, french.pk}


def test_no_warning_when_the_twin_is_scheduled_for_this_minute(author, editor):
    english, french = approved_twins(author, editor)
    with time_machine.travel(BEFORE, tick=False):
        publishing.schedule(release=french, by=editor, at=BEFORE + timedelta(seconds=30))
        assert publishing.twins_left_behind(english) == []
        publishing.schedule(release=french, by=editor, at=BEFORE + timedelta(minutes=5))
        assert publishing.twins_left_behind(english) == [french]


# Taking one language version back: its public twin is named, and may go with it.


def both_public():
    english = make_release(headline="Working Together", slug="working-together")
    french = make_release(
        headline="Travailler ensemble",
        slug="travailler-ensemble",
        language="fr",
        translation_group=english.translation_group,
    )
    return english, french


def ending_url(release, name):
    return reverse(f"admin:releases_release_{name}", args=[release.pk])


def stored(release):
    return Release.objects.get(pk=release.pk)


ENDINGS = [
    ("withdraw", "reason", "Withdraw", Status.WITHDRAWN, ReleaseEvent.Action.WITHDRAWN),
    ("unpublish", "note", "Unpublish", Status.UNPUBLISHED, ReleaseEvent.Action.UNPUBLISHED),
]


@pytest.mark.parametrize(("name", "field", "verb", "status", "action"), ENDINGS)
def test_the_ending_page_says_the_twin_stays_public_and_offers_it_unticked(
    client, editor, name, field, verb, status, action
):
    english, french = both_public()
    client.force_login(editor)
    page = client.get(ending_url(english, name)).text
    change = reverse("admin:releases_release_change", args=[french.pk])
    assert f'The French version stays public: <a href="{change}">Travailler ensemble</a>' in page
    assert f"Also {verb.lower()} the French version, “Travailler ensemble”</label>" in page
    checkbox = re.search(r'<input type="checkbox" name="include_twins"[^>]*>', page).group()
    assert " checked" not in checkbox


# What the French version is ended with besides the English words: its own public reason.
IN_FRENCH = {"withdraw": {"reason_fr": "Envoyé par erreur."}, "unpublish": {}}


@pytest.mark.parametrize(("name", "field", "verb", "status", "action"), ENDINGS)
def test_ticking_the_twin_ends_both_each_with_its_own_words(
    client, editor, name, field, verb, status, action
):
    english, french = both_public()
    client.force_login(editor)
    response = client.post(
        ending_url(english, name),
        {
            field: "Sent in error.",
            **IN_FRENCH[name],
            "include_twins": "on",
            "version_seen": english.version,
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "The French version, “Travailler ensemble”, is" in response.text
    # A withdrawal's reason is public, in each version's language; an unpublication's note is
    # the log's, the same for both.
    words = {english: "Sent in error.", french: IN_FRENCH[name].get("reason_fr", "Sent in error.")}
    for release, said in words.items():
        assert stored(release).status == status
        events = release.events.filter(action=action)
        assert [event.note for event in events] == [said]
        assert events.get().actor == editor
    if name == "withdraw":
        assert stored(english).withdrawn_reason == "Sent in error."
        assert stored(french).withdrawn_reason == "Envoyé par erreur."


def test_withdrawing_both_asks_each_languages_reason_and_each_page_says_its_own(client, editor):
    """The French page, its ninjs and its API answer give the French reason, never the
    English one under a French banner."""
    english, french = both_public()
    client.force_login(editor)
    page = unescape(client.get(ending_url(english, "withdraw")).text)
    assert re.search(r'<label for="id_reason"[^>]*>Reason, in English:</label>', page)
    assert re.search(r'<label for="id_reason_fr"[^>]*>Reason, in French', page)
    client.post(
        ending_url(english, "withdraw"),
        {
            "reason": "The event dates were announced in error.",
            "reason_fr": "Les dates de l’événement ont été annoncées par erreur.",
            "include_twins": "on",
            "version_seen": english.version,
        },
    )
    client.logout()
    french_page = unescape(client.get(french.get_absolute_url()).text)
    assert "Ce communiqué a été retiré" in french_page
    assert "Les dates de l’événement ont été annoncées par erreur." in french_page
    assert "announced in error" not in french_page
    ninjs = client.get(french.get_absolute_url().rstrip("/") + ".ninjs.json").json()
    assert "Les dates de l’événement" in str(ninjs) and "announced in error" not in str(ninjs)
    api = client.get(f"/api/v1/releases/{french.pk}").json()
    assert api["withdrawn_reason"] == "Les dates de l’événement ont été annoncées par erreur."
    assert "The event dates were announced in error." in client.get(english.get_absolute_url()).text


def test_withdrawing_the_french_too_without_its_reason_is_refused_on_the_form(client, editor):
    english, french = both_public()
    client.force_login(editor)
    response = client.post(
        ending_url(english, "withdraw"),
        {"reason": "Sent in error.", "include_twins": "on", "version_seen": english.version},
    )
    assert response.status_code == 200
    assert "Write the reason in French too: the French version’s page shows it." in unescape(
        response.text
    )
    assert stored(english).status == stored(french).status == Status.PUBLISHED
    # Withdrawing the English alone needs no French reason.
    client.post(
        ending_url(english, "withdraw"),
        {"reason": "Sent in error.", "version_seen": english.version},
    )
    assert (stored(english).status, stored(french).status) == (Status.WITHDRAWN, Status.PUBLISHED)


def test_the_workflow_refuses_to_withdraw_a_twin_without_its_own_reason(editor):
    english, french = both_public()
    for words in ({"en": "Sent in error."}, {"en": "Sent in error.", "fr": " "}):
        with pytest.raises(ValidationError, match="Write the reason in French too"):
            publishing.end_with_twins(
                end=publishing.withdraw,
                release=stored(english),
                include_twins=True,
                by=editor,
                field="reason",
                words=words,
            )
    assert stored(english).status == stored(french).status == Status.PUBLISHED
    assert not ReleaseEvent.objects.filter(action=ReleaseEvent.Action.WITHDRAWN).exists()


@pytest.mark.parametrize(("name", "field", "verb", "status", "action"), ENDINGS)
def test_unticked_only_the_one_version_ends(client, editor, name, field, verb, status, action):
    english, french = both_public()
    client.force_login(editor)
    client.post(
        ending_url(english, name), {field: "Sent in error.", "version_seen": english.version}
    )
    assert stored(english).status == status
    assert stored(french).status == Status.PUBLISHED
    assert not french.events.filter(action=action).exists()


@pytest.mark.parametrize("french_state", ["draft", "withdrawn", "scheduled"])
def test_a_twin_that_is_not_public_is_not_mentioned_and_a_forged_tick_ends_only_one(
    client, editor, tomorrow, french_state
):
    english, french = both_public()
    if french_state == "withdrawn":
        publishing.withdraw(release=french, by=editor, reason="Erreur.")
    else:
        Release.objects.filter(pk=french.pk).update(
            status=Status.DRAFT if french_state == "draft" else Status.PUBLISHED,
            publish_at=None if french_state == "draft" else tomorrow,
        )
    before = stored(french)
    client.force_login(editor)
    page = client.get(ending_url(english, "withdraw")).text
    assert "stays public" not in page and "include_twins" not in page
    client.post(
        ending_url(english, "withdraw"),
        {"reason": "Sent in error.", "include_twins": "on", "version_seen": english.version},
    )
    assert stored(english).status == Status.WITHDRAWN
    after = stored(french)
    assert (after.status, after.publish_at, after.version) == (
        before.status,
        before.publish_at,
        before.version,
    )


@pytest.mark.parametrize("name", ["withdraw", "unpublish"])
def test_a_twin_still_to_go_public_is_named_so_that_it_is_not_forgotten(
    client, editor, tomorrow, name
):
    """Taking the English back while the French waits for tomorrow: the French would go
    public alone, its language switch leading to a removed page. The page says so and links
    to the French version, whose own page unschedules it."""
    english, french = both_public()
    Release.objects.filter(pk=french.pk).update(publish_at=tomorrow)
    client.force_login(editor)
    page = unescape(client.get(ending_url(english, name)).text)
    assert "The French version is scheduled to go public" in page
    assert reverse("admin:releases_release_change", args=[french.pk]) in page
    assert "stays public" not in page


def test_a_twin_failing_at_its_save_leaves_both_public(client, editor):
    english, french = both_public()
    # The twin's stored address no longer validates: its save fails after the release's own.
    Release.objects.filter(pk=french.pk).update(slug="not a slug!")
    events = ReleaseEvent.objects.count()
    client.force_login(editor)
    response = client.post(
        ending_url(english, "withdraw"),
        {
            "reason": "Sent in error.",
            "reason_fr": "Envoyé par erreur.",
            "include_twins": "on",
            "version_seen": english.version,
        },
    )
    assert response.status_code == 200
    assert stored(english).status == stored(french).status == Status.PUBLISHED
    assert ReleaseEvent.objects.count() == events


# A language version withdrawn or unpublished can never be published again: the warnings say
# so, and that this one goes out alone, instead of advising to publish both together.

ENDED = {
    "withdraw": "The English version has been withdrawn and cannot be published again",
    "unpublish": (
        "The English version was unpublished as published in error and cannot be published again"
    ),
}


@pytest.mark.parametrize("ending", ["withdraw", "unpublish"])
def test_a_twin_taken_back_is_named_so_not_as_not_published_yet(client, author, editor, ending):
    english = make_release(headline="Working Together")
    french = make_release(
        published=False,
        headline="Travailler ensemble",
        language="fr",
        translation_group=english.translation_group,
    )
    if ending == "withdraw":
        publishing.withdraw(release=english, by=editor, reason="Figures were wrong.")
    else:
        publishing.unpublish(release=english, by=editor)
    publishing.submit_for_review(release=french, by=author)
    publishing.approve(release=french, by=editor)
    client.force_login(editor)
    said = ENDED[ending]
    change_url = reverse("admin:releases_release_change", args=[french.pk])
    publish_now_url = reverse("admin:releases_release_publish_now", args=[french.pk])
    pages = [unescape(client.get(url).text) for url in (change_url, publish_now_url)]
    for page in pages:
        assert f"{said}: this version will be published alone." in page
    schedule_page = unescape(client.get(schedule_url(french)).text)
    assert f"{said.replace('version', 'version, “Working Together”,')}." in schedule_page
    assert "once it is ready" not in schedule_page and "already public" not in schedule_page
    go_live = f"{datetime.now().year + 1}-01-01T06:00"
    scheduled = client.post(
        schedule_url(french),
        {"go_live": go_live, "version_seen": french.version, **CONFIRMED},
        follow=True,
    )
    french.refresh_from_db()
    assert french.is_scheduled
    published = client.post(
        publish_now_url, {"version_seen": french.version, **CONFIRMED}, follow=True
    )
    assert f"{said}: this version will go out alone." in unescape(scheduled.text)
    assert f"{said}: only this version is public." in unescape(published.text)
    for page in [*pages, scheduled.text, published.text]:
        warnings = re.findall(r'class="warning">(.*?)</li>', unescape(page), re.S)
        assert any(said in warning for warning in warnings)
        for warning in warnings:
            assert "not published yet" not in warning and "(" not in warning, warning


def nested_brackets(text: str) -> bool:
    depth = 0
    for character in text:
        depth += {"(": 1, ")": -1}.get(character, 0)
        if depth > 1:
            return True
    return False


@pytest.mark.parametrize(
    "language, said",
    [
        (
            "en",
            "the English version, “Working Together”, which is “Unpublished (published in error)”",
        ),
        (
            "fr",
            "la version en anglais, « Working Together », "
            "à l’état « Dépublié (publié par erreur) »",
        ),
    ],
)
def test_the_schedule_page_names_a_twins_state_without_brackets_in_brackets(
    client, author, editor, language, said
):
    """A state whose name holds brackets was set in brackets of its own."""
    english = make_release(headline="Working Together")
    publishing.unpublish(release=english, by=editor)
    french = make_release(
        published=False,
        headline="Travailler ensemble",
        language="fr",
        translation_group=english.translation_group,
    )
    publishing.submit_for_review(release=french, by=author)
    publishing.approve(release=french, by=editor)
    client.force_login(editor)
    page = client.get(schedule_url(french), HTTP_ACCEPT_LANGUAGE=language).text
    label = unescape(re.search(r'<label for="id_include_twins">(.*?)</label>', page, re.S)[1])
    assert said in label.replace("\u00a0", " ").replace("\u202f", " ")
    assert not nested_brackets(label), label
