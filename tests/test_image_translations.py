"""The images of what is bilingual (the organisation's sharing image, a campaign's visual, a
spokesperson's headshot) are described in the reader's language: their alt text, and a
visual's caption, are kept in English and in French, and a page in one language shows its
own, else the other's, marked as such where the page prints it. A release's own images have
the release's one language and stay as they are."""

from html import unescape
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from django.utils import translation

from releases.models import CampaignVisual, ReleaseImage, SharingImage, SpokespersonHeadshot
from tests.factories import (
    make_campaign,
    make_organisation,
    make_release,
    make_spokesperson,
    make_staff,
)
from tests.imagefiles import jpeg_bytes, photo, png_bytes, store_image, upload
from tests.test_discovery import read_head
from tests.test_sharing_image import assert_shares_a_large_card, organisation_form

pytestmark = pytest.mark.django_db

BANNER_EN = "The CACP banner"
BANNER_FR = "La bannière de l’ACCP"
POSTER_EN = "Police Week poster"
POSTER_FR = "Affiche de la Semaine de la police"


def in_french(subject) -> str:
    with translation.override("fr"):
        return subject.get_absolute_url()


def in_english(subject) -> str:
    with translation.override("en"):
        return subject.get_absolute_url()


def store_sharing_image(organisation, **texts) -> SharingImage:
    return store_image(
        SharingImage, organisation=organisation, data=jpeg_bytes(photo(1600, 900)), **texts
    )


def store_visual(campaign, **texts) -> CampaignVisual:
    return store_image(
        CampaignVisual, campaign=campaign, data=jpeg_bytes(photo(1600, 900)), **texts
    )


# The organisation's sharing image: every page without an image of its own


def test_pages_share_the_sharing_image_described_in_their_own_language(client):
    organisation = make_organisation()
    store_sharing_image(organisation, alt_text_en=BANNER_EN, alt_text_fr=BANNER_FR)
    english = make_release()
    french = make_release(language="fr", slug="semaine-de-la-police")
    for path in ("/en/", english.get_absolute_url()):
        assert_shares_a_large_card(read_head(client.get(path)), BANNER_EN)
    for path in ("/fr/", french.get_absolute_url()):
        assert_shares_a_large_card(read_head(client.get(path)), BANNER_FR)


def test_without_french_words_french_pages_describe_the_sharing_image_in_english(client):
    store_sharing_image(make_organisation(), alt_text_en=BANNER_EN)
    assert_shares_a_large_card(read_head(client.get("/fr/")), BANNER_EN)


# A campaign's visual: its page's figure, and the link preview of its page and releases


def test_a_campaign_visual_is_described_and_captioned_in_the_pages_language(client):
    """The English page first: the visual is looked up once and kept for both languages, and
    the kept one still speaks French on the French page."""
    campaign = make_campaign(name_fr="Semaine de test")
    store_visual(
        campaign,
        alt_text_en=POSTER_EN,
        alt_text_fr=POSTER_FR,
        caption_en="The poster of the week",
        caption_fr="L’affiche de la semaine",
    )
    english_release = make_release(campaign=campaign)
    french_release = make_release(language="fr", slug="semaine", campaign=campaign)

    english = client.get(in_english(campaign))
    assert f'alt="{POSTER_EN}"' in english.text
    assert "<span>The poster of the week</span>" in english.text
    assert_shares_a_large_card(read_head(english), POSTER_EN)
    french = client.get(in_french(campaign))
    assert f'alt="{POSTER_FR}"' in french.text and POSTER_EN not in french.text
    assert "<span>L’affiche de la semaine</span>" in french.text
    assert_shares_a_large_card(read_head(french), POSTER_FR)

    # A release without an image of its own shares its campaign's visual, in its language.
    assert_shares_a_large_card(read_head(client.get(english_release.get_absolute_url())), POSTER_EN)
    assert_shares_a_large_card(read_head(client.get(french_release.get_absolute_url())), POSTER_FR)


def test_a_visual_without_french_words_shows_the_english_ones_marked_english(client):
    """A screen reader then reads them with an English voice (WCAG 3.1.2)."""
    campaign = make_campaign()
    store_visual(campaign, alt_text_en=POSTER_EN, caption_en="The poster of the week")
    make_release(campaign=campaign)
    french = client.get(in_french(campaign)).text
    assert f'alt="{POSTER_EN}" lang="en"' in french
    assert '<span lang="en">The poster of the week</span>' in french
    english = client.get(in_english(campaign)).text
    assert f'alt="{POSTER_EN}" decoding' in english


# A spokesperson's headshot, on their page


def test_a_headshot_is_described_in_the_language_of_the_spokespersons_page(client):
    person = make_spokesperson(announce_now=True)
    store_image(
        SpokespersonHeadshot,
        spokesperson=person,
        alt_text_en="Chief Larkin in uniform",
        alt_text_fr="Le chef Larkin en uniforme",
    )
    assert 'alt="Chief Larkin in uniform" decoding' in client.get(in_english(person)).text
    french = client.get(in_french(person)).text
    assert 'alt="Le chef Larkin en uniforme" decoding' in french
    assert "Chief Larkin in uniform" not in french


# A release's own images: one language, the release's


def test_a_french_releases_own_image_keeps_its_words_unmarked(client):
    release = make_release(language="fr", slug="semaine")
    store_image(ReleaseImage, release=release, alt_text="Des policiers", caption="Au gymnase")
    html = client.get(release.get_absolute_url()).text
    assert 'alt="Des policiers" decoding' in html
    assert "<span>Au gymnase</span>" in html


# The admin: both languages side by side, as every translated field


@pytest.fixture
def staff_client(client):
    """An editor, not a superuser: who looks after the organisation's page in the admin."""
    client.force_login(make_staff("Editors"))
    return client


