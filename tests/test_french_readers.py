"""French readers (and every reader) are never left empty-handed: empty archive periods within
the newsroom's record answer with their nearest neighbours, and the list links to its
archives."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories import make_many_releases, make_release

pytestmark = pytest.mark.django_db
TORONTO = ZoneInfo("America/Toronto")


@pytest.fixture
def record():
    make_release(headline="Spring 2019", publish_at=datetime(2019, 3, 5, 10, tzinfo=TORONTO))
    make_release(headline="Police Week", publish_at=datetime(2021, 5, 9, 10, tzinfo=TORONTO))
    make_release(
        headline="Printemps",
        language="fr",
        slug="printemps",
        publish_at=datetime(2019, 3, 5, 10, tzinfo=TORONTO),
    )
    make_release(
        headline="Semaine de la police",
        language="fr",
        slug="semaine",
        publish_at=datetime(2021, 5, 9, 10, tzinfo=TORONTO),
    )


@pytest.mark.parametrize(
    ("path", "earlier", "later"),
    [
        ("/en/releases/2020/", ("/en/releases/2019/", "2019"), ("/en/releases/2021/", "2021")),
        (
            "/en/releases/2020/01/",
            ("/en/releases/2019/03/", "March 2019"),
            ("/en/releases/2021/05/", "May 2021"),
        ),
        (
            "/en/releases/2019/04/",
            ("/en/releases/2019/03/", "March 2019"),
            ("/en/releases/2021/05/", "May 2021"),
        ),
        ("/en/releases/2022/", ("/en/releases/2021/", "2021"), None),
    ],
)
def test_an_empty_period_within_the_record_answers_with_its_neighbours(
    client, record, path, earlier, later
):
    response = client.get(path)
    assert response.status_code == 200
    assert "No releases were published in this period." in response.text
    if earlier:
        assert f'href="{earlier[0]}" rel="prev">Earlier: {earlier[1]}<' in response.text
    if later:
        assert f'href="{later[0]}" rel="next">Later: {later[1]}<' in response.text
    else:
        assert "Later:" not in response.text


def test_the_french_archive_speaks_french(client, record):
    response = client.get("/fr/communiques/2020/")
    assert response.status_code == 200
    assert "Aucun communiqué n’a été publié pendant cette période." in response.text
    assert "Avant\u00a0: 2019" in response.text and "Après\u00a0: 2021" in response.text


@pytest.mark.parametrize(
    "path",
    ["/en/releases/2018/", "/en/releases/2019/02/", "/en/releases/2999/", "/fr/communiques/2018/"],
)
def test_periods_outside_the_record_are_still_unknown(client, record, path):
    assert client.get(path).status_code == 404


def test_the_list_links_to_its_year_archives(client, record):
    html = client.get("/en/releases/").text
    assert 'href="/en/releases/2021/">2021<' in html and 'href="/en/releases/2019/">2019<' in html
    french = client.get("/fr/communiques/").text
    assert 'href="/fr/communiques/2021/">2021<' in french


def switcher_link(html: str, language: str) -> str:
    import re

    nav = html[html.index('class="language-switcher"') :]
    return re.search(rf'<a href="([^"]+)" hreflang="{language}"', nav).group(1)


def test_the_switcher_on_an_english_only_release_says_so_in_french_and_links_back(client):
    release = make_release(headline="Police Week", slug="police-week")
    english = release.get_absolute_url()
    french = switcher_link(client.get(english).text, "fr")
    assert french == english.replace("/en/releases/", "/fr/communiques/", 1)
    response = client.get(french)
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    assert "Ce communiqué a été publié en anglais seulement." in response.text
    assert f'<a href="{english}" hreflang="en">Le lire en anglais\u00a0:' in response.text
    assert switcher_link(response.text, "en") == english
    assert "Aucun communiqué ne correspond" not in response.text
    # The list it offers is named: this page's own language.
    assert '<a href="/fr/communiques/">Tous les communiqués en français</a>' in response.text


def test_a_release_with_a_french_twin_sends_the_french_reader_to_it(client):
    from releases.workflow import publishing

    english = make_release(headline="Police Week", slug="police-week")
    french = make_release(
        headline="Semaine de la police",
        slug="semaine",
        language="fr",
        translation_group=english.translation_group,
        published=False,
    )
    publishing.publish(release=french, at=english.publish_at)
    assert switcher_link(client.get(english.get_absolute_url()).text, "fr") == (
        french.get_absolute_url()
    )
    response = client.get(english.get_absolute_url().replace("/en/releases/", "/fr/communiques/"))
    assert response.status_code == 302 and response["Location"] == french.get_absolute_url()


def test_an_unknown_address_in_either_language_is_still_404(client):
    make_release(slug="police-week")
    assert client.get("/fr/communiques/2021/05/09/nothing-here/").status_code == 404


FRENCH_WORDS = [
    ("/fr/releases/", "/fr/communiques/"),
    ("/fr/releases/2021/05/?page=2", "/fr/communiques/2021/05/?page=2"),
    ("/fr/campaigns/", "/fr/campagnes/"),
    ("/fr/campaigns/police-week/", "/fr/campagnes/police-week/"),
    ("/fr/spokespeople/", "/fr/porte-parole/"),
    ("/fr/topics/safety/", "/fr/sujets/safety/"),
    ("/fr/search/?q=police", "/fr/recherche/?q=police"),
    ("/fr/feeds/releases.rss", "/fr/fils/communiques.rss"),
    ("/fr/feeds/campaigns/police-week.json", "/fr/fils/campagnes/police-week.json"),
    ("/fr/feeds/types/statement.atom", "/fr/fils/types/statement.atom"),
]


@pytest.mark.parametrize(("english_worded", "french"), FRENCH_WORDS)
def test_french_addresses_use_french_words_and_the_english_worded_ones_answer_301(
    client, english_worded, french
):
    response = client.get(english_worded)
    assert response.status_code == 301
    assert response["Location"] == french


def test_french_pages_link_with_french_words(client, record):
    html = client.get("/fr/communiques/").text
    assert 'href="/fr/communiques/2021/">2021<' in html
    assert 'href="/fr/recherche/"' in html
    assert client.get("/fr/communiques/2021/05/").status_code == 200
    assert client.get("/fr/recherche/", {"q": "police"}).status_code == 200
    assert client.get("/fr/fils/communiques.rss").status_code == 200


@pytest.mark.parametrize(
    "path", ["/en/releases/nothing/here/", "/fr/releases/nothing/here/", "/en/communiques/"]
)
def test_unknown_addresses_in_either_words_are_404(client, path):
    assert client.get(path).status_code == 404


def test_an_address_without_its_slash_still_gets_one(client):
    assert client.get("/en/releases")["Location"] == "/en/releases/"
    assert client.get("/fr/communiques")["Location"] == "/fr/communiques/"


def test_counts_in_the_thousands_are_grouped_as_each_language_writes_them(client):
    """“1001 releases” is hard to read at a glance: “1,001” in English, « 1 001 » in French (a
    no-break space), in the result sentence and beside each facet value."""
    from releases.search import counts

    make_many_releases(1000, like=make_release(headline="Template"))
    counts.rebuild()  # bulk rows send no signal, as seed_releases does
    english = client.get("/en/releases/").text
    assert "1,001 releases" in english
    assert '<span class="facet__count">(1,001)</span>' in english
    french = client.get("/fr/communiques/?language=en").text
    assert "1\xa0001 communiqués" in french
    assert '<span class="facet__count">(1\xa0001)</span>' in french


def test_a_card_links_to_its_release_in_the_releases_own_language(client):
    """A French page listing English releases (``?language=en``) links each to its English
    address, and an English page listing French ones to theirs; a campaign's name and address
    are the page's language's."""
    from django.utils import translation

    from tests.factories import make_campaign

    week = make_campaign(name_en="Police Week", name_fr="Semaine de la police", edition=2021)
    english = make_release(headline="Safe together", campaign=week)
    french = make_release(language="fr", headline="Ensemble", slug="ensemble", campaign=week)
    french_page = client.get("/fr/communiques/?language=en").text
    assert f'href="{english.get_absolute_url()}"' in french_page
    assert english.get_absolute_url().startswith("/en/")
    with translation.override("fr"):
        assert f'<a href="{week.get_absolute_url()}">Semaine de la police 2021</a>' in french_page
    english_page = client.get("/en/releases/?language=fr").text
    assert f'href="{french.get_absolute_url()}"' in english_page
    assert french.get_absolute_url().startswith("/fr/communiques/")
    with translation.override("en"):
        assert f'<a href="{week.get_absolute_url()}">Police Week 2021</a>' in english_page


def test_a_release_page_names_the_zone_of_its_publication_time(client):
    """Journalists read it in every province: “9 a.m. EDT”, « 9 h 00 HAE »."""
    zone = ZoneInfo("America/Toronto")
    english = make_release(publish_at=datetime(2021, 5, 9, 9, 0, tzinfo=zone))
    french = make_release(language="fr", publish_at=datetime(2021, 12, 9, 9, 0, tzinfo=zone))
    assert "May 9, 2021, 9 a.m. EDT</time>" in client.get(english.get_absolute_url()).text
    html = client.get(french.get_absolute_url()).text
    assert "9 décembre 2021, 9\xa0h\xa000 HNE</time>" in html


def test_a_card_in_the_other_language_says_so_to_screen_readers_and_hyphenation(client):
    """An English page listing French releases marks their words ``lang="fr"`` (WCAG 3.1.2),
    and the page's own language's cards carry no attribute; the type and date, written in the
    page's language, are not marked."""
    make_release(
        language="fr", headline="Ensemble", slug="ensemble", subheadline="Sous-titre", summary="Ré"
    )
    make_release(headline="Together", summary="Summary")
    english_page = client.get("/en/releases/?language=fr").text
    for part in ("headline", "subheadline", "summary"):
        assert f'class="release-card__{part}" lang="fr">' in english_page, part
    assert 'class="release-card__meta">' in english_page
    own = client.get("/en/releases/").text
    assert 'class="release-card__headline">' in own
    assert "lang=" not in own.split('class="release-card')[1]


