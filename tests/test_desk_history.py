"""The release's history shows what changed word by word, in the words readers see."""

import re
from datetime import UTC, datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.urls import reverse

from releases.models import Release
from releases.workflow import publishing
from releases.workflow.diff import word_diff
from tests.factories import make_release

pytestmark = pytest.mark.django_db

BEFORE = (
    "<p>Drivers are reminded to slow down on icy roads this winter and to keep their distance "
    "from snowplows at all times, from the first snowfall until the roads are clear again in "
    "the spring. Police services across the country will be out in January.</p>"
)
AFTER = BEFORE.replace("icy roads", "snowy roads").replace("in January", "in February")


def test_word_diff_marks_removed_and_added_words_and_shortens_what_did_not_change():
    old, new = word_diff(
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty twenty-one twenty-two end",
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty twenty-one twenty-two finish",
    )
    assert old.endswith("<del>end</del>") and new.endswith("<ins>finish</ins>")
    assert old.startswith("… ") and "eleven" not in old


def test_word_diff_escapes_what_people_typed():
    old, new = word_diff("<script>", "<b>bold</b>")
    assert "<script>" not in old and "&lt;script&gt;" in old
    assert "<b>" not in new


def test_the_history_page_shows_word_changes_in_the_body_never_markup(client):
    release = make_release(published=False, body=BEFORE)
    release.body = AFTER
    publishing.save_draft(release=release, by=None)
    client.force_login(User.objects.create_superuser("boss", "boss@example.org", "x"))
    response = client.get(reverse("admin:releases_release_history", args=[release.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<del>icy</del>" in page and "<ins>snowy</ins>" in page
    assert "<del>January.</del>" in page and "<ins>February.</ins>" in page
    assert "&lt;p&gt;" not in page and "chars]" not in page


def test_a_release_shown_read_only_shows_its_text_not_its_markup(client):
    from tests.factories import make_staff

    release = make_release(published=False, body="<p>Drivers are <strong>reminded</strong>.</p>")
    publishing.submit_for_review(release=release, by=None)
    client.force_login(make_staff("Authors"))
    response = client.get(reverse("admin:releases_release_change", args=[release.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<p>Drivers are <strong>reminded</strong>.</p>" in page
    assert "&lt;p&gt;" not in page


def test_the_slug_is_called_a_web_address(client):
    client.force_login(User.objects.create_superuser("boss", "boss@example.org", "x"))
    page = client.get(reverse("admin:releases_release_add")).content.decode()
    # Not marked required: left empty, it is made from the headline.
    assert '<label for="id_slug">Web address:</label>' in page
    assert ">Slug:<" not in page


def test_the_web_address_is_shown_whole_under_its_field(client):
    release = make_release(headline="Police Week", slug="police-week")
    client.force_login(User.objects.create_superuser("boss", "boss@example.org", "x"))
    page = client.get(reverse("admin:releases_release_change", args=[release.pk])).content.decode()
    day = release.publication_date
    assert (
        f'<code class="web-address">http://testserver/en/releases/{day:%Y/%m/%d}/'
        "<span data-web-address-slug>police-week</span>/</code>"
    ) in page


def revision_reasons(page: str) -> list[str]:
    """The reason column of the revisions' table (not the workflow record below it)."""
    table = page.split('id="change-history"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], re.DOTALL)
    return [re.findall(r"<td>(.*?)</td>", row, re.DOTALL)[5].strip() for row in rows]


def test_each_revisions_reason_is_said_in_the_readers_language(client):
    """A French officer publishes: the English history says “Published”, the French one
    « Publié »; so do revisions saved before, whose label was stored in the saver's language;
    a revision saved outside the workflow shows a dash, never “None”; the title says what
    the page is."""
    from django.utils import translation

    release = make_release(published=False, headline="Safe together")
    with translation.override("fr"):
        publishing.publish(release=release)
    release = Release.objects.get(pk=release.pk)
    release.summary = "Saved by a script."
    release.save()  # no workflow, no reason
    client.force_login(User.objects.create_superuser("boss", "boss@example.org", "x"))
    address = reverse("admin:releases_release_history", args=[release.pk])

    def reasons(language: str) -> list[str]:
        return revision_reasons(client.get(address, HTTP_ACCEPT_LANGUAGE=language).text)

    assert reasons("en") == ["—", "Published", "—"]
    assert reasons("fr") == ["—", "Publié", "—"]
    published = release.history.filter(history_change_reason="published")
    for stored_before in ("Publié", "Published"):
        published.update(history_change_reason=stored_before)
        assert reasons("en")[1] == "Published" and reasons("fr")[1] == "Publié"
        published = release.history.filter(history_change_reason=stored_before)
    english = client.get(address, HTTP_ACCEPT_LANGUAGE="en").text
    french = client.get(address, HTTP_ACCEPT_LANGUAGE="fr").text
    assert "None" not in english and "None" not in french
    assert '<th scope="col">Reason</th>' in english and "3 revisions" in english
    assert '<th scope="col">Motif</th>' in french and "3 révisions" in french
    assert "History: Safe together" in english
    assert "Historique\u00a0: Safe together" in french and "Historique de vue" not in french


def test_a_workflow_steps_reason_and_author_stay_with_its_own_revision(editor):
    """A script that publishes a release and then saves the same object again records the
    second revision as its own: not as “Published”, not as the editor's."""
    release = make_release(published=False, headline="Safe together")
    publishing.publish(release=release, by=editor)
    release.summary = "Saved by a script."
    release.save()
    latest, published = release.history.all()[:2]
    assert (published.history_change_reason, published.history_user) == ("published", editor)
    assert (latest.history_change_reason, latest.history_user) == (None, None)


def test_a_history_without_outside_verdicts_reads_no_fingerprint(client):
    """Which verdicts an edit outdated needs the release's words' fingerprint (its quotes,
    images and documents); a history with no outside verdict among its events reads none."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    release = make_release(published=False)
    release.body = AFTER
    publishing.save_draft(release=release, by=None)
    publishing.submit_for_review(release=release, by=None)
    client.force_login(User.objects.create_superuser("boss", "boss@example.org", "x"))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("admin:releases_release_history", args=[release.pk]))
    assert page.status_code == 200 and "Submitted for review" in page.text
    assert not any("releases_releasedocument" in query["sql"] for query in queries)


@pytest.mark.parametrize(
    ("language", "go_live", "saved_at"),
    [
        ("en", "Thu Dec 3, 2026 07:20 EST", "Mon Nov 30, 2026 10:00 EST"),
        ("fr", "jeudi 3 décembre 2026, 7 h 20 HNE", "lundi 30 novembre 2026, 10 h 00 HNE"),
    ],
)
def test_the_history_writes_its_moments_as_the_desk_does_in_the_newsrooms_zone(
    client, author, editor, language, go_live, saved_at
):
    toronto = ZoneInfo("America/Toronto")
    with time_machine.travel(datetime(2026, 11, 30, 10, tzinfo=toronto), tick=False):
        draft = publishing.submit_for_review(release=make_release(published=False), by=author)
        approved = publishing.approve(release=draft, by=editor)
        publishing.schedule(
            release=approved, by=editor, at=datetime(2026, 12, 3, 12, 20, tzinfo=UTC)
        )
        client.force_login(editor)
        client.cookies["django_language"] = language
        page = client.get(reverse("admin:releases_release_history", args=[draft.pk])).text

    text = re.sub(r"[\u00a0\u202f]", " ", unescape(page))
    record = text[text.index('id="workflow-record"') :]
    revisions = text[text.index('id="change-history"') : text.index('id="workflow-record"')]
    assert "2026-12-03T12:20:00+00:00" not in record
    assert re.search(rf"<td>\s*{re.escape(go_live)}\s*</td>", record)
    # When each step was taken, and each revision saved: with the zone, in both tables.
    assert saved_at in record and saved_at in revisions
