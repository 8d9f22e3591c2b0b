"""Every public page: what a reader sees, what stays hidden, and what bad addresses get."""

import re
from datetime import timedelta
from functools import partial
from html import unescape

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_max_age

from formats.reading import ninjs_path
from releases.models import Release, Status
from releases.models.release import dated_url_kwargs
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


@pytest.fixture
def organisation():
    return make_organisation()


def test_root_redirects_by_the_browsers_language(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9").url == "/fr/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en-CA").url == "/en/"


def test_home_lists_latest_public_releases_and_the_featured_campaign(client, organisation):
    campaign = make_campaign(name_en="National Police Week", edition=2021)
    public = make_release(headline="Public news", campaign=campaign)
    make_release(headline="Secret draft", published=False)
    response = client.get("/en/")
    assert response.status_code == 200
    assert public.headline in response.text
    assert "Secret draft" not in response.text
    assert "National Police Week 2021" in response.text
    assert organisation.name in response.text


def test_release_list_is_newest_first_and_paginated_by_twenty(client, now):
    for hours in range(25):
        make_release(headline=f"Item {hours:02d}", publish_at=now - timedelta(hours=hours + 1))
    first = client.get("/en/releases/")
    second = client.get("/en/releases/?page=2")
    assert first.text.index("Item 00") < first.text.index("Item 01")
    assert "Item 19" in first.text and "Item 20" not in first.text
    assert "Item 20" in second.text and "Item 24" in second.text


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99", "1" * 300, "1.5"])
def test_bad_page_numbers_are_404_in_the_site_design(client, page):
    make_release()
    response = client.get("/en/releases/", {"page": page})
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_release_page_shows_the_press_release_anatomy(client, organisation, now):
    campaign = make_campaign(name_en="National Police Week", edition=2021)
    topic = make_topic(name_en="Community safety")
    contact = make_contact(name="Alex Media", phone="613-555-0100")
    release = make_release(
        headline="Working Together",
        subheadline="A week of events",
        campaign=campaign,
        body="<p>Lead paragraph.</p><p>Second paragraph.</p>",
    )
    release.topics.add(topic)
    release.media_contacts.add(contact)
    person = make_spokesperson(name="Bryan Larkin")
    make_quote(release, spokesperson=person, text="We are listening.", position=1)

    response = client.get(release.get_absolute_url())
    html = response.text
    assert response.status_code == 200
    assert organisation.name in html and organisation.tagline in html
    assert "FOR IMMEDIATE RELEASE" in html
    assert '<h1 class="release__headline">Working Together</h1>' in html
    assert "A week of events" in html
    assert f"{release.dateline}</strong> – Lead paragraph." in html
    assert "<blockquote" in html and "“We are listening,”" in html
    assert f'href="{person.get_absolute_url()}"' in html
    body = html[html.index("<body") :]  # the head repeats the start of the text as metadata
    assert body.index("Lead paragraph.") < body.index("We are listening") < body.index("Second")
    assert "-30-" in html
    assert "Alex Media" in html and "613-555-0100" in html
    assert organisation.boilerplate in html
    assert campaign.get_absolute_url() in html and topic.get_absolute_url() in html


def test_release_without_contacts_shows_the_organisations_defaults(client, organisation):
    organisation.default_media_contacts.add(make_contact(name="Default Desk"))
    release = make_release()
    assert "Default Desk" in client.get(release.get_absolute_url()).text


def test_release_without_any_contact_prints_no_contact_section(client, organisation):
    release = make_release()
    assert "Media contacts" not in client.get(release.get_absolute_url()).text


def test_unpublished_release_urls_answer_like_unknown_slugs(client, now):
    draft = make_release(published=False, slug="draft")
    scheduled = make_release(slug="scheduled", publish_at=now + timedelta(hours=1))
    for release in (draft, scheduled):
        url = release.get_absolute_url()
        unknown_url = url.replace(release.slug, "no-such-release")
        response, unknown = client.get(url), client.get(unknown_url)
        assert response.status_code == unknown.status_code == 404
        assert response.text.replace(release.slug, "") == unknown.text.replace(
            "no-such-release", ""
        )


def test_withdrawn_release_keeps_its_page_with_a_banner(client):
    release = make_release()
    Release.objects.filter(pk=release.pk).update(
        status=Status.WITHDRAWN, withdrawn_reason="Figures were wrong."
    )
    response = client.get(release.get_absolute_url())
    assert response.status_code == 200
    assert "This release has been withdrawn." in response.text
    assert "Figures were wrong." in response.text
    assert release.headline not in client.get("/en/releases/").text


def test_release_is_found_only_under_its_own_language(client):
    release = make_release(body="<p>Only in the English text.</p>")
    french_path = release.get_absolute_url().replace("/en/releases/", "/fr/communiques/", 1)
    response = client.get(french_path)
    # The French address says where the release is (tests/test_french_readers.py), no more.
    assert "publié en anglais seulement" in response.text
    assert "Only in the English text." not in response.text


def one_day_off(release) -> dict:
    """The dated address arguments of ``release`` with the day after its own (or today's)."""
    day = (release.publication_date or timezone.localdate()) + timedelta(days=1)
    return dated_url_kwargs(day, release.slug)


def test_a_release_address_with_the_wrong_date_redirects_to_the_one_release_of_that_slug(
    client, django_assert_max_num_queries
):
    release = make_release(slug="national-police-week")
    wrong = one_day_off(release)
    for name, address_of in [
        ("releases:detail", release.get_absolute_url),
        ("releases:detail-text", release.get_text_url),
        ("formats:ninjs", partial(ninjs_path, release)),
    ]:
        # The cache's two reads, the five lookups of an unknown address, and this one.
        with django_assert_max_num_queries(8):
            response = client.get(reverse(name, kwargs=wrong))
        assert response.status_code == 302, name
        assert response["Location"] == address_of(), name
    # A withdrawn release's page stands at its address: it is found too.
    Release.objects.filter(pk=release.pk).update(status=Status.WITHDRAWN, withdrawn_reason="X")
    response = client.get(reverse("releases:detail", kwargs=wrong))
    assert (response.status_code, response["Location"]) == (302, release.get_absolute_url())


def test_a_wrong_date_redirect_is_kept_no_later_than_the_next_go_live(client, now):
    """Last year's release and this year's, embargoed, share a slug: until the embargo lifts,
    this year's address leads to last year's release, and no browser or cache in front may
    keep sending readers there once this year's is public."""
    last_year = make_release(slug="police-week", publish_at=now - timedelta(days=365))
    this_year = make_release(slug="police-week", publish_at=now + timedelta(minutes=10))
    address = this_year.get_absolute_url()
    with time_machine.travel(now, tick=False):
        response = client.get(address)
    assert response.status_code == 302
    assert response["Location"] == last_year.get_absolute_url()
    assert 0 < get_max_age(response) <= 600
    with time_machine.travel(now + timedelta(minutes=10, seconds=1), tick=False):
        assert client.get(address).status_code == 200


def test_a_wrong_date_finds_no_release_that_is_not_public_nor_guesses_between_two(client, now):
    """Scheduled (embargoed), draft and unpublished releases are not revealed by a redirect:
    their slug at a wrong date answers as an unknown slug does. Two releases with one slug
    (a slug is unique per language and day) are not guessed between; another language's
    release is not this language's."""
    scheduled = make_release(slug="embargoed", publish_at=now + timedelta(hours=1))
    draft = make_release(published=False, slug="draft")
    gone = make_release(slug="published-in-error")
    Release.objects.filter(pk=gone.pk).update(status=Status.UNPUBLISHED)
    first = make_release(slug="yearly", publish_at=now - timedelta(days=400))
    make_release(slug="yearly", publish_at=now - timedelta(days=30))
    french = make_release(slug="en-francais", language="fr")
    for release in (scheduled, draft, gone, first):
        wrong = one_day_off(release)
        response = client.get(reverse("releases:detail", kwargs=wrong | {"slug": release.slug}))
        unknown = client.get(reverse("releases:detail", kwargs=wrong | {"slug": "no-such"}))
        assert response.status_code == unknown.status_code == 404, release.slug
        assert response.text.replace(release.slug, "") == unknown.text.replace("no-such", "")
        text = client.get(reverse("releases:detail-text", kwargs=wrong | {"slug": release.slug}))
        assert text.status_code == 404
    wrong = one_day_off(french)
    assert client.get(reverse("releases:detail", kwargs=wrong)).status_code == 404


def test_year_and_month_archives_list_releases_of_that_period(client, now):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    may = make_release(publish_at=datetime(2021, 5, 9, 9, tzinfo=ZoneInfo("America/Toronto")))
    june = make_release(publish_at=datetime(2021, 6, 1, 9, tzinfo=ZoneInfo("America/Toronto")))
    year = client.get("/en/releases/2021/")
    month = client.get("/en/releases/2021/05/")
    assert may.headline in year.text and june.headline in year.text
    assert reverse("releases:archive-month", kwargs={"year": 2021, "month": "06"}) in year.text
    assert may.headline in month.text and june.headline not in month.text
    assert client.get("/en/releases/2020/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/en/releases/2021/13/",
        "/en/releases/2021/00/",
        "/en/releases/2021/02/30/some-slug/",
        "/en/releases/2021/13/01/some-slug/",
        "/en/releases/0000/01/01/some-slug/",
        "/en/releases/2021/05/09/" + "a" * 5000 + "/",
        "/en/releases/2021/05/09/%E2%9C%93%00/",
        "/en/campaigns/no-such-campaign/",
        "/en/spokespeople/nobody/",
        "/en/topics/nothing/",
        "/en/releases/abcd/",
        "/en/%3Cscript%3E/",
    ],
)
def test_bad_addresses_get_the_designed_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "<script>" not in response.text


