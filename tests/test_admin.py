"""The admin as a communications officer meets it."""

import pytest
from django.urls import reverse

from releases.models import Campaign, Release
from tests.factories import (
    make_campaign,
    make_release,
    make_spokesperson,
    make_topic,
    release_admin_form,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize(
    "model", ["release", "campaign", "spokesperson", "topic", "mediacontact", "organisation"]
)
def test_every_model_has_working_admin_pages(staff_client, model):
    # Followed: the organisation's list opens its form (test_organisation_admin.py).
    changelist = reverse(f"admin:releases_{model}_changelist")
    assert staff_client.get(changelist, follow=True).status_code == 200
    assert staff_client.get(reverse(f"admin:releases_{model}_add")).status_code == 200


def test_release_changelist_has_filters_search_and_dates(staff_client):
    release = make_release(headline="Findable headline", campaign=make_campaign())
    response = staff_client.get(reverse("admin:releases_release_changelist"), {"q": "Findable"})
    assert release.headline in response.text
    assert 'id="changelist-filter"' in response.text
    assert (
        "xfull" in response.text or "date_hierarchy" in response.text or "toplinks" in response.text
    )


def test_release_form_uses_the_rich_text_editor_autocomplete_and_help_text(staff_client):
    response = staff_client.get(reverse("admin:releases_release_add"))
    html = response.text
    assert "django_prose_editor" in html
    assert "admin-autocomplete" in html
    assert "Title case in English" in html
    assert 'id="quotes-group"' in html


def test_pasted_word_processor_html_is_cleaned_when_saved_in_the_admin(staff_client):
    pasted = (
        '<p class="MsoNormal" style="margin:0"><span style="font-family:Calibri">Plain '
        "<b>bold</b> <strong>strong</strong> <em>em</em></span><o:p></o:p></p>"
        "<script>alert(1)</script><h2>Head</h2><ol><li>one</li></ol>"
        '<p><a href="https://example.org" onclick="x()">link</a></p>'
    )
    response = staff_client.post(
        reverse("admin:releases_release_add"), release_admin_form(body=pasted)
    )
    assert response.status_code == 302, response.text
    body = Release.objects.get().body
    assert "MsoNormal" not in body and "style" not in body and "script" not in body
    assert "<strong>strong</strong>" in body and "<em>em</em>" in body
    assert "<h2>Head</h2>" in body and "<ol><li>one</li></ol>" in body
    assert 'href="https://example.org"' in body and "onclick" not in body


def test_admin_form_shows_an_error_beside_a_missing_headline(staff_client):
    response = staff_client.post(
        reverse("admin:releases_release_add"), release_admin_form(headline="")
    )
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert Release.objects.count() == 0


def test_campaign_ending_before_start_is_refused_with_a_message(staff_client):
    response = staff_client.post(
        reverse("admin:releases_campaign_add"),
        {
            "name_en": "Week",
            "slug_en": "week",
            "start_date": "2021-05-09",
            "end_date": "2021-05-01",
        },
    )
    assert response.status_code == 200
    assert "cannot end before it starts" in response.text
    assert not Campaign.objects.exists()


@pytest.mark.parametrize(
    "garbled",
    [
        {"campaign": "abc"},
        {"media_contacts": "abc"},
        {"topics": ["1", "abc"]},
        {"campaign": "9" * 30},
        {"media_contacts": "9" * 30},
        {"translation_of": "9" * 30},
        {
            "quotes-TOTAL_FORMS": "1",
            "quotes-0-position": "1",
            "quotes-0-spokesperson": "abc",
            "quotes-0-text": "Words.",
        },
    ],
)
def test_a_garbled_value_for_a_searched_choice_is_a_form_error_and_changes_nothing(
    staff_client, garbled
):
    """Django's autocomplete widget looked such values up to draw them again: a 500."""
    campaign = make_campaign()
    release = make_release(published=False, headline="Kept headline", campaign=campaign)
    change = reverse("admin:releases_release_change", args=[release.pk])
    form = release_admin_form(release, headline="Changed", campaign=str(campaign.pk))
    response = staff_client.post(change, form | garbled)
    assert response.status_code == 200
    assert "Select a valid choice" in response.text or "is not a valid value" in response.text
    release.refresh_from_db()
    assert (release.headline, release.campaign) == ("Kept headline", campaign)


def test_a_garbled_earlier_edition_of_a_campaign_is_a_form_error(staff_client):
    campaign = make_campaign()
    response = staff_client.post(
        reverse("admin:releases_campaign_change", args=[campaign.pk]),
        {
            "name_en": "Renamed",
            "slug_en": campaign.slug,
            "start_date": "2021-05-09",
            "end_date": "2021-05-15",
            "first_edition": "abc",
        },
    )
    assert response.status_code == 200 and "Select a valid choice" in response.text
    assert Campaign.objects.get(pk=campaign.pk).name == campaign.name


def campaign_form(**fields) -> dict:
    return {
        "name_en": "Safety Week",
        "slug_en": "safety-week",
        "start_date": "2021-05-09",
        "end_date": "2021-05-15",
        "visual-TOTAL_FORMS": "0",
        "visual-INITIAL_FORMS": "0",
    } | fields


def test_a_hashtag_typed_with_its_hash_is_kept_without_it(staff_client, client):
    response = staff_client.post(
        reverse("admin:releases_campaign_add"), campaign_form(hashtag="#SafetyWeek")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    campaign = Campaign.objects.get()
    assert campaign.hashtag == "SafetyWeek"


@pytest.mark.parametrize(
    "fields, error",
    [
        ({"hashtag": "#Safety Week"}, "A hashtag is one word"),
        ({"hashtag": "##"}, "A hashtag is one word"),
        ({"edition": "0"}, "Ensure this value is greater than or equal to 1900."),
        ({"edition": "99999"}, "Ensure this value is less than or equal to 2200."),
    ],
)
def test_a_hashtag_or_edition_no_one_could_use_is_a_form_error(staff_client, fields, error):
    response = staff_client.post(reverse("admin:releases_campaign_add"), campaign_form(**fields))
    assert response.status_code == 200 and error in response.text
    assert not Campaign.objects.exists()


def test_quotes_are_edited_inline_in_body_order(staff_client):
    release = make_release()
    person = make_spokesperson()
    from tests.factories import make_quote

    make_quote(release, spokesperson=person, text="Second quote", position=2)
    make_quote(release, spokesperson=person, text="First quote", position=1)
    html = staff_client.get(reverse("admin:releases_release_change", args=[release.pk])).text
    assert html.index("First quote") < html.index("Second quote")


def test_view_on_site_links_to_the_public_page(staff_client):
    release = make_release()
    html = staff_client.get(reverse("admin:releases_release_change", args=[release.pk])).text
    assert "View on site" in html


def test_view_on_site_of_a_draft_opens_its_preview(staff_client):
    draft, public = make_release(published=False), make_release()
    change = "admin:releases_release_change"
    draft_form = staff_client.get(reverse(change, args=[draft.pk])).text
    assert (
        f'href="{reverse("releases:preview", kwargs={"pk": draft.pk})}" class="viewsitelink"'
        in draft_form
    )
    public_form = staff_client.get(reverse(change, args=[public.pk])).text
    assert f'href="{public.get_absolute_url()}" class="viewsitelink"' in public_form


def road_safety_week_2026(**fields) -> dict:
    """What the add form posts for Road Safety Week 2026, its slugs filled in from the names
    as the form fills them (``fields`` overrides any)."""
    return (
        campaign_form(
            name_en="Road Safety Week",
            name_fr="Semaine de la sécurité routière",
            edition="2026",
            slug_en="road-safety-week-2026",
            slug_fr="semaine-de-la-securite-routiere-2026",
            start_date="2026-05-03",
            end_date="2026-05-09",
        )
        | fields
    )


def existing_road_safety_week_2026() -> Campaign:
    return make_campaign(
        name_en="Road Safety Week",
        name_fr="Semaine de la sécurité routière",
        edition=2026,
        slug_en="road-safety-week-2026",
        slug_fr="semaine-de-la-securite-routiere-2026",
    )


def form_errors(response) -> dict:
    assert response.status_code == 200
    return {
        name: list(errors) for name, errors in response.context["adminform"].form.errors.items()
    }


@pytest.mark.parametrize("slug_fr", ["semaine-de-la-securite-routiere-2026", ""])
def test_a_campaign_that_already_exists_is_said_so_once_on_its_edition(staff_client, slug_fr):
    """Not “Campaign with this Slug [en] already exists” and its French twin: the officer
    left the slugs to the form, and can act on the edition."""
    existing_road_safety_week_2026()
    add = reverse("admin:releases_campaign_add")

    errors = form_errors(staff_client.post(add, road_safety_week_2026(slug_fr=slug_fr)))
    assert errors == {
        "edition": [
            "“Road Safety Week 2026” already exists: change the edition, or give this one "
            "another web address."
        ]
    }
    french = form_errors(
        staff_client.post(add, road_safety_week_2026(slug_fr=slug_fr), HTTP_ACCEPT_LANGUAGE="fr")
    )
    said = "Semaine de la sécurité routière 2026" if slug_fr else "Road Safety Week 2026"
    assert french == {
        "edition": [
            f"«\u00a0{said}\u00a0» existe déjà\u00a0: changez l’édition, ou donnez une autre "
            "adresse web à celle-ci."
        ]
    }
    assert Campaign.objects.count() == 1


def test_a_slug_typed_that_another_campaign_has_is_still_said_on_the_slug(staff_client):
    existing_road_safety_week_2026()
    response = staff_client.post(
        reverse("admin:releases_campaign_add"),
        road_safety_week_2026(name_en="Cycling Week", name_fr="", slug_fr=""),
    )
    assert list(form_errors(response)) == ["slug_en"]


def test_a_topic_that_already_exists_is_said_so_once_on_its_name(staff_client):
    make_topic(name_en="Youth", name_fr="Jeunesse", slug_en="youth", slug_fr="jeunesse")
    add = reverse("admin:releases_topic_add")
    form = {"name_en": "youth", "name_fr": "Jeunesse", "slug_en": "youth", "slug_fr": "jeunesse"}
    errors = form_errors(staff_client.post(add, form))
    assert errors == {
        "name_en": ["“youth” already exists: give this one another name, or another web address."]
    }
    errors = form_errors(staff_client.post(add, form, HTTP_ACCEPT_LANGUAGE="fr"))
    assert list(errors) == ["name_fr"]
    assert errors["name_fr"][0].startswith("«\u00a0Jeunesse\u00a0» existe déjà\u00a0:")


def test_bidi_overrides_typed_into_a_release_are_removed_and_nothing_else(staff_client):
    """A right-to-left override at the start of a headline showed it reversed in lists, feeds
    and email subjects; embeddings and isolates left open reorder what follows them."""
    response = staff_client.post(
        reverse("admin:releases_release_add"),
        release_admin_form(
            headline="\u202eLTR override",
            subheadline="An \u2067isolate\u2069 and \u202aan embedding\u202c",
            summary="A \u202dforced\u202c summary \u2066left open",
            dateline_city="\u202bOttawa",
        ),
    )
    assert response.status_code == 302, response.text
    release = Release.objects.get()
    assert release.headline == "LTR override"
    assert release.subheadline == "An isolate and an embedding"
    assert release.summary == "A forced summary left open"
    assert release.dateline_city == "Ottawa"


def test_bidi_overrides_typed_into_a_campaigns_name_are_removed(staff_client):
    response = staff_client.post(
        reverse("admin:releases_campaign_add"),
        campaign_form(name_en="\u202eSafety Week", theme_en="Keep \u2068us\u2069 safe"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    campaign = Campaign.objects.get()
    assert (campaign.name_en, campaign.theme_en) == ("Safety Week", "Keep us safe")