@pytest.fixture
def subjects():
    """The walk's addresses: a release on a day in each language, a campaign, a spokesperson
    and a topic (French slugs for the campaign and the topic)."""
    from tests.factories import make_campaign, make_quote, make_spokesperson, make_topic

    day = datetime(2021, 5, 9, 10, tzinfo=TORONTO)
    campaign = make_campaign(slug="national-police-week-2021", slug_fr="semaine-nationale-2021")
    topic = make_topic(slug="safety", slug_fr="securite")
    person = make_spokesperson(name="Bryan Larkin", slug="bryan-larkin")
    for language, slug in [("en", "police-week"), ("fr", "semaine")]:
        release = make_release(language=language, slug=slug, publish_at=day, campaign=campaign)
        release.topics.add(topic)
        make_quote(release, spokesperson=person)


SLASHED = [
    "/en/releases/2021/",
    "/en/releases/2021/05/",
    "/en/releases/2021/05/09/police-week/",
    "/en/campaigns/national-police-week-2021/",
    "/en/spokespeople/bryan-larkin/",
    "/en/topics/safety/",
    "/en/releases/",
    "/en/campaigns/",
    "/en/search/",
    "/en/alerts/check-your-inbox/",
    "/fr/communiques/2021/",
    "/fr/communiques/2021/05/",
    "/fr/communiques/2021/05/09/semaine/",
    "/fr/campagnes/semaine-nationale-2021/",
    "/fr/porte-parole/bryan-larkin/",
    "/fr/sujets/securite/",
    "/fr/communiques/",
    "/fr/recherche/",
    "/fr/alertes/verifiez-votre-boite/",
]