def test_campaign_page_shows_theme_dates_phase_releases_quotes_and_editions(client):
    first = make_campaign(
        name_en="National Police Week", edition=2020, slug="npw-2020", announce_now=True
    )
    campaign = make_campaign(
        name_en="National Police Week",
        edition=2021,
        theme_en="Working together to keep our communities safe",
        first_edition=first,
    )
    release = make_release(campaign=campaign)
    make_quote(release, text="Quoted in the campaign.")
    hidden = make_release(campaign=campaign, published=False, headline="Hidden one")
    make_quote(hidden, text="Never to be seen.")
    response = client.get(campaign.get_absolute_url())
    assert "Working together to keep our communities safe" in response.text
    assert "May 9–15, 2021" in re.sub(r"<[^>]+>", "", response.text)
    assert "Past" in response.text
    assert release.headline in response.text and "Quoted in the campaign" in response.text
    assert "Hidden one" not in response.text and "Never to be seen" not in response.text
    assert first.get_absolute_url() in response.text


def test_campaign_phase_follows_the_calendar():
    from datetime import date

    campaign = make_campaign(start_date=date(2021, 5, 9), end_date=date(2021, 5, 15))
    assert campaign.phase(date(2021, 5, 8)) == "upcoming"
    assert campaign.phase(date(2021, 5, 9)) == "on-now"
    assert campaign.phase(date(2021, 5, 15)) == "on-now"
    assert campaign.phase(date(2021, 5, 16)) == "past"


