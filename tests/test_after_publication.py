"""After publication: withdrawn pages stay with a banner, unpublished ones are gone (410),
moved ones answer 301 and keep their feed id."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from releases.workflow import publishing
from tests.factories import make_release

TORONTO = ZoneInfo("America/Toronto")
pytestmark = pytest.mark.django_db


def test_a_withdrawn_release_keeps_its_page_with_the_reason_but_leaves_the_lists(client, editor):
    release = make_release(
        headline="Withdrawn One", publish_at=datetime(2021, 5, 9, 9, tzinfo=TORONTO)
    )
    publishing.withdraw(release=release, by=editor, reason="The figures were wrong.")
    page = client.get(release.get_absolute_url())
    assert page.status_code == 200
    assert "This release was withdrawn on" in page.text
    assert "The figures were wrong." in page.text
    assert "Withdrawn One" not in client.get(reverse("releases:home")).text
    assert "Withdrawn One" not in client.get(reverse("releases:list")).text
    # It leaves every list, the archives too (CONVENTIONS: "it leaves lists and feeds").
    assert "Withdrawn One" not in client.get("/en/releases/2021/05/").text
    assert "Withdrawn One" not in client.get("/en/releases/2021/").text


def test_an_unpublished_release_answers_410_gone(client, editor):
    release = make_release(headline="Published In Error")
    url = release.get_absolute_url()
    publishing.unpublish(release=release, by=editor, note="Wrong release.")
    response = client.get(url)
    assert response.status_code == 410
    assert "Published In Error" not in response.text
    assert "Published In Error" not in client.get(reverse("releases:list")).text


def language_switch(client, url: str) -> str:
    """The page's language switch, as HTML."""
    page = client.get(url).text
    return re.search(r'<nav class="language-switcher".*?</nav>', page, re.S).group(0)


def english_and_french(*, french_slug: str):
    """A public English release and its public French version, under ``french_slug``."""
    english = make_release(headline="Published In Error", slug="police-week")
    french = make_release(
        language="fr",
        headline="La Semaine de la police",
        slug=french_slug,
        publish_at=english.publish_at,
        translation_group=english.translation_group,
    )
    return english, french


def test_an_unpublished_release_whose_other_language_is_still_public_says_where(client, editor):
    """Versions started from each other share their address's slug, so the French page's
    “English” switcher led to the removed English release's 410 with no way back."""
    english, french = english_and_french(french_slug="police-week")
    publishing.unpublish(release=english, by=editor, note="Wrong release.")
    switcher = language_switch(client, french.get_absolute_url())
    assert english.get_absolute_url() in switcher
    response = client.get(english.get_absolute_url())
    assert response.status_code == 410 and "Published In Error" not in response.text
    assert "Its French version is still published:" in response.text
    assert f'href="{french.get_absolute_url()}" hreflang="fr"' in response.text


def test_a_removed_release_links_to_its_other_language_version_under_another_slug(client, editor):
    """Most French versions have a slug of their own: the 410 page found the twin only at the
    same address, so it said nothing of a French version that was still public."""
    english, french = english_and_french(french_slug="semaine-de-la-police")
    publishing.unpublish(release=english, by=editor, note="Wrong release.")
    response = client.get(english.get_absolute_url())
    assert response.status_code == 410
    assert "Its French version is still published:" in response.text
    assert f'href="{french.get_absolute_url()}" hreflang="fr"' in response.text


def test_a_removed_release_does_not_call_a_withdrawn_twin_published(client, editor):
    english, french = english_and_french(french_slug="police-week")
    publishing.withdraw(release=french, by=editor, reason="Chiffres erronés.")
    publishing.unpublish(release=english, by=editor, note="Wrong release.")
    response = client.get(english.get_absolute_url())
    assert response.status_code == 410
    assert "still published" not in response.text
    assert french.headline not in response.text


