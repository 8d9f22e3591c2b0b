"""The checklist before a release goes public (releases/workflow/checklist.py): each error and
each warning appears when it should and goes once fixed; publishing refuses on errors."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from releases.models import CampaignVisual, Quote, Release, ReleaseImage, SharingImage, Status
from releases.syndication import metadata
from releases.workflow import publishing, translations
from releases.workflow.checklist import checklist
from tests.factories import (
    make_campaign,
    make_contact,
    make_organisation,
    make_quote,
    make_release,
    make_spokesperson,
    make_topic,
)

pytestmark = pytest.mark.django_db


def complete_release(**overrides) -> Release:
    """A draft that passes the checklist: a summary, a media contact, its French version."""
    release = make_release(published=False, **({"summary": "Chiefs open Police Week."} | overrides))
    release.media_contacts.add(make_contact())
    make_release(
        published=False,
        language="fr",
        translation_group=release.translation_group,
        headline="La Semaine de la police commence",
        slug=f"{release.slug}-fr",
    )
    return release


def codes(release: Release, **options) -> list[str]:
    return [item.code for item in checklist(release, **options)]


def test_a_complete_release_has_nothing_to_fix_or_check():
    assert checklist(complete_release()) == []


@pytest.mark.parametrize(
    ("field", "empty", "code", "anchor"),
    [
        ("headline", "", "no-headline", "#id_headline"),
        ("body", "", "no-body", "#id_body"),
        ("body", "<p> </p>", "no-body", "#id_body"),
        ("dateline_city", "", "no-dateline", "#id_dateline_city"),
        ("release_type", "", "no-type", "#id_release_type"),
    ],
)
def test_a_missing_required_field_is_an_error_linked_to_it_until_filled(field, empty, code, anchor):
    release = complete_release()
    filled = getattr(release, field)
    Release.objects.filter(pk=release.pk).update(**{field: empty})
    release.refresh_from_db()
    items = checklist(release)
    assert [(item.code, item.level, item.anchor) for item in items] == [(code, "error", anchor)]
    assert items[0].message.endswith(".")
    Release.objects.filter(pk=release.pk).update(**{field: filled})
    release.refresh_from_db()
    assert checklist(release) == []


def image(release, **fields) -> ReleaseImage:
    return ReleaseImage.objects.create(
        release=release, **({"alt_text": "Officers in a gym", "width": 1200} | fields)
    )


def test_an_image_without_alt_text_is_an_error_pointing_at_its_alt_text():
    release = complete_release()
    image(release, position=0)
    second = image(release, position=1, alt_text=" ")
    [item] = checklist(release)
    assert (item.code, item.level, item.anchor) == ("image-alt", "error", "#id_images-1-alt_text")
    assert "Image 2 has no alt text" in item.message
    second.alt_text = "Chief Larkin at the podium"
    second.save()
    assert checklist(release) == []


def test_an_image_under_600_px_wide_is_a_warning():
    release = complete_release()
    narrow = image(release, width=599)
    [item] = checklist(release)
    assert (item.code, item.level, item.anchor) == ("image-narrow", "warning", "#images-0")
    assert "599 px" in item.message
    narrow.width = 600
    narrow.save()
    assert checklist(release) == []


def test_a_quote_that_names_nobody_is_an_error():
    release = complete_release()
    quote = make_quote(release)
    assert checklist(release) == []
    Quote.objects.filter(pk=quote.pk).update(attribution="")
    [item] = checklist(release)
    assert (item.code, item.level) == ("quote-spokesperson", "error")
    assert item.anchor == "#id_quotes-0-spokesperson"
    quote.attribution = "Chief Bryan Larkin, President"
    quote.save()
    assert checklist(release) == []


@pytest.mark.parametrize("words", ["‘We are listening.’", "'We are listening.'", "‹ Écoutons ›"])
def test_a_quote_wrapped_in_its_own_quotation_marks_is_a_warning(words):
    release = complete_release()
    quote = make_quote(release, text=words)
    [item] = checklist(release)
    assert (item.code, item.level, item.anchor) == ("quote-marks", "warning", "#id_quotes-0-text")
    quote.text = "We are listening."
    quote.save()
    assert checklist(release) == []


def test_a_quote_with_quotation_marks_inside_is_not_wrapped():
    release = complete_release()
    make_quote(release, text="We say ‘never again’ and mean it")
    assert checklist(release) == []


def test_an_address_taken_on_the_day_it_would_go_out_is_an_error(now):
    release = complete_release(slug="police-week")
    make_release(slug="police-week", publish_at=now - timedelta(minutes=5))
    [item] = checklist(release)
    assert (item.code, item.level, item.anchor) == ("address-taken", "error", "#id_slug")
    assert "/police-week/" in item.message
    # Another day, or another language, is another address.
    assert codes(release, at=now + timedelta(days=2)) == []
    release.slug = "police-week-opens"
    release.save()
    assert checklist(release) == []


def test_a_headline_over_95_characters_is_a_warning():
    release = complete_release(headline="H" * 96)
    [item] = checklist(release)
    assert (item.code, item.level, item.anchor) == ("headline-long", "warning", "#id_headline")
    assert "96 characters" in item.message
    release.headline = "H" * 95
    release.save()
    assert checklist(release) == []


def test_no_summary_is_a_warning():
    release = complete_release()
    release.summary = ""
    release.save()
    assert codes(release) == ["no-summary"]


def test_a_summary_longer_than_two_sentences_should_be_is_a_warning():
    release = complete_release(summary="Word " * 70)
    [item] = checklist(release)
    assert (item.code, item.level, item.anchor) == ("summary-long", "warning", "#id_summary")
    assert "350 characters" in item.message
    release.summary = "Chiefs open Police Week."
    release.save()
    assert checklist(release) == []


def test_a_quote_set_after_a_paragraph_the_body_does_not_have_is_a_warning():
    release = complete_release(body="<p>Lead.</p><p>Second.</p>")
    quote = make_quote(release, position=2)
    assert checklist(release) == []
    quote.position = 99
    quote.save()
    [item] = checklist(release)
    assert (item.code, item.anchor) == ("quote-after-end", "#id_quotes-0-position")
    assert "after paragraph 99, but the body has 2" in item.message


def test_the_checklist_counts_paragraphs_as_quotes_are_placed_headings_left_out():
    """A quote after paragraph 3 of a body with a heading and two paragraphs goes to the end:
    the checklist says so, counting as ``body_with_quotes`` places."""
    release = complete_release(body="<h2>Background</h2><p>One.</p><p>Two.</p>")
    make_quote(release, position=3)
    [item] = checklist(release)
    assert item.code == "quote-after-end"
    assert "after paragraph 3, but the body has 2" in item.message


def test_no_media_contact_is_a_warning_unless_the_organisation_has_a_default_one():
    release = complete_release()
    release.media_contacts.clear()
    assert codes(release) == ["no-media-contact"]
    organisation = make_organisation()
    organisation.default_media_contacts.add(make_contact())
    assert checklist(release) == []


def test_the_other_language_missing_is_a_warning():
    release = make_release(published=False, summary="A summary.")
    release.media_contacts.add(make_contact())
    [item] = checklist(release)
    assert (item.code, item.level) == ("twin-missing", "warning")
    assert "There is no French version" in item.message
    make_release(published=False, language="fr", translation_group=release.translation_group)
    assert checklist(release) == []


def test_the_other_language_older_than_this_one_is_a_warning(editor):
    release = complete_release()
    french = Release.objects.twins_of(release).get()
    # The French was translated from this version: neither is older.
    assert checklist(release) == [] and "twin-older" not in codes(french)
    release.body += "<p>A paragraph added after the translation.</p>"
    publishing.save_draft(release=release, by=editor)
    [item] = checklist(release)
    assert (item.code, item.level) == ("twin-older", "warning")
    assert "The French version, “La Semaine de la police commence”" in item.message
    # A workflow step on the French changes none of its words: still older.
    publishing.submit_for_review(release=Release.objects.get(pk=french.pk), by=editor)
    assert codes(release) == ["twin-older"]
    french = Release.objects.get(pk=french.pk)
    french.needs_translation = False  # brought up to date, and said so
    publishing.save_draft(release=french, by=editor)
    assert checklist(release) == []


def test_a_version_started_from_another_is_warned_of_its_borrowed_address(editor):
    english = complete_release(slug="chiefs-welcome-new-funding")
    Release.objects.twins_of(english).delete()
    french = translations.start_translation(release=english, language="fr", by=editor)
    [item] = [item for item in checklist(french) if item.code == "twin-slug"]
    assert item.level == "warning" and item.anchor == "#id_slug"
    assert "“chiefs-welcome-new-funding”" in item.message and "English version" in item.message
    assert "twin-slug" not in codes(english)  # the original keeps its address
    french.slug = "les-chefs-saluent-un-nouveau-financement"
    publishing.save_draft(release=french, by=editor)
    assert "twin-slug" not in codes(french) and "twin-slug" not in codes(english)


def test_errors_come_before_warnings():
    release = make_release(published=False, dateline_city="")
    assert codes(release)[0] == "no-dateline"
    assert [item.level for item in checklist(release)][-1] == "warning"


def test_the_checklist_costs_the_same_few_queries_however_many_images_and_quotes(
    django_assert_max_num_queries,
):
    release = complete_release()
    for position in range(3):
        image(release, position=position, width=300)
        make_quote(release, text="‘Yes.’", position=position)
    with django_assert_max_num_queries(8):
        assert len(checklist(release)) == 6


# Enforcement: publishing refuses on errors, whoever calls.


def in_review(author, **overrides) -> Release:
    return publishing.submit_for_review(release=complete_release(**overrides), by=author)


def test_approve_is_refused_with_the_errors_and_nothing_changes(author, editor):
    release = in_review(author)
    image(release, alt_text="")
    events = release.events.count()
    with pytest.raises(ValidationError, match="Image 1 has no alt text") as refused:
        publishing.approve(release=release, by=editor)
    assert {error.code for error in refused.value.error_list} == {"checklist"}
    release.refresh_from_db()
    assert release.status == Status.IN_REVIEW and release.events.count() == events


def test_publish_now_is_refused_with_every_error(author, editor):
    release = in_review(author)
    image(release, alt_text="")
    Quote.objects.filter(pk=make_quote(release).pk).update(attribution="")
    with pytest.raises(ValidationError) as refused:
        publishing.publish_now(release=release, by=editor)
    assert len(refused.value.messages) == 2
    assert not Release.objects.published().filter(pk=release.pk).exists()


def test_schedule_checks_the_address_on_the_day_it_goes_out(author, editor, now):
    release = in_review(author, slug="police-week")
    make_release(slug="police-week", publish_at=now + timedelta(days=3))
    with pytest.raises(ValidationError, match="already taken"):
        publishing.schedule(release=release, by=editor, at=now + timedelta(days=3, minutes=5))
    publishing.schedule(release=release, by=editor, at=now + timedelta(days=4))
    assert release.is_scheduled


def test_warnings_alone_never_stop_the_workflow(author, editor):
    release = in_review(author, summary="")
    release.media_contacts.clear()
    assert {item.level for item in checklist(release)} == {"warning"}
    publishing.publish_now(release=release, by=editor)
    assert release.is_published


def test_a_person_publishing_is_refused_but_the_demo_loader_is_not(editor, now):
    release = complete_release()
    image(release, alt_text="")
    with pytest.raises(ValidationError, match="no alt text"):
        publishing.publish(release=release, by=editor, at=now - timedelta(days=400))
    # Demo data and imports (by=None) go in as they were published elsewhere.
    publishing.publish(release=release, at=now - timedelta(days=400))
    assert release.is_published


def untranslated(release: Release) -> list[str]:
    return [item.message for item in checklist(release) if item.code == "untranslated"]


def test_a_release_warns_of_shared_texts_its_language_lacks():
    """The organisation's tagline, the campaign's theme and name, a topic's name: typed in
    English only, a French page shows them in English."""
    make_organisation(tagline_en="Supporting police professionals.", tagline_fr="")
    campaign = make_campaign(name_fr="Semaine de test", theme_en="Working together", theme_fr="")
    topic = make_topic(name_en="Public safety", name_fr="")
    french = make_release(published=False, language="fr", campaign=campaign)
    french.topics.add(topic)
    messages = untranslated(french)
    assert len(messages) == 4, messages  # tagline, boilerplate, theme, topic
    assert any("tagline" in message and "French" in message for message in messages)
    assert any("campaign's theme" in message for message in messages)
    assert any("“Public safety”" in message for message in messages)
    # Nothing is asked of a text no language has, nor of the language that has them all.
    assert untranslated(make_release(published=False, campaign=campaign)) == []


def test_the_warning_goes_once_the_text_is_translated():
    make_organisation(tagline_fr="Au service des policiers.", boilerplate_fr="L’association…")
    campaign = make_campaign(name_fr="Semaine de test", theme_fr="Travailler ensemble")
    french = make_release(published=False, language="fr", campaign=campaign)
    assert untranslated(french) == []


def test_a_release_in_a_language_no_longer_offered_gets_its_checklist_not_an_error():
    make_organisation()
    release = make_release(published=False)
    Release.objects.filter(pk=release.pk).update(language="de")
    release.refresh_from_db()
    assert "untranslated" in [item.code for item in checklist(release)]


def translated_organisation(**overrides):
    """An organisation whose texts a French page prints all have their French."""
    french = {"tagline_fr": "Au service des policiers.", "boilerplate_fr": "L’association…"}
    return make_organisation(**(french | overrides))


def untranslated_items(release: Release) -> list:
    return [item for item in checklist(release) if item.code == "untranslated"]


def test_a_release_without_an_image_warns_of_its_campaign_visuals_alt_text_in_another_language():
    """Its link previews show its campaign's visual, described by its alt text."""
    translated_organisation()
    campaign = make_campaign(name_fr="Semaine de test", theme_fr="Travailler ensemble")
    visual = CampaignVisual.objects.create(campaign=campaign, alt_text_en="Police Week poster")
    french = make_release(published=False, language="fr", campaign=campaign)
    (item,) = untranslated_items(french)
    assert item.message.startswith("The campaign's visual has no French alt text")
    assert item.anchor == "#id_campaign"
    with translation.override("fr"):
        (item,) = untranslated_items(french)
    assert item.message.startswith(
        "Le visuel de la campagne n’a pas de texte de remplacement en français\u00a0: les liens"
    )
    assert untranslated(make_release(published=False, campaign=campaign)) == []
    CampaignVisual.objects.filter(pk=visual.pk).update(alt_text_fr="Affiche de la Semaine")
    assert untranslated(french) == []