def test_spokesperson_page_lists_only_their_public_quotes(client):
    person = make_spokesperson(name="Bryan Larkin")
    make_quote(make_release(headline="Public one"), spokesperson=person, text="Said in public.")
    make_quote(make_release(published=False), spokesperson=person, text="Said in a draft.")
    response = client.get(person.get_absolute_url())
    assert "Bryan Larkin" in response.text
    assert "Said in public" in response.text and "Public one" in response.text
    assert "Said in a draft" not in response.text
    assert "Bryan Larkin" in client.get("/en/spokespeople/").text


def test_a_quotes_source_link_has_the_release_pages_apostrophes(client):
    """Under each quote on a spokesperson's or a campaign's page, the release is named as its
    own page names it: “The chiefs’ week”, not “The chiefs' week”."""
    person = make_spokesperson(name="Bryan Larkin")
    campaign = make_campaign()
    release = make_release(headline="The chiefs' week", campaign=campaign)
    make_quote(release, spokesperson=person, text="Said.")
    for page in (person.get_absolute_url(), campaign.get_absolute_url()):
        source = client.get(page).text.split('class="quote__source"')[1][:300]
        assert "The chiefs’ week" in source, page


def test_topic_page_lists_its_public_releases(client):
    topic = make_topic(name_en="Harm reduction")
    tagged = make_release()
    tagged.topics.add(topic)
    other = make_release()
    response = client.get(topic.get_absolute_url())
    assert tagged.headline in response.text and other.headline not in response.text