def test_a_changed_slug_keeps_the_old_url_as_a_301_and_the_feed_id(client, editor):
    release = make_release(slug="old-slug")
    old_url, old_text_url, feed_id = (
        release.get_absolute_url(),
        release.get_text_url(),
        release.feed_id,
    )
    release.slug = "new-slug"
    publishing.minor_edit(release=release, by=editor)
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == release.get_absolute_url()
    assert "new-slug" in response["Location"]
    text = client.get(old_text_url)
    assert text.status_code == 301 and text["Location"] == release.get_text_url()
    release.refresh_from_db()
    assert release.feed_id == feed_id


def test_a_changed_publication_date_keeps_the_old_url_as_a_301(client, editor, now):
    release = make_release(published=False)
    publishing.publish(release=release, by=editor, at=now - timedelta(days=10))
    old_url = release.get_absolute_url()
    release.refresh_from_db()
    release.publish_at = now - timedelta(days=20)
    publishing.minor_edit(release=release, by=editor)
    assert client.get(old_url)["Location"] == release.get_absolute_url()


def test_an_old_address_of_a_release_not_yet_public_is_not_revealed(client, editor, tomorrow):
    release = make_release(published=False, slug="secret")
    release.slug = "still-secret"
    publishing.save_draft(release=release, by=editor)
    assert not release.old_addresses.exists()


@pytest.mark.parametrize("french_slug", ["police-week", "semaine-de-la-police"])
def test_a_removed_releases_language_switch_leads_to_its_public_version_or_the_list(
    client, editor, french_slug
):
    """The 410 page's “Français” led to the removed release's address under /fr/, a 404."""
    english, french = english_and_french(french_slug=french_slug)
    publishing.unpublish(release=english, by=editor, note="Wrong release.")
    switcher = language_switch(client, english.get_absolute_url())
    assert f'href="{french.get_absolute_url()}"' in switcher
    publishing.unpublish(release=french, by=editor, note="Erreur.")
    switcher = language_switch(client, english.get_absolute_url())
    assert 'href="/fr/communiques/"' in switcher


def test_every_former_address_of_an_unpublished_release_answers_410(client, editor):
    """The old address is the one that went out in alerts and feeds."""
    release = make_release(headline="Published In Error", slug="first-slug")
    old_url, old_text_url = release.get_absolute_url(), release.get_text_url()
    release.slug = "second-slug"
    publishing.minor_edit(release=release, by=editor)
    assert client.get(old_url).status_code == 301
    publishing.unpublish(release=release, by=editor, note="Wrong release.")
    for url in (old_url, release.get_absolute_url(), old_text_url):
        response = client.get(url)
        assert response.status_code == 410, url
        assert "Published In Error" not in response.text


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "This release was withdrawn on May 12, 2021."),
        ("fr", "Ce communiqué a été retiré le 12 mai 2021."),
    ],
)
def test_the_withdrawn_banner_says_when(client, editor, language, said):
    release = make_release(language=language, publish_at=datetime(2021, 5, 9, 9, tzinfo=TORONTO))
    with time_machine.travel(datetime(2021, 5, 12, 15, tzinfo=TORONTO), tick=False):
        publishing.withdraw(release=release, by=editor, reason="The figures were wrong.")
    banner = re.search(
        r'<div class="banner banner--withdrawn".*?</div>',
        client.get(release.get_absolute_url()).text,
        re.S,
    )
    assert said in banner.group(0)
    assert 'datetime="2021-05-12T15:00:00-04:00"' in banner.group(0)


def test_a_withdrawn_page_is_dated_by_its_withdrawal_for_search_engines(client, editor):
    """The page changed when the banner went up: its JSON-LD dateModified and its
    article:modified_time say so, not its publication or last correction."""
    release = make_release(publish_at=datetime(2021, 5, 9, 9, tzinfo=TORONTO))
    with time_machine.travel(datetime(2021, 5, 12, 15, tzinfo=TORONTO), tick=False):
        publishing.withdraw(release=release, by=editor, reason="The figures were wrong.")
    page = client.get(release.get_absolute_url()).text
    assert '"dateModified":"2021-05-12T15:00:00-04:00"' in page
    assert '<meta property="article:modified_time" content="2021-05-12T15:00:00-04:00">' in page
