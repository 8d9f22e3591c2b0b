"""English and French side by side: every public page in both languages, language twins, the
switcher, hreflang alternates, French conventions, and no English left on French pages."""

import re
from datetime import datetime
from html import unescape
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po
from django.urls import reverse
from django.utils import translation

from pagecache.middleware import CACHE_STATUS_HEADER
from releases.models import Release
from releases.text.languages import after_of, long_date
from releases.workflow import publishing
from tests.factories import (
    future_year,
    make_campaign,
    make_contact,
    make_organisation,
    make_quote,
    make_release,
    make_spokesperson,
    make_topic,
)
from tests.test_catalogues import FRENCH_PO

pytestmark = pytest.mark.django_db

TORONTO = ZoneInfo("America/Toronto")
MAY_9 = datetime(2021, 5, 9, 9, 0, tzinfo=TORONTO)
NBSP = "\u00a0"


@pytest.fixture
def newsroom():
    """A bilingual newsroom: a release and its French twin, with everything around them
    written in both languages."""
    organisation = make_organisation(
        tagline_fr="Soutenir les professionnels de la police.",
        boilerplate_fr="L'association représente les leaders de la police.",
    )
    campaign = make_campaign(
        name_en="National Police Week",
        name_fr="Semaine nationale de la police",
        theme_fr="Travailler ensemble",
        edition=2021,
        slug="national-police-week-2021",
    )
    topic = make_topic(name_en="Community safety", name_fr="Sécurité communautaire", slug="safety")
    contact = make_contact(name="Alex Média", role_en="Media relations", role_fr="Relations")
    person = make_spokesperson(
        name="Bryan Larkin",
        slug="bryan-larkin",
        honorific_fr="Chef",
        title_fr="Président",
        organisation_name_en="Canadian Association of Chiefs of Police",
        organisation_name_fr="Association canadienne des chefs de police",
        bio_fr="Chef de police.",
    )
    english = make_release(
        headline="Working Together",
        slug="working-together",
        campaign=campaign,
        publish_at=MAY_9,
        body="<p>Lead paragraph.</p><p>Second paragraph.</p>",
    )
    french = make_release(
        language="fr",
        headline="Travailler ensemble",
        slug="travailler-ensemble",
        campaign=campaign,
        dateline_region="Ontario",
        translation_group=english.translation_group,
        publish_at=MAY_9,
        body="<p>Premier paragraphe.</p><p>Deuxième paragraphe.</p>",
    )
    for release in (english, french):
        release.topics.add(topic)
        release.media_contacts.add(contact)
    make_quote(english, spokesperson=person, text="We are listening.")
    make_quote(french, spokesperson=person, text="Nous sommes à l'écoute.")
    return {
        "organisation": organisation,
        "campaign": campaign,
        "topic": topic,
        "person": person,
        "en": english,
        "fr": french,
    }


def public_pages(newsroom):
    """Every public page, by name, as {language: path}."""
    pages = {}
    for code in ("en", "fr"):
        with translation.override(code):
            for name, path in {
                "home": reverse("releases:home"),
                "list": reverse("releases:list"),
                "year": reverse("releases:archive-year", kwargs={"year": 2021}),
                "month": reverse("releases:archive-month", kwargs={"year": 2021, "month": "05"}),
                "campaigns": reverse("releases:campaign-list"),
                "campaign": newsroom["campaign"].get_absolute_url(),
                "spokespeople": reverse("releases:spokesperson-list"),
                "spokesperson": newsroom["person"].get_absolute_url(),
                "topic": newsroom["topic"].get_absolute_url(),
            }.items():
                pages.setdefault(name, {})[code] = path
    pages["release"] = {
        "en": newsroom["en"].get_absolute_url(),
        "fr": newsroom["fr"].get_absolute_url(),
    }
    return pages


def alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def switcher_target(html: str, language: str) -> str:
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    return re.search(rf'<a href="([^"]+)" hreflang="{language}"', switcher).group(1)


