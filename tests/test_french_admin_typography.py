"""The French admin writes French: a no-break space before « : », « … » quotation marks, whole
sentences, and Django's own admin words agreeing with our models whatever their gender."""

from datetime import datetime, timedelta
from html import unescape

import pytest
from django import forms
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone, translation

from formats.models import AdvisoryEvent
from releases.models import Release
from releases.workflow import publishing
from releases.workflow.forms import aware_from_wall_clock
from tests.factories import (
    make_advisory,
    make_campaign,
    make_organisation,
    make_quote,
    make_release,
    make_staff,
)

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
LARKIN = "Partout au pays, nos policiers travaillent avec leurs communautés."


@pytest.fixture
def staff_client(client):
    client.force_login(User.objects.create_superuser("boss", "boss@example.org", "x"))
    return client


def french(client, url, data=None):
    client.cookies["django_language"] = "fr"
    if data is None:
        return unescape(client.get(url).text)
    return unescape(client.post(url, data).text)


def change_url(release):
    return reverse("admin:releases_release_change", args=[release.pk])


def test_inline_headings_set_the_colon_apart_in_french_and_not_in_english(staff_client):
    release = make_advisory(published=False)
    make_quote(release)
    page = french(staff_client, change_url(release))
    assert f"<b>Citation{NBSP}:</b>" in page and f"<b>Événement{NBSP}:</b>" in page
    assert f"<b>Image{NBSP}:</b>" in page and f"<b>Document{NBSP}:</b>" in page
    assert "Citation:" not in page and "Événement:" not in page
    staff_client.cookies["django_language"] = "en"
    english = unescape(staff_client.get(change_url(release)).text)
    assert "<b>Quote:</b>" in english and "<b>Event:</b>" in english


def test_a_quote_is_named_in_its_release_languages_quotation_marks(staff_client):
    french_release = make_release(language="fr", published=False)
    long_quote = make_quote(french_release, text=LARKIN, attribution="le chef Bryan Larkin")
    assert str(long_quote) == (
        f"«{NBSP}Partout au pays, nos policiers travaillent avec leurs commun…{NBSP}»"
        " — le chef Bryan Larkin"
    )
    english_release = make_release(published=False)
    short = make_quote(english_release, text="We are listening.", attribution="Chief Larkin")
    assert str(short) == "“We are listening.” — Chief Larkin"  # whole: nothing cut, no “…”
    # The heading of the saved quote in the French desk.
    page = french(staff_client, change_url(french_release))
    assert f'<b>Citation{NBSP}:</b> <span class="inline_label">«{NBSP}Partout' in page


def test_confirmation_pages_list_the_other_versions_as_french_writes_them(staff_client):
    english = make_release(published=False, headline="National Police Week")
    make_release(
        published=False,
        language="fr",
        headline="Semaine nationale de la police",
        translation_group=english.translation_group,
    )
    for release in Release.objects.all():
        publishing.submit_for_review(release=release, by=None)
        publishing.approve(release=release, by=None)
    page = french(staff_client, reverse("admin:releases_release_publish_now", args=[english.pk]))
    assert f"Français{NBSP}: «{NBSP}Semaine nationale de la police{NBSP}» — " in page
    assert "Français:" not in page
    selected = french(
        staff_client,
        reverse("admin:releases_release_changelist"),
        {"action": "publish_now", "_selected_action": [english.pk]},
    )
    assert f"Français{NBSP}: «{NBSP}Semaine nationale de la police{NBSP}» — " in selected
    staff_client.cookies["django_language"] = "en"
    again = unescape(
        staff_client.get(reverse("admin:releases_release_publish_now", args=[english.pk])).text
    )
    assert "French: “Semaine nationale de la police” — " in again


def test_the_history_names_each_changed_field_with_french_punctuation(staff_client):
    release = make_release(published=False, body="<p>Drivers slow down on icy roads.</p>")
    release.body = "<p>Drivers slow down on snowy roads.</p>"
    publishing.save_draft(release=release, by=None)
    page = french(staff_client, reverse("admin:releases_release_history", args=[release.pk]))
    assert f"<strong>Texte{NBSP}:</strong>" in page
    assert "Texte:" not in page


def test_djangos_admin_words_agree_with_our_models_in_french(staff_client):
    make_campaign()
    campaigns = french(staff_client, reverse("admin:releases_campaign_changelist"))
    assert "Supprimer la sélection (campagnes)" in campaigns
    assert "campagnes sélectionnés" not in campaigns
    assert "Choisissez l’élément à modifier (campagne)" in campaigns
    assert "l’objet campagne à changer" not in campaigns
    index = french(staff_client, reverse("admin:index"))
    assert "Lien pour l’ajout" in index and "l'ajout" not in index
    alerts = french(staff_client, reverse("admin:app_list", args=["alerts"]))
    assert "Administration — Alertes par courriel" in alerts
    assert "Administration de Alertes" not in alerts
    release = make_release(published=False)
    make_quote(release)
    change = french(staff_client, change_url(release))
    assert "Ajouter\\u00a0: Citation" in change or f"Ajouter{NBSP}: Citation" in change
    assert "Ajouter un objet Citation supplémentaire" not in change