@pytest.mark.parametrize("slashed", SLASHED)
def test_an_address_without_its_slash_answers_301_to_it_with_its_query_in_either_language(
    client, subjects, slashed, django_assert_max_num_queries
):
    # The page cache's reads, and the 404 page that Django's APPEND_SLASH answers after.
    with django_assert_max_num_queries(3):
        response = client.get(slashed.removesuffix("/"), {"page": "1", "q": "a b"})
    assert response.status_code == 301
    assert response["Location"] == f"{slashed}?page=1&q=a+b"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("unslashed", "french"),
    [
        ("/fr/releases/2021", "/fr/communiques/2021/"),
        ("/fr/releases/2021/05/09/semaine", "/fr/communiques/2021/05/09/semaine/"),
        ("/fr/campaigns/semaine-nationale-2021", "/fr/campagnes/semaine-nationale-2021/"),
        ("/fr/spokespeople/bryan-larkin", "/fr/porte-parole/bryan-larkin/"),
        ("/fr/topics/securite", "/fr/sujets/securite/"),
    ],
)
def test_an_english_worded_french_address_without_its_slash_answers_one_301_to_the_french_words(
    client, subjects, unslashed, french
):
    response = client.get(unslashed)
    assert response.status_code == 301 and response["Location"] == french
    assert client.get(french).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/en/releases/nothing/here",
        "/en/releases//evil.example",
        "/en/releases/2021/05/09/police-week.pdf",
        "/fr/releases/nothing/here",
        "/en/campaigns/a/b",
        "/en/alerts/nothing",
    ],
)
def test_an_address_that_names_nothing_even_with_a_slash_is_still_404(client, path):
    assert client.get(path).status_code == 404


def test_an_address_with_its_slash_and_an_english_worded_feed_answer_as_before(client, subjects):
    assert client.get("/en/releases/2021/05/09/police-week/").status_code == 200
    assert client.get("/en/feeds/releases.rss").status_code == 200
    response = client.get("/fr/feeds/releases.rss")
    assert response.status_code == 301 and response["Location"] == "/fr/fils/communiques.rss"