PAGE_NAMES = [
    "home",
    "list",
    "year",
    "month",
    "campaigns",
    "campaign",
    "spokespeople",
    "spokesperson",
    "topic",
    "release",
]


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_every_public_page_exists_in_both_languages_and_switches_to_its_counterpart(
    client, newsroom, name
):
    paths = public_pages(newsroom)[name]
    for language, other in (("en", "fr"), ("fr", "en")):
        response = client.get(paths[language])
        html = response.text
        assert response.status_code == 200
        assert f'<html lang="{language}">' in html
        assert switcher_target(html, other) == paths[other]
        assert alternates(html) == {
            "en": f"http://testserver{paths['en']}",
            "fr": f"http://testserver{paths['fr']}",
            "x-default": f"http://testserver{paths['en']}",
        }


def test_a_release_links_to_its_twin_in_the_twins_language(client, newsroom):
    english = client.get(newsroom["en"].get_absolute_url()).text
    french = client.get(newsroom["fr"].get_absolute_url()).text
    assert (
        f'<a href="{newsroom["fr"].get_absolute_url()}" hreflang="fr" lang="fr" rel="alternate">'
        "Lire ce communiqué en français</a>"
    ) in english
    assert (
        f'<a href="{newsroom["en"].get_absolute_url()}" hreflang="en" lang="en" rel="alternate">'
        "Read this release in English</a>"
    ) in french


def test_a_release_without_a_public_twin_switches_to_a_page_that_says_so_never_home(
    client, newsroom
):
    Release.objects.filter(pk=newsroom["fr"].pk).update(status="draft")
    english = newsroom["en"].get_absolute_url()
    html = client.get(english).text
    # tests/test_french_readers.py: that French page says the release is in English only.
    assert switcher_target(html, "fr") == english.replace("/en/releases/", "/fr/communiques/")
    assert alternates(html) == {}
    assert "Lire ce communiqué" not in html


@pytest.mark.parametrize("end", ["withdraw", "unpublish"])
def test_a_twin_taken_back_disappears_from_its_translations_page_at_once(
    client, newsroom, cache_backend, end
):
    """The English page kept its switcher, its “Lire ce communiqué en français” and its
    hreflang alternate to a French version that was withdrawn (or unpublished) after it."""
    english, french = newsroom["en"].get_absolute_url(), newsroom["fr"].get_absolute_url()
    client.get(english)
    assert client.get(english)[CACHE_STATUS_HEADER] == "hit"
    if end == "withdraw":
        publishing.withdraw(release=newsroom["fr"], by=None, reason="Chiffres erronés.")
    else:
        publishing.unpublish(release=newsroom["fr"], by=None)
    html = client.get(english).text
    assert alternates(html) == {}
    assert "Lire ce communiqué" not in html
    assert french not in html
    # The address under /fr/ says what became of it (the withdrawn page, or where it is).
    assert switcher_target(html, "fr") == english.replace("/en/releases/", "/fr/communiques/")


def test_an_archive_the_other_language_lacks_switches_to_its_list(client):
    make_release(publish_at=MAY_9)
    html = client.get("/en/releases/2021/05/").text
    assert switcher_target(html, "fr") == "/fr/communiques/"
    assert client.get("/fr/communiques/2021/05/").status_code == 404


def test_switching_a_list_keeps_its_filters_but_not_its_page_number(client):
    for _ in range(21):
        make_release(release_type="statement")
    html = client.get("/en/releases/?page=2&type=statement").text
    assert switcher_target(html, "fr") == "/fr/communiques/?type=statement"


