"""The demo reproduces the sample release (shared/seed) exactly, and loading it twice changes
nothing."""

import re
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from releases.demo.seed import SEED_FILE
from releases.models import Campaign, MediaContact, Organisation, Quote, Release, Spokesperson
from releases.workflow import publishing, translations
from releases.workflow.checklist import checklist
from tests.factories import make_staff

pytestmark = pytest.mark.django_db
SHARED_SEED = Path(__file__).resolve().parents[2] / "shared/seed/national-police-week-2021.md"


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"</?(em|strong|a|cite|time|span)\b[^>]*>", "", html)
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    text = text.replace("“", '"').replace("”", '"').replace("’", "'")
    return re.sub(r"\s+", " ", text)


def seed_paragraphs():
    blocks = [b.strip() for b in SEED_FILE.read_text().split("\n\n") if b.strip()]
    return [b.replace("*", "") for b in blocks]


def sentences(paragraph: str):
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"])", paragraph) if s]


@pytest.mark.skipif(not SHARED_SEED.exists(), reason="no shared/ beside this checkout")
def test_the_committed_seed_is_the_shared_one_verbatim():
    assert SEED_FILE.read_bytes() == SHARED_SEED.read_bytes()


def test_release_page_reproduces_every_sentence_of_the_seed(client, demo):
    text = visible_text(client.get(demo.get_absolute_url()).text)
    organisation, tagline, distribution, headline, *prose = seed_paragraphs()
    for expected in (organisation.removeprefix("## "), tagline, "FOR IMMEDIATE RELEASE"):
        assert expected.removeprefix("## ") in text
    assert headline.removeprefix("## ") in text
    assert "Ottawa, ON, May 9, 2021 – Today marks the beginning" in text
    assert len(prose) == 5
    for paragraph in prose:
        for sentence in sentences(paragraph.replace("Ottawa, ON, May 9, 2021 – ", "")):
            assert sentence in text, sentence
    assert "-30-" in text


def test_quote_sits_between_the_third_and_fourth_paragraphs_attributed_to_the_chief(client, demo):
    html = client.get(demo.get_absolute_url()).text
    text = visible_text(html)
    quote = Quote.objects.get()
    assert quote.attribution == (
        "Chief Bryan Larkin, President of the Canadian Association of Chiefs of Police"
    )
    assert (
        'communities across Canada," said Chief Bryan Larkin, President of the Canadian '
        "Association of Chiefs of Police." in text
    )
    third = text.index("strengthen relationships with various community partners")
    fourth = text.index("Policing in Canada is dependent on the trust")
    assert third < text.index("Across the nation, our police officers") < fourth
    blockquote = re.search(r"<blockquote.*?</blockquote>", html, re.S).group(0)
    assert "Across the nation" in blockquote
    assert quote.spokesperson.get_absolute_url() in html


def test_campaign_and_spokesperson_are_those_of_the_seed(client, demo):
    campaign = Campaign.objects.get()
    assert str(campaign) == "National Police Week 2021"
    assert campaign.theme == "Working together to keep our communities safe"
    assert (campaign.start_date, campaign.end_date) == (date(2021, 5, 9), date(2021, 5, 15))
    assert demo.campaign == campaign
    person = Spokesperson.objects.get()
    assert (person.honorific, person.name, person.title) == ("Chief", "Bryan Larkin", "President")
    # Its name after "of" is typed as each language writes it, not guessed by the code.
    assert (person.organisation_in_sentence_en, person.organisation_in_sentence_fr) == (
        "the Canadian Association of Chiefs of Police",
        "l’Association canadienne des chefs de police",
    )
    page = client.get(campaign.get_absolute_url()).text
    assert demo.headline in page and "Across the nation" in page
    assert "Across the nation" in client.get(person.get_absolute_url()).text


def test_demo_invents_no_contact_and_no_other_release(demo):
    assert MediaContact.objects.count() == 0
    assert Release.objects.count() == 1
    assert demo.media_contacts.count() == 0
    assert Organisation.objects.get().default_media_contacts.count() == 0


