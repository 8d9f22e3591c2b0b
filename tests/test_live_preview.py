"""The live preview of the release form: what the form holds, saved or not, drawn as readers
will see it — typed headline and body, quotes in place with their attributions — and nothing
saved."""

import pytest
from django.urls import reverse

from releases.models import Release
from tests.factories import make_quote, make_release, make_spokesperson, release_admin_form

pytestmark = pytest.mark.django_db


def preview_url(release):
    return reverse("admin:releases_release_live_preview", args=[release.pk])


# Outside a test's transaction, as in production: the form's version check locks a row.
@pytest.mark.django_db(transaction=True)
def test_the_preview_shows_what_is_typed_and_saves_nothing(client, editor):
    release = make_release(published=False, headline="Saved Headline", dateline_city="Ottawa")
    chief = make_spokesperson(name="Bryan Larkin")
    form = release_admin_form(
        release,
        headline="Typed Headline",
        body="<p>First paragraph.</p><p>Second paragraph.</p>",
    ) | {
        "quotes-TOTAL_FORMS": "1",
        "quotes-INITIAL_FORMS": "0",
        "quotes-0-text": "“We work together.”",
        "quotes-0-spokesperson": str(chief.pk),
        "quotes-0-position": "1",
    }
    client.force_login(editor)
    response = client.post(preview_url(release), form)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.json()["article"]
    assert "Typed Headline" in html and "Saved Headline" not in html
    assert html.index("First paragraph.") < html.index("We work together")
    assert html.index("We work together") < html.index("Second paragraph.")
    assert "Chief Bryan Larkin" in html
    assert "Ottawa" in html  # the dateline opens the first paragraph
    release.refresh_from_db()
    assert release.headline == "Saved Headline" and not release.quotes.exists()


def test_a_deleted_quote_leaves_the_preview(client, editor):
    release = make_release(published=False)
    quote = make_quote(release, text="Gone soon.")
    form = release_admin_form(release) | {
        "quotes-TOTAL_FORMS": "1",
        "quotes-INITIAL_FORMS": "1",
        "quotes-0-id": str(quote.pk),
        "quotes-0-text": "Gone soon.",
        "quotes-0-spokesperson": str(quote.spokesperson_id),
        "quotes-0-position": "1",
        "quotes-0-DELETE": "on",
    }
    client.force_login(editor)
    assert "Gone soon." not in client.post(preview_url(release), form).json()["article"]


@pytest.mark.parametrize("total", ["x", "-1", "100000"])
def test_odd_form_counts_never_fail(client, editor, total):
    release = make_release(published=False)
    client.force_login(editor)
    form = release_admin_form(release) | {"quotes-TOTAL_FORMS": total, "quotes-0-text": "Hi"}
    assert client.post(preview_url(release), form).status_code == 200


def test_only_a_post_by_staff_who_may_see_the_release_draws_it(client, editor, django_user_model):
    release = make_release(published=False)
    assert client.post(preview_url(release), {}).status_code == 302  # to the sign-in page
    client.force_login(editor)
    assert client.get(preview_url(release)).status_code == 405
    assert client.post(
        reverse("admin:releases_release_live_preview", args=[999999])
    ).status_code in (
        302,
        404,
    )
    assert Release.objects.count() == 1


def test_the_checklist_follows_what_is_typed(client, editor):
    release = make_release(published=False, summary="Saved summary.")
    client.force_login(editor)
    typed = release_admin_form(release, headline="H" * 120, summary="", dateline_city="")
    box = client.post(preview_url(release), typed).json()["checklist"]
    assert "The headline has 120 characters" in box
    assert "The release has no summary" in box
    assert "The release has no dateline city" in box
    assert f'href="/admin/releases/release/{release.pk}/change/#id_dateline_city"' in box
    fixed_form = release_admin_form(release, summary="Saved summary.")
    fixed = client.post(preview_url(release), fixed_form).json()["checklist"]
    assert "The headline has" not in fixed and "no summary" not in fixed


def test_a_public_release_has_no_checklist_to_follow(client, editor):
    release = make_release()
    client.force_login(editor)
    response = client.post(preview_url(release), release_admin_form(release, summary=""))
    assert response.json()["checklist"] == ""