def test_french_release_follows_french_conventions(client, newsroom):
    html = unescape(client.get(newsroom["fr"].get_absolute_url()).text)
    assert "POUR DIFFUSION IMMÉDIATE" in html
    assert '<p class="release__type">Communiqué</p>' in html
    assert '<strong class="dateline">Ottawa (Ontario), le 9 mai 2021</strong> – Premier' in html
    assert (
        f'Publié le <time datetime="2021-05-09T09:00:00-04:00">9 mai 2021, 9{NBSP}h{NBSP}00' in html
    )
    assert f"«{NBSP}Nous sommes à l\u2019écoute{NBSP}»," in html
    assert (
        'a déclaré <cite><a href="/fr/porte-parole/bryan-larkin/">'
        "Chef Bryan Larkin, président de l\u2019Association canadienne des chefs de police"
        "</a></cite>"
    ) in html
    assert "-30-" in html
    assert "Personnes-ressources pour les médias" in html
    assert f"veuillez communiquer avec{NBSP}:" in html
    assert "À propos de l’Association canadienne des chefs de police" in html
    assert "Soutenir les professionnels de la police." in html
    assert (
        'href="/fr/campagnes/national-police-week-2021/">Semaine nationale de la police 2021'
        in html
    )
    assert "Sécurité communautaire" in html


def test_french_embargo_line_uses_french_time_zone_and_date(now):
    year = future_year(6, 1, weekday=6)  # a Sunday the first of June: “dimanche 1er juin”
    release = make_release(
        language="fr",
        publish_at=datetime(year, 6, 1, 6, 0, tzinfo=TORONTO),
        dateline_region="Ontario",
    )
    assert release.distribution_line == (
        f"SOUS EMBARGO JUSQU’À 6{NBSP}h{NBSP}00 HAE, le dimanche 1er juin {year}"
    )
    english = make_release(publish_at=datetime(year, 6, 1, 6, 0, tzinfo=TORONTO))
    assert english.distribution_line == f"EMBARGOED UNTIL 06:00 EDT, Sunday June 1, {year}"


def test_french_dates_say_1er_on_the_first_of_the_month():
    with translation.override("fr"):
        assert long_date(datetime(2021, 5, 1, 12, tzinfo=TORONTO)) == "1er mai 2021"
        assert long_date(datetime(2021, 5, 9, 12, tzinfo=TORONTO)) == "9 mai 2021"
    with translation.override("en"):
        assert long_date(datetime(2021, 5, 1, 12, tzinfo=TORONTO)) == "May 1, 2021"


@pytest.mark.parametrize(
    ("name", "after"),
    [
        (
            "Association canadienne des chefs de police",
            "de l’Association canadienne des chefs de police",
        ),
        ("la Gendarmerie royale du Canada", "de la Gendarmerie royale du Canada"),
        ("le Service de police d'Ottawa", "du Service de police d'Ottawa"),
        ("les Services policiers", "des Services policiers"),
        ("L'Ordre des policiers", "de l'Ordre des policiers"),
        ("Police provinciale de l'Ontario", "de Police provinciale de l'Ontario"),
    ],
)
def test_french_names_take_de_contracted_with_their_article(name, after):
    with translation.override("fr"):
        assert after_of(name) == after
    with translation.override("en"):
        assert after_of(name) == name


def test_a_quote_in_a_french_release_gets_a_french_attribution(newsroom):
    quote = newsroom["fr"].quotes.get()
    assert quote.attribution == (
        "Chef Bryan Larkin, président de l’Association canadienne des chefs de police"
    )
    assert newsroom["en"].quotes.get().attribution == (
        "Chief Bryan Larkin, President of the Canadian Association of Chiefs of Police"
    )


def test_french_pages_offer_the_english_releases_when_there_is_no_french_one(client):
    make_organisation()
    campaign = make_campaign()
    make_release(campaign=campaign)
    with translation.override("fr"):
        french_campaign = campaign.get_absolute_url()
    for path, english_version in [
        ("/fr/", "/en/"),
        ("/fr/communiques/", "/en/releases/"),
        (french_campaign, campaign.get_absolute_url()),
    ]:
        html = client.get(path).text
        assert (
            f'<a href="{english_version}" hreflang="en">Voir les communiqués publiés en anglais'
            in html
        )


