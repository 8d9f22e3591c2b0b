"""How a quote names its spokesperson: inside a sentence, French gives the honorific its article
and a lower-case initial (« …, a déclaré le chef Bryan Larkin, président de … »), while the
name standing alone (a heading, a list) keeps the plain honorific (« Chef Bryan Larkin »).
How each language writes it is the spokesperson's data, typed in the admin, never a rule of
the code about one honorific."""

from datetime import datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from releases.models import Quote, Spokesperson
from releases.workflow import translations
from tests.factories import (
    make_quote,
    make_release,
    make_spokesperson,
    make_staff,
    release_admin_form,
)

pytestmark = pytest.mark.django_db

MAY_9 = datetime(2021, 5, 9, 9, 0, tzinfo=ZoneInfo("America/Toronto"))
ORGANISATION_FR = "Association canadienne des chefs de police"
SAID_IN_FRENCH = (
    'a déclaré <cite><a href="/fr/porte-parole/bryan-larkin/">'
    "le chef Bryan Larkin, président de l’Association canadienne des chefs de police"
    "</a></cite>."
)


@pytest.fixture
def chief():
    return make_spokesperson(
        name="Bryan Larkin",
        slug="bryan-larkin",
        honorific_en="Chief",
        honorific_fr="Chef",
        honorific_in_sentence_fr="le chef",
        title_fr="Président",
        organisation_name_en="Canadian Association of Chiefs of Police",
        organisation_name_fr=ORGANISATION_FR,
    )


def french_release(**fields):
    return make_release(
        language="fr",
        headline="Travailler ensemble",
        slug="travailler-ensemble",
        dateline_region="Ontario",
        publish_at=MAY_9,
        body="<p>Premier paragraphe.</p><p>Deuxième paragraphe.</p>",
        **fields,
    )


def test_a_french_release_says_le_chef_and_an_english_one_chief(client, chief):
    french = french_release()
    make_quote(french, spokesperson=chief, text="Nous sommes à l'écoute.")
    english = make_release(publish_at=MAY_9, body="<p>Lead.</p><p>Second.</p>")
    make_quote(english, spokesperson=chief, text="We are listening.")

    html = unescape(client.get(french.get_absolute_url()).text)
    assert "<p>«\u00a0Nous sommes à l’écoute\u00a0»,</p>" in html
    assert f"<figcaption>{SAID_IN_FRENCH}</figcaption>" in html
    assert "Chef Bryan Larkin, président" not in html
    html = unescape(client.get(english.get_absolute_url()).text)
    assert (
        'said <cite><a href="/en/spokespeople/bryan-larkin/">'
        "Chief Bryan Larkin, President of the Canadian Association of Chiefs of Police"
    ) in html


def test_standing_alone_the_name_keeps_the_plain_honorific(client, chief):
    make_quote(french_release(), spokesperson=chief)
    with translation.override("fr"):
        page = unescape(client.get(chief.get_absolute_url()).text)
    assert "<h1>Chef Bryan Larkin</h1>" in page
    assert (
        'name="description" content="Chef Bryan Larkin, président de l’Association canadienne '
        'des chefs de police"'
    ) in page
    listed = unescape(client.get("/fr/porte-parole/").text)
    assert '/fr/porte-parole/bryan-larkin/">Chef Bryan Larkin</a>' in listed
    assert "le chef" not in listed


def test_left_empty_a_language_reads_its_own_honorific_not_the_others_sentence(client):
    """An English “the Honourable” in a sentence is no French: French falls back to its own
    honorific, as it did before there was anything to type."""
    minister = make_spokesperson(
        name="Bill Blair",
        slug="bill-blair",
        honorific_en="The Honourable",
        honorific_in_sentence_en="the Honourable",
        honorific_fr="L’honorable",
        title_en="Minister",
    )
    english = make_release(publish_at=MAY_9, body="<p>Lead.</p><p>Second.</p>")
    make_quote(english, spokesperson=minister)
    french = french_release()
    make_quote(french, spokesperson=minister)
    assert 'said <cite><a href="/en/spokespeople/bill-blair/">the Honourable Bill Blair, ' in (
        client.get(english.get_absolute_url()).text
    )
    assert 'a déclaré <cite><a href="/fr/porte-parole/bill-blair/">L’honorable Bill Blair, ' in (
        unescape(client.get(french.get_absolute_url()).text)
    )