def test_pages_are_marked_up_for_assistive_technology(client, organisation):
    release = make_release()
    html = client.get(release.get_absolute_url()).text
    assert '<html lang="en">' in html
    assert 'class="skip-link" href="#main"' in html
    assert "<main" in html and "<article" in html and "<nav" in html
    assert f'<time datetime="{release.publish_at.astimezone().isoformat()}"' in html


def _release_with_extras(now, n):
    campaign = make_campaign()
    release = make_release(campaign=campaign, publish_at=now - timedelta(minutes=n + 1))
    for _ in range(3):
        release.topics.add(make_topic())
        make_quote(release)
        release.media_contacts.add(make_contact())
    return release


@pytest.mark.parametrize("count", [1, 15])
def test_list_pages_run_a_constant_number_of_queries(
    client, organisation, now, count, django_assert_max_num_queries
):
    releases = [_release_with_extras(now, n) for n in range(count)]
    campaign = releases[0].campaign
    for path in (
        "/en/",
        "/en/releases/",
        f"/en/releases/{now:%Y}/",
        campaign.get_absolute_url(),
    ):
        client.get(path)  # warm the organisation cache, as in production
        # Archives ask which languages have releases in the period (for the switcher).
        with django_assert_max_num_queries(6):
            assert client.get(path).status_code == 200


@pytest.mark.parametrize("extras", [0, 12])
def test_release_page_runs_a_constant_number_of_queries(
    client, organisation, now, extras, django_assert_max_num_queries
):
    release = make_release()
    for _ in range(extras):
        release.topics.add(make_topic())
        make_quote(release)
        release.media_contacts.add(make_contact())
    client.get(release.get_absolute_url())
    # 7: the two more are the release's images and documents (issue 7), one query each.
    with django_assert_max_num_queries(6):
        assert client.get(release.get_absolute_url()).status_code == 200


def test_healthz_answers_without_a_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.text == "ok"


@pytest.mark.parametrize("extra, linked", [(0, False), (1, True)])
def test_a_campaign_page_links_to_all_its_releases_when_it_shows_only_the_newest(
    client, now, extra, linked
):
    campaign = make_campaign(slug="busy-week")
    shown = 50
    for n in range(shown + extra):
        make_release(
            headline=f"Week day {n:02d}", campaign=campaign, publish_at=now - timedelta(hours=n + 1)
        )
    response = client.get(campaign.get_absolute_url())
    assert len(response.context["releases"]) == shown
    assert ('href="/en/releases/?campaign=busy-week"' in response.text) is linked
    if linked:
        everything = client.get("/en/releases/?campaign=busy-week")
        assert everything.context["paginator"].count == shown + extra


@pytest.mark.parametrize("extra, linked", [(0, False), (1, True)])
def test_a_spokesperson_page_links_to_all_the_releases_quoting_them(client, now, extra, linked):
    person = make_spokesperson(name="Busy Chief", slug="busy-chief")
    for n in range(50 + extra):
        release = make_release(headline=f"Quoted {n:02d}", publish_at=now - timedelta(hours=n + 1))
        make_quote(release, spokesperson=person)
    response = client.get(person.get_absolute_url())
    assert len(response.context["quotes"]) == 50
    assert ('href="/en/releases/?spokesperson=busy-chief"' in response.text) is linked
    if linked:
        assert "All the releases quoting Busy Chief" in response.text


