"""Typographic quotes at render time, in each language's convention, with the stored text
untouched; list cards that say what a release is about."""

import re

import pytest
from django.urls import reverse

from releases.models import Release
from releases.text.html import first_sentence
from releases.text.typography import NBSP, smart_quotes, smart_quotes_html
from tests.factories import make_release

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "language, typed, printed",
    [
        ("en", 'The theme is "Safe together".', "The theme is \u201cSafe together\u201d."),
        (
            "en",
            "It's the officers' day, since the '90s.",
            "It\u2019s the officers\u2019 day, since the \u201990s.",
        ),
        ("en", "'Quoted' words", "\u2018Quoted\u2019 words"),
        ("fr", 'Le thème est "Ensemble".', f"Le thème est \u00ab{NBSP}Ensemble{NBSP}\u00bb."),
        ("fr", "L'Association", "L\u2019Association"),
        ("en", "No quotes at all", "No quotes at all"),
        # French: a space typed before : ; ! ? » or after « never breaks; none is added.
        ("fr", "Le thème : ensemble ; enfin !", f"Le thème{NBSP}: ensemble{NBSP}; enfin{NBSP}!"),
        ("fr", "« Bien »  dit-il. Pourquoi ?", f"«{NBSP}Bien{NBSP}»  dit-il. Pourquoi{NBSP}?"),
        ("fr", "Pourquoi? Voir http://x.ca à 9:30", "Pourquoi? Voir http://x.ca à 9:30"),
        ("en", "Note : as typed !", "Note : as typed !"),
    ],
)
def test_straight_quotes_become_the_languages_own(language, typed, printed):
    assert smart_quotes(typed, language) == printed


def test_in_html_only_text_changes_and_quotes_around_tags_pair_up():
    html = '<p>The theme is "<em>Safe</em>" <a href="/x" title="a \'b\'">it\'s</a></p><p>"New"</p>'
    assert smart_quotes_html(html, "en") == (
        '<p>The theme is \u201c<em>Safe</em>\u201d <a href="/x" title="a \'b\'">it\u2019s</a></p>'
        "<p>\u201cNew\u201d</p>"
    )


def test_the_release_page_prints_typographic_quotes_and_stores_what_was_typed(client):
    release = make_release(
        headline="Police Week's theme",
        body='<p>The theme is "Safe together".</p><p>Second paragraph.</p>',
    )
    page = client.get(release.get_absolute_url()).text
    assert "Police Week\u2019s theme</h1>" in page
    assert "The theme is \u201cSafe together\u201d." in page
    stored = Release.objects.get(pk=release.pk)
    assert stored.headline == "Police Week's theme"
    assert '"Safe together"' in stored.body


def test_french_pages_use_guillemets_with_non_breaking_spaces(client):
    release = make_release(language="fr", body='<p>Le thème est "Ensemble".</p>')
    page = client.get(release.get_absolute_url()).text
    assert f"\u00ab{NBSP}Ensemble{NBSP}\u00bb" in page


def test_a_french_colon_typed_after_a_space_never_starts_a_line(client):
    release = make_release(
        language="fr",
        headline="Financement : une annonce",
        body='<p>Le <a href="https://x.ca/?a=1">fonds</a> : enfin !</p><p>Deuxième.</p>',
    )
    page = client.get(release.get_absolute_url()).text
    assert f"Financement{NBSP}: une annonce</h1>" in page
    assert f"fonds</a>{NBSP}: enfin{NBSP}!</p>" in page
    assert Release.objects.get(pk=release.pk).headline == "Financement : une annonce"


def test_first_sentence_is_cut_at_a_word():
    assert first_sentence("One. Two.") == "One."
    long = "word " * 100
    cut = first_sentence(long, limit=30)
    assert cut.endswith("…") and len(cut) <= 31 and " wor…" not in cut


def test_list_cards_show_the_summary_or_the_leads_first_sentence_without_loading_bodies(
    client, django_assert_max_num_queries
):
    make_release(headline="With summary", summary="What this one is about.")
    make_release(headline="Without", body="<p>The lead says this. And more.</p>")
    with django_assert_max_num_queries(8):
        page = client.get(reverse("releases:list")).text
    assert "What this one is about." in page
    assert "The lead says this." in page and "And more." not in page