def test_running_the_demo_twice_changes_nothing(demo):
    def snapshot():
        return [
            list(model.objects.order_by("pk").values())
            for model in (Organisation, Campaign, Spokesperson, Release, Quote)
        ] + [Release.history.count()]

    before = snapshot()
    call_command("load_demo", verbosity=0)
    assert snapshot() == before


def test_running_the_demo_again_after_staff_renamed_its_addresses_makes_nothing_new(demo):
    """The campaign, spokesperson and release found where staff moved them: not made again at
    their old slugs (which would then stop leading to the renamed ones)."""
    campaign, spokesperson = demo.campaign, demo.quotes.get().spokesperson
    campaign.slug = "police-week-2021"
    campaign.save()
    spokesperson.slug = "chief-larkin"
    spokesperson.save()
    demo.slug = "police-week-opens"
    publishing.minor_edit(release=demo, by=None)
    call_command("load_demo", verbosity=0)
    assert list(Campaign.objects.values_list("slug", flat=True)) == ["police-week-2021"]
    assert list(Spokesperson.objects.values_list("slug", flat=True)) == ["chief-larkin"]
    assert list(Release.objects.values_list("slug", flat=True)) == ["police-week-opens"]


def test_demo_release_is_served_at_its_dated_address(client, demo):
    url = (
        "/en/releases/2021/05/09/"
        "national-police-week-working-together-to-keep-our-communities-safe/"
    )
    assert demo.get_absolute_url() == url
    assert client.get(url).status_code == 200


def test_the_french_version_of_the_demo_says_le_chef_and_his_page_chef(client, demo):
    """Started on the desk, the French version's quote names him as a French sentence does;
    standing alone, on his page, he is « Chef Bryan Larkin »."""
    french = translations.start_translation(release=demo, language="fr", by=make_staff("Editors"))
    publishing.publish(release=french, at=demo.publish_at)
    text = visible_text(client.get(french.get_absolute_url()).text)
    assert (
        "communities across Canada », a déclaré le chef Bryan Larkin, président de "
        "l'Association canadienne des chefs de police." in text
    )
    with translation.override("fr"):
        page = visible_text(client.get(french.quotes.get().spokesperson.get_absolute_url()).text)
    assert " Chef Bryan Larkin " in page


def test_demo_organisation_shares_a_large_card_drawn_from_its_name(client, demo):
    """Drawn by Pillow at the size of a large link preview from its names; no invented photo."""
    image = Organisation.objects.get().sharing_image
    assert (image.width, image.height) == (1200, 630)
    # One card for both sites, the name in each language, as a bilingual signature gives it;
    # each site describes it in its own language, with the name it reads there.
    assert image.alt_text_en == "Canadian Association of Chiefs of Police"
    assert image.alt_text_fr == "Association canadienne des chefs de police"
    page = client.get(Release.objects.get().get_absolute_url()).text
    assert f'<meta property="og:image" content="http://testserver{image.social_image.url}">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    french_home = client.get("/fr/").text
    alt = '<meta property="og:image:alt" content="Association canadienne des chefs de police">'
    assert alt in french_home


def test_the_french_site_gives_the_organisations_tagline_in_french(client, demo):
    """Not the English one in the middle of a French page (modeltranslation's fallback)."""
    english = Organisation.objects.get().tagline_en
    french_home = client.get("/fr/").text
    assert "Soutenir les professionnels de la police" in visible_text(french_home)
    assert english not in french_home


def test_the_demos_french_version_shows_no_english_text_of_the_newsroom(client, demo):
    """Its campaign's theme is French on the French site, and the checklist of the French
    version finds nothing of the organisation's or the campaign's left untranslated."""
    page = visible_text(client.get("/fr/campagnes/semaine-nationale-de-la-police-2021/").text)
    assert "Travailler ensemble pour assurer la sécurité de nos collectivités" in page
    assert "Working together to keep our communities safe" not in page
    french = translations.start_translation(release=demo, language="fr", by=make_staff("Editors"))
    assert [item for item in checklist(french) if item.code == "untranslated"] == []