def test_a_list_page_that_does_not_exist_says_so_and_links_to_the_first(client):
    make_release(headline="Police news")
    for address, page, first in [
        ("/en/releases/?page=abc", "abc", "/en/releases/"),
        ("/en/releases/?page=9", "9", "/en/releases/"),
        ("/en/search/?q=police&page=2", "2", "/en/search/?q=police"),
        ("/en/releases/?type=statement&page=last2", "last2", "/en/releases/?type=statement"),
    ]:
        response = client.get(address)
        assert response.status_code == 404, address
        assert f"This list has no page “{page}”." in response.text
        assert f'<a href="{first.replace("&", "&amp;")}">Go to the list' in response.text
    french = client.get("/fr/communiques/?page=abc")
    assert french.status_code == 404
    assert "Cette liste n’a pas de page «\u00a0abc\u00a0»." in french.text
    assert "There is no page at this address" in client.get("/en/no-such-page/").text


def test_a_topic_page_without_releases_in_its_language_is_not_for_search_engines(client):
    """The French page of a topic given only to English releases is an empty list: noindex,
    as it is left out of the sitemap."""
    topic = make_topic(name_en="Road safety", slug="road-safety")
    make_release().topics.add(topic)
    robots = '<meta name="robots" content="noindex">'
    assert robots not in client.get(topic.get_absolute_url()).text
    french = client.get("/fr/sujets/road-safety/")
    assert french.status_code == 200 and robots in french.text


def test_a_quotes_cite_names_the_release_it_is_from_not_the_spokesperson(client):
    """blockquote's cite is the document quoted: the release, where the quote is shown outside
    it (the spokesperson's and the campaign's pages); inside the release it has none to give."""
    campaign = make_campaign(announce_now=True)
    release = make_release(campaign=campaign)
    person = make_spokesperson(name="Bryan Larkin")
    make_quote(release, spokesperson=person, text="We are listening.")
    for path in (person.get_absolute_url(), campaign.get_absolute_url()):
        html = client.get(path).text
        assert f'<blockquote cite="{release.get_absolute_url()}">' in html, path
    html = client.get(release.get_absolute_url()).text
    assert "<blockquote>" in html and "<blockquote cite=" not in html


def test_the_topics_directory_lists_the_public_topics_by_their_name_in_each_language(
    client, tomorrow
):
    """/en/topics/ was a 404 although every topic has a page; the list and each topic page
    lead to it."""
    safety = make_topic(name_en="Road safety", name_fr="Sécurité routière", slug="road-safety")
    wellness = make_topic(name_en="Wellness", name_fr="Bien-être", slug="wellness")
    hidden = make_topic(name_en="Not yet", name_fr="Pas encore", slug="not-yet")
    make_release().topics.add(safety, wellness)
    make_release(publish_at=tomorrow).topics.add(hidden)
    english = client.get("/en/topics/").text
    assert english.index("Road safety") < english.index("Wellness")
    assert "Not yet" not in english and f'href="{safety.get_absolute_url()}"' in english
    french = client.get("/fr/sujets/").text
    assert french.index("Bien-être") < french.index("Sécurité routière")
    assert 'href="/en/topics/"' in client.get("/en/releases/").text
    assert 'href="/en/topics/"' in client.get(safety.get_absolute_url()).text


def test_an_empty_list_names_the_other_language_as_its_sentence_writes_it(client):
    english = client.get("/en/releases/").text
    french = client.get("/fr/communiques/").text
    assert "See the releases published in French</a>" in english
    assert "Voir les communiqués publiés en anglais</a>" in unescape(french)


def test_before_the_organisation_is_entered_the_header_says_newsroom_once(client):
    header = client.get("/en/").text.split('<header class="site-header">', 1)[1].split("</a>")[0]
    assert header.count("Newsroom") == 1
    make_organisation(name_en="Riverside Food Bank")
    header = client.get("/en/").text.split('<header class="site-header">', 1)[1].split("</a>")[0]
    assert "Riverside Food Bank" in header and "Newsroom" in header