def test_a_forms_title_reads_whatever_the_models_first_letter(staff_client):
    organisation = make_organisation()
    change = french(
        staff_client, reverse("admin:releases_organisation_change", args=[organisation.pk])
    )
    add = french(staff_client, reverse("admin:releases_campaign_add"))
    assert f"<h1>Modification{NBSP}: organisation</h1>" in change
    assert "Modification de organisation" not in change
    assert f"<h1>Ajout{NBSP}: campagne</h1>" in add


def test_a_saved_release_is_announced_with_a_typographic_apostrophe(staff_client):
    from tests.factories import release_admin_form

    staff_client.cookies["django_language"] = "fr"
    response = staff_client.post(
        reverse("admin:releases_release_add"), release_admin_form(), follow=True
    )
    page = unescape(response.text)
    assert "L’objet communiqué «" in page and "a été ajouté avec succès" in page
    assert "L'objet" not in page


def test_an_events_status_reads_as_planned_not_as_a_scheduled_release(staff_client):
    release = make_advisory(published=False)
    with translation.override("fr"):
        assert str(AdvisoryEvent.Status.SCHEDULED.label) == "Prévu"
        assert str(AdvisoryEvent.Status.CANCELLED.label) == "Annulé"
    page = french(staff_client, change_url(release))
    assert '<option value="scheduled" selected>Prévu</option>' in page
    # A release whose time has not come is still « Programmé ».
    from releases.workflow.states import state_label

    scheduled = make_release(publish_at=timezone.now() + timedelta(days=3))
    with translation.override("fr"):
        assert state_label(scheduled) == "Programmé"


@pytest.mark.parametrize(
    ("wall", "english", "french_start"),
    [
        (
            datetime(2027, 3, 14, 2, 30),
            "Sun Mar 14, 2027 02:30 does not exist in Eastern time (Toronto, Ottawa)",
            f"Le dimanche 14 mars 2027 à 2{NBSP}h{NBSP}30 n’existe pas à l’heure de l’Est",
        ),
        (
            datetime(2027, 11, 7, 1, 30),
            "Sun Nov 7, 2027 01:30 happens twice in Eastern time (Toronto, Ottawa)",
            f"Le dimanche 7 novembre 2027 à 1{NBSP}h{NBSP}30 survient deux fois à l’heure de l’Est",
        ),
    ],
)
def test_a_time_the_clocks_skip_or_repeat_is_a_whole_sentence(wall, english, french_start):
    with pytest.raises(forms.ValidationError) as refused:
        aware_from_wall_clock(wall, fold=None)
    assert refused.value.messages[0].startswith(english)
    with translation.override("fr"):
        with pytest.raises(forms.ValidationError) as refused:
            aware_from_wall_clock(wall, fold=None)
        assert refused.value.messages[0].startswith(french_start)


def test_the_schedule_page_passes_the_whole_french_sentence_to_its_preview(staff_client):
    release = make_release(published=False)
    publishing.submit_for_review(release=release, by=None)
    publishing.approve(release=release, by=None)
    page = french(staff_client, reverse("admin:releases_release_schedule", args=[release.pk]))
    assert 'data-missing="Le {time} n’existe pas à l’heure de l’Est (Toronto, Ottawa)' in page
    assert 'data-daylight="HAE"' in page and 'data-standard="HNE"' in page


def test_the_release_list_calls_the_status_by_one_name(staff_client):
    make_release()
    page = french(staff_client, reverse("admin:releases_release_changelist"))
    headers = page.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert "Statut" in headers and "État" not in headers


def test_the_change_form_reads_its_quotes_headings_without_a_query_each(
    client, django_assert_max_num_queries
):
    """Each quote's heading takes its release's quotation marks: the release comes with the
    quote. (The spokesperson's autocomplete reads its chosen one per quote, as Django's does.)"""
    client.force_login(make_staff("Editors"))
    release = make_release(published=False, language="fr")
    make_quote(release)
    url = reverse("admin:releases_release_change", args=[release.pk])

    def release_reads(queries) -> int:
        return sum('FROM "releases_release" WHERE' in query["sql"] for query in queries)

    with django_assert_max_num_queries(200) as one_quote:
        client.get(url)
    for _ in range(4):
        make_quote(release)
    with django_assert_max_num_queries(200) as five_quotes:
        page = client.get(url).text
    assert release_reads(five_quotes.captured_queries) == release_reads(one_quote.captured_queries)
    assert page.count("«\u00a0") >= 5
