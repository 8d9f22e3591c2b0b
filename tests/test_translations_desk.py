"""Language versions on the desk: "Add the French version" carries over what needs no
translating and what is to be translated in place, images included (their files copied, not
uploaded again); a translated version whose words change marks the other as behind, and the
desk lists what is to translate."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image

from releases.models import Release, ReleaseImage, Status
from releases.workflow import publishing, translations
from tests.factories import (
    make_campaign,
    make_contact,
    make_quote,
    make_release,
    make_spokesperson,
    make_staff,
    make_topic,
    release_admin_form,
)
from tests.imagefiles import jpeg_bytes, photo, store_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return make_staff("Editors", username="editor")


@pytest.fixture
def english():
    release = make_release(
        published=False,
        headline="Working together to keep our communities safe",
        summary="Police Week opens.",
        body="<p>Chiefs of police open National Police Week.</p>",
        dateline_city="Ottawa",
        dateline_region="ON",
        campaign=make_campaign(),
    )
    release.topics.set([make_topic()])
    release.media_contacts.set([make_contact()])
    chief = make_spokesperson(
        name="Bryan Larkin",
        honorific_fr="Chef",
        title_fr="Président",
        organisation_name_fr="Association canadienne des chefs de police",
    )
    make_quote(release, spokesperson=chief, text="We work together.", position=2)
    store_image(
        ReleaseImage,
        release=release,
        data=jpeg_bytes(photo(1600, 900)),
        alt_text="Officers at a school",
        caption="In Ottawa",
    )
    return release


def test_the_french_version_starts_with_what_carries_over(english, editor):
    french = translations.start_translation(release=english, language="fr", by=editor)

    assert (french.language, french.status, french.needs_translation) == ("fr", Status.DRAFT, True)
    assert french.translation_group == english.translation_group
    for name in ("headline", "summary", "body", "dateline_city", "release_type", "campaign_id"):
        assert getattr(french, name) == getattr(english, name), name
    assert set(french.topics.all()) == set(english.topics.all())
    assert set(french.media_contacts.all()) == set(english.media_contacts.all())
    [quote] = french.quotes.all()
    assert (quote.text, quote.position) == ("We work together.", 2)
    assert quote.attribution.startswith("Chef Bryan Larkin, président de l’Association")
    assert french.events.get().actor == editor  # saved through the workflow, on record


def test_images_come_along_with_their_own_copy_of_each_file(english, editor):
    from django.core.files.storage import default_storage

    french = translations.start_translation(release=english, language="fr", by=editor)
    original, copy = english.images.get(), french.images.get()
    assert (copy.alt_text, copy.caption, copy.width) == (original.alt_text, original.caption, 1600)
    assert {r["name"] for r in copy.files}.isdisjoint(r["name"] for r in original.files)
    for record in copy.files:
        with default_storage.open(record["name"]) as stored:
            assert Image.open(stored).size == (record["width"], record["height"])
    copy.delete()  # each release owns its files: deleting one copy leaves the other whole
    for record in original.files:
        assert default_storage.exists(record["name"])


def test_a_second_version_in_the_same_language_is_refused(english, editor):
    translations.start_translation(release=english, language="fr", by=editor)
    with pytest.raises(ValidationError, match="already has a version in French"):
        translations.start_translation(release=english, language="fr", by=editor)
    with pytest.raises(ValidationError):
        translations.start_translation(release=english, language="en", by=editor)
    assert Release.objects.count() == 2


def test_staff_who_may_not_add_releases_see_the_versions_without_the_link_to_add_one(
    client, english, editor
):
    """A reader of the desk (viewing only) would follow “Add the version in French” to a
    refusal: the versions are listed, the link is not offered."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    director = get_user_model().objects.create_user("director", is_staff=True)
    director.user_permissions.add(
        Permission.objects.get(codename="view_release", content_type__app_label="releases")
    )
    change = reverse("admin:releases_release_change", args=[english.pk])
    client.force_login(editor)
    assert "Add the version in French" in client.get(change).text
    client.force_login(director)
    page = client.get(change)
    assert page.status_code == 200 and "Language versions" in page.text
    assert "Add the version in French" not in page.text
    translations.start_translation(release=english, language="fr", by=editor)
    french = Release.objects.get(language="fr")
    assert french.headline in client.get(change).text  # the versions are still listed


def test_a_page_staff_may_only_read_names_the_versions_once_and_never_none(client, english, editor):
    """Where the release cannot be edited (an author's view of a published release), the
    forms' own fields cannot be shown: “Translation of” printed “None” under an English label
    beside the language versions (which name and link the other versions), and so did each
    image's “Upload”."""
    author = make_staff("Authors", username="author")
    publishing.publish(release=english, by=editor)
    translations.start_translation(release=english, language="fr", by=editor)
    french = Release.objects.get(language="fr")
    client.force_login(author)
    page = client.get(reverse("admin:releases_release_change", args=[english.pk]))
    assert page.status_code == 200 and "Save" not in page.text  # shown, not editable
    assert "Language versions" in page.text and french.headline in page.text
    assert "field-translation_of" not in page.text
    assert '<div class="readonly">None</div>' not in page.text


