"""Linking language twins and editing both languages side by side in the admin."""

import pytest
from django.urls import reverse

from releases.models import Organisation, Release
from tests.factories import make_organisation, make_release, release_admin_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_a_new_release_is_linked_to_its_twin_in_another_language(staff_client):
    english = make_release(headline="Working Together")
    response = staff_client.post(
        reverse("admin:releases_release_add"),
        release_admin_form(
            language="fr", headline="Travailler ensemble", translation_of=english.pk
        ),
    )
    assert response.status_code == 302, response.text
    french = Release.objects.get(language="fr")
    assert french.translation_group == english.translation_group
    page = staff_client.get(reverse("admin:releases_release_change", args=[english.pk])).text
    assert reverse("admin:releases_release_change", args=[french.pk]) in page
    assert "Travailler ensemble" in page


def test_a_twin_in_the_same_language_is_refused_and_nothing_changes(staff_client):
    first = make_release()
    second = make_release()
    group = second.translation_group
    response = staff_client.post(
        reverse("admin:releases_release_change", args=[second.pk]),
        release_admin_form(headline="Changed", slug=second.slug, translation_of=first.pk),
    )
    assert response.status_code == 200
    assert "A translation must be in another language than the release." in response.text
    second.refresh_from_db()
    assert second.translation_group == group and second.headline != "Changed"


def test_a_second_twin_in_a_language_already_taken_is_refused(staff_client):
    english = make_release()
    make_release(language="fr", translation_group=english.translation_group)
    response = staff_client.post(
        reverse("admin:releases_release_add"),
        release_admin_form(language="fr", slug="autre", translation_of=english.pk),
    )
    assert response.status_code == 200
    assert "already has a translation in this language" in response.text
    assert Release.objects.count() == 2


def test_clearing_the_twin_unlinks_the_release(staff_client):
    english = make_release()
    french = make_release(language="fr", translation_group=english.translation_group)
    response = staff_client.post(
        reverse("admin:releases_release_change", args=[french.pk]),
        release_admin_form(language="fr", slug=french.slug, translation_of=""),
    )
    assert response.status_code == 302, response.text
    french.refresh_from_db()
    assert french.translation_group != english.translation_group


def test_a_release_without_twin_offers_to_add_the_other_language(staff_client):
    english = make_release()
    page = staff_client.get(reverse("admin:releases_release_change", args=[english.pk])).text
    assert reverse("admin:releases_release_translate", args=[english.pk, "fr"]) in page
    # Linking an existing release by hand stays possible from the add form.
    add = reverse("admin:releases_release_add")
    prefilled = staff_client.get(add, {"language": "fr", "translation_of": english.pk}).text
    assert f'<option value="{english.pk}" selected>[en] {english.headline}</option>' in prefilled


def test_translated_fields_are_edited_side_by_side_with_their_language(staff_client):
    organisation = make_organisation()
    page = staff_client.get(
        reverse("admin:releases_organisation_change", args=[organisation.pk])
    ).text
    assert "form-row field-name_en field-name_fr" in page
    assert "Name (English)" in page and "Name (français)" in page
    assert "css/admin_translations.css" in page


def test_the_admin_speaks_french_to_french_staff(staff_client):
    make_release()
    page = staff_client.get(
        reverse("admin:releases_release_add"), HTTP_ACCEPT_LANGUAGE="fr-CA,fr"
    ).text
    assert '<html lang="fr"' in page
    assert "Version liée dans l’autre langue" in page and "Lieu et date" in page
    assert "Majuscules initiales en anglais" in page
    assert "Avis aux médias" in page and "Document d’information" in page
    organisation = staff_client.get(
        reverse("admin:releases_organisation_add"), HTTP_ACCEPT_LANGUAGE="fr"
    ).text
    assert "Nom (English)" in organisation and "Nom (français)" in organisation
    assert Organisation.objects.count() == 0


def test_the_task_queue_is_named_in_the_desks_language(staff_client):
    """django-tasks-db names itself in English only: its section of the admin, its list, its
    filters and its tasks' states read in French to French staff, in English to English staff."""
    index = staff_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="fr").text
    assert "Tâches d’arrière-plan" in index and "Résultats des tâches" in index
    assert "Tasks Database Backend" not in index and "Task Results" not in index
    results = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    filters = staff_client.get(results, HTTP_ACCEPT_LANGUAGE="fr").text
    assert "Par priorité" in filters and "Par file d’attente" in filters
    assert "Échouée" in filters and "Réussie" in filters and "Successful" not in filters
    english = staff_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").text
    assert "Background tasks" in english and "Task Results" in english


def test_french_staff_read_language_names_inside_sentences_in_lower_case(staff_client, client):
    """« Ajouter la version en français », « La version en anglais… », « (langue : anglais) »:
    a language's name inside a French sentence is not capitalised (``language_in_sentence``)."""
    release = make_release(headline="Police Week opens")
    page = staff_client.get(
        reverse("admin:releases_release_change", args=[release.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).text
    assert "Ajouter la version en français" in page
    assert "en Français" not in page
    start = staff_client.get(
        reverse("admin:releases_release_translate", args=[release.pk, "fr"]),
        HTTP_ACCEPT_LANGUAGE="fr",
    ).text
    assert "Commencer la version en français" in start
    french_list = client.get("/fr/communiques/?language=en").text
    assert "(langue\u00a0: anglais)" in french_list


def test_the_desk_writes_a_moment_as_each_language_does(staff_client):
    """The state beside a release: “Published Sun May 9, 2021 09:00 EDT” in English, « dim 9
    mai 2021, 9 h 00 HAE » in French (it read « dim Mai 9, 2021 09:00 EDT »)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    release = make_release(
        publish_at=datetime(2021, 5, 9, 9, 0, tzinfo=ZoneInfo("America/Toronto"))
    )
    change = reverse("admin:releases_release_change", args=[release.pk])
    english = staff_client.get(change, HTTP_ACCEPT_LANGUAGE="en").text
    assert "Sun May 9, 2021 09:00 EDT" in english
    french = staff_client.get(change, HTTP_ACCEPT_LANGUAGE="fr").text
    assert "dimanche 9 mai 2021, 9\u00a0h\u00a000 HAE" in french
    assert "Mai 9" not in french and "EDT" not in french


def test_the_body_editors_own_words_are_french_in_the_french_admin(staff_client):
    """The admin's JavaScript catalogue carries the rich-text editor's translations too, so
    its buttons and dialogs (“Insert Table”, “Toggle fullscreen”) speak the desk's language."""
    staff_client.cookies["django_language"] = "fr"
    catalogue = staff_client.get(reverse("admin:jsi18n")).text
    assert "Ins\\u00e9rer un tableau" in catalogue
    assert "Basculer en plein \\u00e9cran" in catalogue
    assert "Filtrer" in catalogue  # the admin's own, kept