def test_a_release_with_its_own_image_is_not_asked_about_the_one_it_does_not_show():
    organisation = translated_organisation()
    SharingImage.objects.create(organisation=organisation, alt_text_en="The CACP banner")
    french = make_release(published=False, language="fr")
    image(french)
    assert untranslated(french) == []


def test_a_release_without_an_image_or_campaign_visual_warns_of_the_sharing_images_alt_text():
    organisation = translated_organisation()
    SharingImage.objects.create(organisation=organisation, alt_text_en="The CACP banner")
    french = make_release(published=False, language="fr")
    (item,) = untranslated_items(french)
    assert item.message.startswith("The organisation's sharing image has no French alt text")
    # A campaign's visual, described in French, is what its links show instead.
    campaign = make_campaign(name_fr="Semaine de test", theme_fr="Travailler ensemble")
    CampaignVisual.objects.create(
        campaign=campaign, alt_text_en="Police Week poster", alt_text_fr="Affiche"
    )
    french.campaign = campaign
    french.save()
    assert untranslated(french) == []


def test_the_checklist_asks_about_the_image_the_page_would_share(
    monkeypatch, django_assert_max_num_queries
):
    """Which image a release without its own shares is decided in one place, the page's
    (``metadata.image_shared_instead``): the checklist follows it, never an order of its own."""
    organisation = translated_organisation()
    SharingImage.objects.create(organisation=organisation, alt_text_en="The CACP banner")
    campaign = make_campaign(name_fr="Semaine de test", theme_fr="Travailler ensemble")
    CampaignVisual.objects.create(campaign=campaign, alt_text_en="Police Week poster")
    french = make_release(published=False, language="fr", campaign=campaign)
    with django_assert_max_num_queries(10):  # its campaign's visual: one statement, as before
        (item,) = untranslated_items(french)
    assert item.message.startswith("The campaign's visual has no French alt text")

    monkeypatch.setattr(
        metadata, "image_shared_instead", lambda campaign, organisation: organisation.sharing_image
    )
    (item,) = untranslated_items(french)
    assert item.message.startswith("The organisation's sharing image has no French alt text")
    assert item.anchor == ""