def change_page(client, subject, language="en") -> str:
    url = reverse(f"admin:releases_{subject._meta.model_name}_change", args=[subject.pk])
    return unescape(client.get(url, HTTP_ACCEPT_LANGUAGE=language).text)


def test_the_admin_shows_an_images_words_in_both_languages_side_by_side(staff_client):
    organisation = make_organisation()
    store_sharing_image(organisation, alt_text_en=BANNER_EN)
    campaign = make_campaign()
    store_visual(campaign, alt_text_en=POSTER_EN)
    person = make_spokesperson()
    store_image(SpokespersonHeadshot, spokesperson=person, alt_text_en="Chief Larkin")
    for subject in (organisation, campaign, person):
        page = change_page(staff_client, subject)
        assert "form-row field-alt_text_en field-alt_text_fr" in page
        assert "Alt text (English)" in page and "Alt text (français)" in page
        assert "Left empty, pages in French show the alt text in English." in page
        assert page.count("css/admin_translations.css") == 1
    campaign_page = change_page(staff_client, campaign)
    assert "form-row field-caption_en field-caption_fr" in campaign_page
    assert "Caption (English)" in campaign_page and "Caption (français)" in campaign_page
    # Credits and licences are names and terms: one for both languages.
    assert "field-credit_en" not in campaign_page and 'name="visual-0-credit"' in campaign_page


def test_an_author_who_may_only_view_a_campaign_reads_both_languages(client):
    campaign = make_campaign()
    store_visual(campaign, alt_text_en=POSTER_EN, alt_text_fr=POSTER_FR)
    client.force_login(make_staff("Authors"))
    page = change_page(client, campaign)
    assert "form-row field-alt_text_en field-alt_text_fr" in page
    assert f'<div class="readonly">{POSTER_EN}</div>' in page
    assert f'<div class="readonly">{POSTER_FR}</div>' in page
    assert 'name="visual-0-alt_text_fr"' not in page


def test_the_french_admin_names_the_fields_in_french(staff_client):
    organisation = make_organisation()
    store_sharing_image(organisation, alt_text_en=BANNER_EN)
    page = change_page(staff_client, organisation, "fr")
    assert "Texte de remplacement (English)" in page
    assert "Texte de remplacement (français)" in page
    assert (
        "Si vous le laissez vide, les pages en français affichent le texte de remplacement "
        "en anglais." in page
    )


def test_the_admin_stores_the_alt_text_of_each_language_and_only_the_default_is_required(
    staff_client,
):
    organisation = make_organisation()
    url = reverse("admin:releases_organisation_change", args=[organisation.pk])
    banner = upload("banner.png", png_bytes(photo(1200, 630)))
    french_only = organisation_form(
        staff_client, url, upload=banner, alt_text_en="", alt_text_fr=BANNER_FR
    )
    assert staff_client.post(url, french_only).status_code == 200
    assert not SharingImage.objects.exists()
    banner.seek(0)
    both = organisation_form(
        staff_client, url, upload=banner, alt_text_en=BANNER_EN, alt_text_fr=BANNER_FR
    )
    response = staff_client.post(url, both)
    assert response.status_code == 302, response.text
    image = SharingImage.objects.get()
    assert (image.alt_text_en, image.alt_text_fr) == (BANNER_EN, BANNER_FR)
    staff_client.logout()
    assert_shares_a_large_card(read_head(staff_client.get("/fr/")), BANNER_FR)


# The migration: the one alt text there was is the default language's


MIGRATION = "0032_translated_image_alt_text"


def migration_apps():
    """The models as the migration sees them: the alt text's own column beside the new ones."""
    return MigrationLoader(connection).project_state(("releases", MIGRATION)).apps


def test_the_migration_keeps_the_alt_text_there_was_as_the_default_languages():
    """English, the default language, holds it; French is left empty, so that French pages
    show it as before, the admin shows what is still to translate, and the checklist can
    tell (a copy would pass English words off as French)."""
    migration = import_module(f"releases.migrations.{MIGRATION}")
    apps = migration_apps()
    Visual = apps.get_model("releases", "CampaignVisual")
    Sharing = apps.get_model("releases", "SharingImage")
    visual = store_visual(make_campaign())
    sharing = store_sharing_image(make_organisation())
    # The rows as they were: one alt text, one caption, in the columns of the field itself.
    unset = dict.fromkeys(("alt_text_en", "alt_text_fr", "caption_en", "caption_fr"))
    Visual.objects.filter(pk=visual.pk).update(alt_text=POSTER_EN, caption="The poster", **unset)
    Sharing.objects.filter(pk=sharing.pk).update(
        alt_text=BANNER_EN, alt_text_en=None, alt_text_fr=None
    )

    migration.keep_in_default_language(apps, None)
    visual.refresh_from_db()
    sharing.refresh_from_db()
    assert (visual.alt_text_en, visual.alt_text_fr) == (POSTER_EN, None)
    assert (visual.caption_en, visual.caption_fr) == ("The poster", None)
    assert (sharing.alt_text_en, sharing.alt_text_fr) == (BANNER_EN, None)

    # Undone, the default language's words are the one alt text again, whatever the
    # language of the desk that saved the row last.
    SharingImage.objects.filter(pk=sharing.pk).update(
        alt_text_en="The new banner", alt_text_fr="La nouvelle bannière"
    )
    Sharing.objects.filter(pk=sharing.pk).update(alt_text="La nouvelle bannière")
    migration.keep_default_language_only(apps, None)
    assert Sharing.objects.get(pk=sharing.pk).alt_text == "The new banner"
    assert Visual.objects.get(pk=visual.pk).alt_text == POSTER_EN