@pytest.mark.parametrize("path", ["/de/", "/de/releases/", "/fr-ca/", "/es/campaigns/"])
def test_a_language_not_offered_is_404(client, path):
    assert client.get(path).status_code == 404


def test_the_404_page_is_french_under_fr(client):
    response = client.get("/fr/communiques/2021/05/09/nothing-here/")
    assert response.status_code == 404
    assert '<html lang="fr">' in response.text and "Page introuvable" in response.text
    assert alternates(response.text) == {}


class VisibleText(HTMLParser):
    """The text a French reader meets: text and labels (aria-label, title, alt, placeholder),
    leaving out what is marked as another language (the switcher's "English")."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self):
        super().__init__()
        self.stack, self.parts, self.skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"script", "style"}:
            self.skip += 1
        if tag not in self.VOID:
            foreign = attrs.get("lang", "fr") != "fr"
            self.stack.append((tag, foreign))
            self.skip += foreign
        if not self.skip:
            self.parts += [
                attrs[a] for a in ("aria-label", "title", "alt", "placeholder") if a in attrs
            ]

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self.skip -= 1
        while self.stack:
            open_tag, foreign = self.stack.pop()
            self.skip -= foreign
            if open_tag == tag:
                break

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def english_interface_phrases():
    """The English of every catalogue entry whose French differs, cut at placeholders."""
    with FRENCH_PO.open("rb") as po:
        catalogue = read_po(po, locale="fr")
    phrases = set()
    for message in catalogue:
        if message.id and message.string and message.id != message.string:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            for piece in (piece for text in ids for piece in re.split(r"%\(\w+\)s", text)):
                piece = piece.strip(" :,.")
                if len(piece) >= 3 and not piece.isupper() or " " in piece:
                    phrases.add(piece)
    return phrases


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_french_pages_show_no_english_interface_text(client, newsroom, name):
    make_release(
        language="fr", publish_at=datetime(future_year(), 1, 1, tzinfo=TORONTO)
    )  # embargoed
    parser = VisibleText()
    parser.feed(client.get(public_pages(newsroom)[name]["fr"]).text)
    text = " ".join(" ".join(parser.parts).split())
    leftovers = sorted(
        phrase
        for phrase in english_interface_phrases()
        if re.search(rf"\b{re.escape(phrase)}\b", text)
    )
    assert leftovers == [], text


def test_the_english_scan_would_catch_english_left_on_a_page(client, newsroom):
    """The scanner above, pointed at the English release page, finds its English."""
    parser = VisibleText()
    parser.feed(client.get(newsroom["en"].get_absolute_url()).text.replace('lang="en"', ""))
    text = " ".join(" ".join(parser.parts).split())
    found = {p for p in english_interface_phrases() if re.search(rf"\b{re.escape(p)}\b", text)}
    assert {"FOR IMMEDIATE RELEASE", "Media contacts", "Skip to content", "said"} <= found


def test_english_fallback_text_on_french_pages_is_marked_english(client, db):
    from tests.factories import make_organisation

    make_organisation(tagline_en="Supporting police professionals.", tagline_fr="")
    html = client.get("/fr/").text
    assert '<span lang="en">Supporting police professionals.</span>' in html
    english = client.get("/en/").text
    assert "<span>Supporting police professionals.</span>" in english


def test_an_untranslated_campaign_theme_is_marked_english_on_french_pages(client, db):
    from tests.factories import make_campaign

    campaign = make_campaign(theme_en="Working together", theme_fr="", announce_now=True)
    for path in ("/fr/campagnes/", f"/fr/campagnes/{campaign.slug}/"):
        assert 'lang="en">Working together<' in client.get(path).text, path
    assert "<q>Working together</q>" in client.get(f"/en/campaigns/{campaign.slug}/").text