# The people the page names: its quotes' spokespeople and the media contacts it shows.


def english_only_person(**overrides):
    return make_spokesperson(
        **{
            "name": "Amira Khan",
            "honorific_en": "Dr",
            "title_en": "Chief Executive",
            "organisation_name_en": "Shelter",
        }
        | overrides
    )


def test_a_french_release_warns_of_its_spokespersons_texts_typed_in_english_only():
    """« a déclaré Dr Amira Khan, Chief Executive »: each text named, pointing at the quote."""
    translated_organisation()
    french = make_release(published=False, language="fr")
    person = english_only_person()
    make_quote(french, spokesperson=person, text="Premier.")
    make_quote(french, spokesperson=person, text="Second.", position=2)
    items = untranslated_items(french)
    assert [item.message.split(" has no")[0] for item in items] == [
        "The “Honorific” of spokesperson Amira Khan",
        "The “Current title” of spokesperson Amira Khan",
        "The “Organisation” of spokesperson Amira Khan",
    ]  # once each, however often they are quoted
    assert {item.anchor for item in items} == {"#id_quotes-0-spokesperson"}
    assert "French text, so their quotes here name them in another language" in items[0].message
    with translation.override("fr"):
        message = untranslated_items(french)[1].message
    assert message.startswith(
        "Le champ «\u00a0Titre actuel\u00a0» du porte-parole Amira Khan n’a pas de texte en "
        "français\u00a0:"
    )
    person.honorific_fr, person.title_fr, person.organisation_name_fr = "Dre", "Directrice", "X"
    person.save()
    assert untranslated(french) == []


