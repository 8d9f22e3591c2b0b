"""The admin's search finds what staff type whatever its accents and case, as the public search
does: an officer typing “securite” on an English keyboard finds « Sécurité routière ». Runs on
SQLite (the search index's full-text table) and PostgreSQL (its ``tsvector``) alike."""

import pytest
from django.urls import reverse

from tests.factories import (
    make_campaign,
    make_contact,
    make_quote,
    make_release,
    make_spokesperson,
    make_topic,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client


def found(staff_client, **query) -> set[str]:
    response = staff_client.get(reverse("admin:releases_release_changelist"), query)
    assert response.status_code == 200
    return {release.headline for release in response.context["cl"].result_list}


@pytest.fixture
def french_releases():
    road = make_release(
        headline="La sécurité routière, l’affaire de tous",
        language="fr",
        slug="la-securite-routiere",
        published=False,  # a draft: the admin finds every state
    )
    week = make_release(headline="Semaine de la sécurité", language="fr", slug="semaine-2026")
    quoted = make_release(headline="Bilan de l’année", language="fr", slug="bilan")
    make_quote(quoted, text="La sécurité des piétons d’abord.")
    make_release(
        headline="Rapport annuel",
        language="fr",
        slug="rapport",
        body="<p>Un mot sur la sécurité, dans le texte seulement.</p>",
    )
    make_release(headline="Road safety week", slug="road-safety-week")
    return road, week, quoted


@pytest.mark.parametrize("typed", ["sécurité", "securite", "SÉCURITÉ", "Securite"])
def test_a_french_headline_is_found_however_its_accents_and_case_are_typed(
    staff_client, french_releases, typed, django_assert_max_num_queries
):
    with django_assert_max_num_queries(14):
        headlines = found(staff_client, q=typed)
    assert headlines == {
        "La sécurité routière, l’affaire de tous",
        "Semaine de la sécurité",
        "Bilan de l’année",  # quoted: the search index's words of a release's titles and quotes
    }


def test_words_typed_without_accents_all_count_and_filters_still_apply(
    staff_client, french_releases
):
    road, week, _quoted = french_releases
    assert found(staff_client, q="securite routiere") == {road.headline}
    assert found(staff_client, q="securite", status__exact="draft") == {road.headline}
    topic = make_topic(name_en="Roads")
    week.topics.add(topic)
    assert found(staff_client, q="SECURITE", topics__id__exact=topic.pk) == {week.headline}


def test_what_the_search_found_before_it_still_finds(staff_client, french_releases):
    """A part of a word, the slug and the English headline, as Django's search found them."""
    assert found(staff_client, q="affaire de") == {"La sécurité routière, l’affaire de tous"}
    assert found(staff_client, q="semaine-2026") == {"Semaine de la sécurité"}
    assert found(staff_client, q="safe") == {"Road safety week"}
    assert found(staff_client, q="nowhere") == set()


@pytest.mark.parametrize("typed", ["securite routiere", "SÉCURITÉ", "Sécurité"])
def test_campaigns_topics_spokespeople_and_contacts_are_found_however_accents_are_typed(
    staff_client, typed
):
    make_campaign(name_en="Road Safety Week", name_fr="Semaine de la sécurité routière")
    make_campaign(name_en="Police Week", name_fr="Semaine de la police")
    make_topic(name_en="Road safety", name_fr="Sécurité routière")
    make_topic(name_en="Youth", name_fr="Jeunesse")
    make_spokesperson(name="Hélène Côté", title_fr="Directrice, Sécurité routière")
    make_spokesperson(name="Bryan Larkin")
    make_contact(name="Gérald Tremblay", role_fr="Relations médias, sécurité routière")
    make_contact(name="Jo Press")
    expected = {
        "campaign": "Road Safety Week",
        "topic": "Road safety",
        "spokesperson": "Hélène Côté",
        "mediacontact": "Gérald Tremblay",
    }
    for model, name in expected.items():
        response = staff_client.get(reverse(f"admin:releases_{model}_changelist"), {"q": typed})
        shown = [str(row) for row in response.context["cl"].result_list]
        assert len(shown) == 1 and name in shown[0], (model, shown)


def test_a_name_is_found_without_its_accents_and_a_percent_sign_is_only_a_sign(staff_client):
    make_spokesperson(name="Hélène Côté")
    make_spokesperson(name="Helen Cole")
    changelist = reverse("admin:releases_spokesperson_changelist")
    for typed, names in [("helene cote", ["Hélène Côté"]), ("%", []), ("hel_ne", [])]:
        response = staff_client.get(changelist, {"q": typed})
        assert [row.name for row in response.context["cl"].result_list] == names, typed


def test_the_release_forms_campaign_autocomplete_finds_it_without_accents(staff_client):
    campaign = make_campaign(name_en="Semaine de la sécurité", name_fr="Semaine de la sécurité")
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "securite",
            "app_label": "releases",
            "model_name": "release",
            "field_name": "campaign",
        },
    )
    assert [item["id"] for item in response.json()["results"]] == [str(campaign.pk)]