def test_an_attribution_left_empty_in_the_admin_is_filled_as_a_sentence_says_it(
    client, admin_user, chief
):
    client.force_login(admin_user)
    french = french_release(published=False)
    form = release_admin_form(french) | {
        "quotes-TOTAL_FORMS": "1",
        "quotes-0-position": "1",
        "quotes-0-spokesperson": str(chief.pk),
        "quotes-0-text": "Nous sommes à l'écoute.",
        "quotes-0-attribution": "",
    }
    response = client.post(reverse("admin:releases_release_change", args=[french.pk]), form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Quote.objects.get(release=french).attribution == (
        f"le chef Bryan Larkin, président de l’{ORGANISATION_FR}"
    )
    preview = client.get(reverse("releases:preview", args=[french.pk]), follow=True)
    preview = unescape(preview.text)
    assert SAID_IN_FRENCH in preview


def test_a_quote_keeps_the_attribution_it_was_given_at_the_time(client):
    person = make_spokesperson(
        name="Bryan Larkin", slug="bryan-larkin", honorific_fr="Chef", title_fr="Président"
    )
    french = french_release()
    make_quote(french, spokesperson=person)
    person.honorific_in_sentence_fr = "le chef"
    person.save()
    assert Quote.objects.get().attribution.startswith("Chef Bryan Larkin, président")
    assert 'a déclaré <cite><a href="/fr/porte-parole/bryan-larkin/">Chef Bryan Larkin' in (
        unescape(client.get(french.get_absolute_url()).text)
    )


def test_the_french_version_started_on_the_desk_says_le_chef(client, chief):
    english = make_release(published=False, body="<p>Lead.</p><p>Second.</p>")
    make_quote(english, spokesperson=chief, text="We work together.")
    french = translations.start_translation(
        release=english, language="fr", by=make_staff("Editors")
    )
    assert french.quotes.get().attribution == (
        f"le chef Bryan Larkin, président de l’{ORGANISATION_FR}"
    )


def test_the_admin_says_what_to_type_with_a_french_example(client, admin_user):
    client.force_login(admin_user)
    html = unescape(client.get(reverse("admin:releases_spokesperson_add")).text)
    assert 'name="honorific_in_sentence_en"' in html
    assert 'name="honorific_in_sentence_fr"' in html
    assert "Honorific in a sentence (français)" in html
    assert "«\u00a0le chef\u00a0»" in html and "«\u00a0la Dre\u00a0»" in html
    response = client.post(
        reverse("admin:releases_spokesperson_add"),
        {
            "name": "Bryan Larkin",
            "slug": "bryan-larkin",
            "honorific_en": "Chief",
            "honorific_fr": "Chef",
            "honorific_in_sentence_en": "",
            "honorific_in_sentence_fr": "le chef",
            "headshot-TOTAL_FORMS": "0",
            "headshot-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    person = Spokesperson.objects.get()
    assert (person.honorific_in_sentence_fr, person.full_name) == ("le chef", "Chief Bryan Larkin")


def test_the_french_admin_labels_the_field_in_french(client, admin_user):
    client.force_login(admin_user)
    html = unescape(
        client.get(reverse("admin:releases_spokesperson_add"), HTTP_ACCEPT_LANGUAGE="fr").text
    )
    assert "Titre honorifique dans une phrase (français)" in html


# After “of”: the organisation's name as a sentence writes it, typed per person and language.


def test_an_organisation_named_without_an_article_reads_as_typed_after_of():
    """“Chief Executive of Shelter”, not “of the Shelter”: whether a name takes “the” is data."""
    person = make_spokesperson(
        name="Polly Neate",
        honorific_en="",
        title_en="Chief Executive",
        organisation_name_en="Shelter",
        organisation_in_sentence_en="Shelter",
    )
    assert person.current_attribution("en") == "Polly Neate, Chief Executive of Shelter"
    english = make_release(publish_at=MAY_9, body="<p>Lead.</p><p>Second.</p>")
    quote = make_quote(english, spokesperson=person)
    assert quote.attribution == "Polly Neate, Chief Executive of Shelter"


@pytest.mark.parametrize(
    ("typed", "after_title"),
    [
        (ORGANISATION_FR.replace("Association", "l’Association"), f"de l’{ORGANISATION_FR}"),
        ("la Ville de Montréal", "de la Ville de Montréal"),
        ("le Service de police de Laval", "du Service de police de Laval"),
        ("les Forces armées canadiennes", "des Forces armées canadiennes"),
        ("Centraide", "de Centraide"),
    ],
)
def test_french_puts_de_before_the_name_typed_with_its_article(typed, after_title):
    person = make_spokesperson(
        name="Bryan Larkin",
        honorific_fr="Chef",
        honorific_in_sentence_fr="le chef",
        title_fr="Président",
        organisation_name_fr="Anything typed here is not read after de",
        organisation_in_sentence_fr=typed,
    )
    assert person.current_attribution("fr", in_sentence=True) == (
        f"le chef Bryan Larkin, président {after_title}"
    )


def test_left_empty_a_language_reads_its_organisations_name_as_before(chief):
    """The other language's sentence form is never borrowed: French guesses « de l’… » from the
    name, as it always has, and English says “of the …”."""
    chief.organisation_in_sentence_en = "Shelter"
    chief.save()
    assert chief.current_attribution("fr", in_sentence=True) == (
        f"le chef Bryan Larkin, président de l’{ORGANISATION_FR}"
    )
    chief.organisation_in_sentence_en = ""
    chief.save()
    assert chief.current_attribution("en") == (
        "Chief Bryan Larkin, President of the Canadian Association of Chiefs of Police"
    )


def test_a_quote_keeps_its_attribution_when_the_organisations_sentence_form_is_typed(chief):
    quote = make_quote(french_release(), spokesperson=chief)
    chief.organisation_in_sentence_fr = "la Ville de Montréal"
    chief.save()
    quote.refresh_from_db()
    assert quote.attribution == f"le chef Bryan Larkin, président de l’{ORGANISATION_FR}"


def test_the_admin_asks_for_the_organisation_in_a_sentence_with_examples(client, admin_user):
    client.force_login(admin_user)
    html = unescape(client.get(reverse("admin:releases_spokesperson_add")).text)
    assert 'name="organisation_in_sentence_en"' in html
    assert 'name="organisation_in_sentence_fr"' in html
    assert "the Canadian Association of Chiefs of Police" in html
    assert "«\u00a0l’Association canadienne des chefs de police\u00a0»" in html
    assert "“Shelter”" in html
    french = unescape(
        client.get(reverse("admin:releases_spokesperson_add"), HTTP_ACCEPT_LANGUAGE="fr").text
    )
    assert "Organisation dans une phrase (français)" in french