def test_a_draft_preview_says_it_has_no_date_rather_than_published_nothing(client, editor):
    release = make_release(published=False, headline="Unscheduled")
    client.force_login(editor)
    page = client.get(reverse("releases:preview", args=[release.pk])).text
    assert "Published ," not in page and "Published <time" not in page
    assert "Not scheduled yet" in page


def test_the_search_page_says_search_releases_once_and_shows_no_empty_refine_box(client):
    page = client.get(reverse("releases:search"), {"q": "nothingmatchesthis"}).text
    assert page.count("Search releases") == 1
    assert "Words to look for" in page
    assert 'id="facets-heading"' not in page
    make_release(headline="Police news")
    page = client.get(reverse("releases:search"), {"q": "police"}).text
    assert 'id="facets-heading"' in page


def test_a_long_query_is_cut_at_a_word_and_the_page_says_so(client):
    from releases.search.query import MAX_QUERY_LENGTH

    words = ["police"] + [f"word{n:03d}" for n in range(60)]
    response = client.get(reverse("releases:search"), {"q": " ".join(words)})
    searched = response.context["filters"].query
    assert len(searched) <= MAX_QUERY_LENGTH
    assert searched.split() == words[: len(searched.split())]  # whole words only
    assert "Your search was long" in response.text
    short = client.get(reverse("releases:search"), {"q": "police week"})
    assert "Your search was long" not in short.text


@pytest.mark.parametrize(
    "first, second, expected",
    [("police", "police", 1.0), ("polise", "police", 0.4), ("cat", "dog", 0.0)],
)
def test_similarity_is_pg_trgms_measure(first, second, expected):
    from releases.search.suggest import similarity

    assert round(similarity(first, second), 2) == expected


def test_a_search_with_no_result_suggests_the_closest_headline_words(client):
    make_release(headline="Police Week begins", body="<p>Officers everywhere.</p>")
    page = client.get(reverse("releases:search"), {"q": "polise"})
    assert page.context["suggestion"]["query"] == "police"
    assert "Did you mean:" in page.text
    followed = client.get(
        reverse("releases:search") + "?" + page.context["suggestion"]["query_string"]
    )
    assert len(followed.context["releases"]) == 1
    assert followed.context["suggestion"] is None


def test_the_french_suggestion_keeps_a_no_break_space_before_its_question_mark(client):
    make_release(headline="Sécurité des collectivités", language="fr", slug="securite")
    make_release(headline="Community security", slug="security")
    page = client.get("/fr/recherche/", {"q": "sécurté"})
    assert page.context["suggestion"]["query"] == "sécurité"
    sentence = re.search(r'<p class="finder__suggestion">(.*?)</p>', page.text, re.S)[1]
    address = "/fr/recherche/?" + page.context["suggestion"]["query_string"].replace("&", "&amp;")
    assert sentence == f'Vouliez-vous dire{NBSP}: <a href="{address}">sécurité</a>{NBSP}?'
    english = client.get("/en/search/", {"q": "securty"})
    assert "Did you mean: <a " in english.text and "</a>?</p>" in english.text


def test_nothing_is_suggested_when_no_word_is_close(client):
    make_release(headline="Police Week begins")
    page = client.get(reverse("releases:search"), {"q": "zzzxq"})
    assert page.context["suggestion"] is None and "Did you mean" not in page.text


@pytest.mark.parametrize("language", ["en", "fr", "de-ch", "zh-hans", "hi"])
def test_counts_are_written_as_intcomma_writes_them(language):
    """The facet panel's hundred counts, written at a tenth of the cost: the same characters
    as Django's ``intcomma``, in languages that group by three and in ones that group by four
    (Chinese) or not at all (Hindi, as Django knows it)."""
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.utils import translation

    from releases.text.numbers import count_writer

    with translation.override(language):
        write = count_writer()
        for count in (0, 7, 999, 1000, 28_776, 1_234_567, 100_000_000):
            assert write(count) == intcomma(count)