def test_the_admin_asks_first_then_opens_the_new_version(client, english, editor):
    client.force_login(editor)
    change = client.get(reverse("admin:releases_release_change", args=[english.pk])).text
    url = reverse("admin:releases_release_translate", args=[english.pk, "fr"])
    assert f'href="{url}"' in change and "Add the version in French" in change
    page = client.get(url).text
    assert "Start the French version of" in page and "media contacts and images" in page
    assert Release.objects.count() == 1
    response = client.post(url, follow=True)
    french = Release.objects.get(language="fr")
    assert response.redirect_chain[-1][0] == reverse(
        "admin:releases_release_change", args=[french.pk]
    )
    assert "The French version is started as a draft" in response.text
    assert (
        client.get(reverse("admin:releases_release_translate", args=[english.pk, "de"])).status_code
        == 404
    )


def edit_words(release, by, **words):
    for name, value in words.items():
        setattr(release, name, value)
    return publishing.save_edit(release=release, by=by)


def test_an_edit_of_the_words_marks_the_other_version_behind_and_not_back(english, editor):
    french = translations.start_translation(release=english, language="fr", by=editor)
    edit_words(french, editor, headline="Travailler ensemble")  # translating: English untouched
    english.refresh_from_db()
    assert not english.needs_translation

    french.needs_translation = False  # the translator is done
    edit_words(french, editor)
    english.refresh_from_db()
    assert not english.needs_translation  # no words changed, nothing behind

    french.refresh_from_db()
    version = french.version
    edit_words(english, editor, body="<p>Chiefs of police open Police Week across Canada.</p>")
    french.refresh_from_db()
    assert french.needs_translation
    assert french.version == version  # the mark leaves the other's version alone


def test_the_desk_lists_what_is_to_translate_in_two_queries(
    client, english, editor, django_assert_max_num_queries
):
    from releases.workflow.desk import translations_to_do

    french = translations.start_translation(release=english, language="fr", by=editor)
    for n in range(5):
        other = make_release(published=False, headline=f"Other {n}", needs_translation=True)
        make_release(published=False, language="fr", translation_group=other.translation_group)
    with django_assert_max_num_queries(2):
        rows = translations_to_do()
    assert len(rows) == 6
    assert next(row for row in rows if row.release == french).twins == [english]
    client.force_login(editor)
    desk = client.get(reverse("admin:index")).text
    assert "To translate or bring up to date" in desk
    assert "follows the English version" in desk


def test_the_same_words_spelled_otherwise_mark_nothing_behind(english, editor):
    """A browser writes U+00A0 as &nbsp;, the stored body as the character: the same words."""
    english.body = "<p>Chiefs\u00a0of police open <strong>National Police Week</strong>.</p>"
    english.save()
    french = translations.start_translation(release=english, language="fr", by=editor)
    french.needs_translation = False
    edit_words(french, editor)
    edit_words(
        english,
        editor,
        body="<p>Chiefs&nbsp;of police open <strong>National Police Week</strong>.</p>",
    )
    french.refresh_from_db()
    assert not french.needs_translation


def test_a_form_left_open_does_not_clear_the_mark_it_never_showed(client, english, editor):
    french = translations.start_translation(release=english, language="fr", by=editor)
    french.needs_translation = False
    edit_words(french, editor)
    french.refresh_from_db()
    form = release_admin_form(french)  # loaded now: "needs translation" unticked
    edit_words(english, editor, body="<p>New words in English.</p>")
    form["version_seen"] = Release.objects.get(pk=french.pk).version
    response = client.post(
        reverse("admin:releases_release_change", args=[french.pk]), form, follow=True
    )
    assert response.status_code == 200
    french.refresh_from_db()
    assert french.needs_translation  # the mark stands: the form never showed it


def test_a_version_still_to_translate_is_a_warning_before_it_goes_public(english, editor):
    from releases.workflow.checklist import checklist

    french = translations.start_translation(release=english, language="fr", by=editor)
    assert "needs-translation" in [item.code for item in checklist(french)]
    french.needs_translation = False
    assert "needs-translation" not in [item.code for item in checklist(french)]


def test_an_image_whose_file_is_gone_stops_the_start_with_a_message_and_no_leftovers(
    client, english, editor, settings
):
    from pathlib import Path

    from django.core.files.storage import default_storage

    record = english.images.get().files[-1]
    default_storage.delete(record["name"])
    before = {path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}
    client.force_login(editor)
    url = reverse("admin:releases_release_translate", args=[english.pk, "fr"])
    response = client.post(url)
    assert response.status_code == 200
    assert "could not be started" in response.text
    assert not Release.objects.filter(language="fr").exists()
    after = {path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}
    assert after == before  # the files copied before the missing one are gone again