def test_a_sentence_form_left_empty_is_not_warned_of_since_no_other_language_is_shown():
    """Left empty, a language's “in a sentence” texts give way to its own honorific and
    organisation, never to the other language's: nothing to translate."""
    translated_organisation()
    english = make_release(published=False)
    person = english_only_person(
        honorific_in_sentence_fr="la Dre", organisation_in_sentence_fr="la Ville de Montréal"
    )
    make_quote(english, spokesperson=person)
    assert untranslated(english) == []


def test_a_french_release_warns_of_its_media_contacts_texts_typed_in_english_only():
    organisation = translated_organisation()
    default = make_contact(name="Dana Default", role_en="Communications Lead")
    organisation.default_media_contacts.add(default)
    french = make_release(published=False, language="fr")
    (item,) = untranslated_items(french)
    assert item.message.startswith(
        "The “Role” of media contact Dana Default has no French text, so this release's page"
    )
    assert item.anchor == ""  # the organisation's default contact: fixed on its own page
    french.media_contacts.add(
        make_contact(name="Omar Own", role_en="Press officer", organisation_name_en="Shelter")
    )
    items = untranslated_items(Release.objects.get(pk=french.pk))
    assert [item.message.split(" has no")[0] for item in items] == [
        "The “Role” of media contact Omar Own",
        "The “Organisation” of media contact Omar Own",
    ]  # the default is no longer shown
    assert {item.anchor for item in items} == {"#id_media_contacts"}


def test_the_people_cost_the_checklist_no_query_each(django_assert_max_num_queries):
    """However many spokespeople and contacts lack their French: read with the quotes and the
    contacts, never one by one."""
    translated_organisation()
    french = make_release(published=False, language="fr")
    for position in range(3):
        make_quote(french, spokesperson=english_only_person(), position=position)
        french.media_contacts.add(make_contact(role_en="Press officer"))
    with django_assert_max_num_queries(8):
        assert len(untranslated(french)) == 3 * 3 + 3
