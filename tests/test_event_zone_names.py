"""An advisory's event is placed in a time zone chosen from a list a communications officer
reads: Canada's zones by the names Canadians use, in English and in French, then every other by
its IANA name. What is stored stays the IANA name, and the desk's sentences name Canada's zones
as the list does."""

import re
from datetime import datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from formats.models import AdvisoryEvent
from releases.models import ReleaseType
from releases.workflow import publishing
from tests.factories import advisory_event_form, make_advisory, make_release, release_admin_form
from tests.test_advisory_event_form import posted_again

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
CANADA_IN_ENGLISH = [
    ("America/Vancouver", "Pacific time (Vancouver)"),
    ("America/Whitehorse", "Yukon time (Whitehorse)"),
    ("America/Edmonton", "Mountain time (Edmonton)"),
    ("America/Regina", "Saskatchewan time (Regina, no daylight saving)"),
    ("America/Winnipeg", "Central time (Winnipeg)"),
    ("America/Toronto", "Eastern time (Toronto, Ottawa)"),
    ("America/Halifax", "Atlantic time (Halifax)"),
    ("America/St_Johns", "Newfoundland time (St. John’s)"),
]
CANADA_IN_FRENCH = [
    ("America/Vancouver", "Heure du Pacifique (Vancouver)"),
    ("America/Whitehorse", "Heure du Yukon (Whitehorse)"),
    ("America/Edmonton", "Heure des Rocheuses (Edmonton)"),
    ("America/Regina", "Heure de la Saskatchewan (Regina, sans heure avancée)"),
    ("America/Winnipeg", "Heure du Centre (Winnipeg)"),
    ("America/Toronto", "Heure de l’Est (Toronto, Ottawa)"),
    ("America/Halifax", "Heure de l’Atlantique (Halifax)"),
    ("America/St_Johns", "Heure de Terre-Neuve (St. John’s)"),
]


def change_url(release) -> str:
    return reverse("admin:releases_release_change", args=[release.pk])


def page_in(client, url: str, language: str) -> str:
    client.cookies["django_language"] = language
    return client.get(url).text


def zone_select(page: str, prefix: str = "advisory_event-0") -> str:
    return re.search(rf'<select name="{prefix}-time_zone".*?</select>', page, re.S).group(0)


def groups(select: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The select's option groups: [(label, [(value, text), …]), …]."""
    return [
        (unescape(label), [(value, unescape(text)) for value, text in options(inside)])
        for label, inside in re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select, re.S)
    ]


def options(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', html)


def chosen(select: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)" selected>', select)


@pytest.fixture
def advisory():
    return make_release(published=False, release_type=ReleaseType.MEDIA_ADVISORY)


def saved_event(zone: str, *, published: bool = False):
    starts = datetime(2027, 1, 15, 11, tzinfo=ZoneInfo(zone))
    return make_advisory(
        published=published,
        event={"starts_at": starts, "ends_at": starts + timedelta(hours=1), "time_zone": zone},
    )


@pytest.mark.parametrize(
    "language, canada, elsewhere",
    [
        ("en", CANADA_IN_ENGLISH, ("Canada", "Elsewhere (region/city)")),
        ("fr", CANADA_IN_FRENCH, ("Canada", "Ailleurs (région/ville)")),
    ],
)
def test_the_zone_is_chosen_from_canadas_by_name_then_every_other(
    client, author, advisory, language, canada, elsewhere
):
    client.force_login(author)

    page = page_in(client, change_url(advisory), language)

    # The new event's form (“Add another”) starts in the newsroom's own zone.
    select = zone_select(page, "advisory_event-__prefix__")
    assert '<input type="text" name="advisory_event-__prefix__-time_zone"' not in page
    (first_label, first), (second_label, second) = groups(select)
    assert (first_label, second_label) == elsewhere
    assert first == canada
    assert chosen(select) == ["America/Toronto"]
    world = [value for value, _text in second]
    assert world == sorted(world) and all(text == value for value, text in second)
    assert {"Europe/Paris", "Asia/Tokyo", "America/New_York", "UTC"} <= set(world)
    # Canada's are not offered twice; legacy aliases are not offered at all.
    assert "America/Vancouver" not in world and "America/Toronto" not in world
    assert not {"US/Eastern", "Canada/Pacific", "EST5EDT", "Japan", "localtime"} & set(world)


def test_a_newsroom_outside_canada_is_offered_every_zone_in_one_list_from_its_own(
    client, author, advisory, settings
):
    settings.TIME_ZONE = "Europe/London"
    client.force_login(author)

    select = zone_select(page_in(client, change_url(advisory), "en"), "advisory_event-__prefix__")

    assert "<optgroup" not in select and "Canada" not in select
    offered = options(select)
    assert [value for value, _text in offered] == sorted(value for value, _text in offered)
    assert ("Europe/London", "Europe/London") in offered
    assert ("America/Vancouver", "Pacific time (Vancouver)") in offered
    assert chosen(select) == ["Europe/London"]


def test_the_help_says_to_choose_the_zone_not_to_type_it(client, author, advisory):
    client.force_login(author)
    english = unescape(page_in(client, change_url(advisory), "en"))
    french = unescape(page_in(client, change_url(advisory), "fr"))
    assert "e.g. America/Vancouver" not in english
    assert "Choose the time zone of the place where the event takes place" in english
    assert "p. ex. America/Vancouver" not in french
    assert "Choisissez le fuseau horaire du lieu de l’événement" in french


def test_a_new_event_is_saved_with_the_iana_name_chosen(client, author, advisory):
    client.force_login(author)
    form = release_admin_form(advisory) | advisory_event_form(time_zone="America/Halifax")

    response = client.post(change_url(advisory), form)

    assert response.status_code == 302, response.context["errors"]
    assert AdvisoryEvent.objects.get(release=advisory).time_zone == "America/Halifax"


@pytest.mark.parametrize("zone", ["Europe/Paris", "America/Moncton", "US/Pacific"])
def test_a_stored_zone_not_among_canadas_stays_chosen_and_saves_unchanged(client, author, zone):
    """Any IANA zone is kept, a legacy alias no longer offered (US/Pacific) included: saving
    the page unchanged never moves the event to the list's first zone."""
    advisory = saved_event(zone)
    before = AdvisoryEvent.objects.get(release=advisory)
    client.force_login(author)

    page = page_in(client, change_url(advisory), "en")

    assert chosen(zone_select(page)) == [zone]
    response = client.post(change_url(advisory), posted_again(page, advisory))
    assert response.status_code == 302, response.context["errors"]
    event = AdvisoryEvent.objects.get(release=advisory)
    assert (event.time_zone, event.starts_at, event.sequence) == (zone, before.starts_at, 0)


@pytest.mark.parametrize("crafted", ["Mars/Olympus_Mons", "../../etc/passwd", "", "America"])
def test_a_crafted_zone_is_refused_in_words_and_nothing_changes(client, author, crafted):
    advisory = saved_event("America/Vancouver")
    before = AdvisoryEvent.objects.values().get(release=advisory)
    client.force_login(author)
    form = posted_again(page_in(client, change_url(advisory), "en"), advisory)

    response = client.post(change_url(advisory), form | {"advisory_event-0-time_zone": crafted})

    assert response.status_code == 200
    errors = unescape(response.text)
    if crafted:
        assert f"“{crafted}” is not a time zone name" in errors
    else:
        assert "This field is required." in errors
    assert AdvisoryEvent.objects.values().get(release=advisory) == before


@pytest.mark.parametrize(
    "language, name", [("en", "Pacific time (Vancouver)"), ("fr", "Heure du Pacifique (Vancouver)")]
)
def test_the_page_that_only_shows_the_event_names_its_zone(client, author, language, name):
    advisory = saved_event("America/Vancouver", published=True)  # an author only sees it
    client.force_login(author)

    page = page_in(client, change_url(advisory), language)

    event = page[page.index('id="advisory_event-group"') :]
    zone = re.search(
        r'<div class="form-row field-time_zone_named">(.*?)</div>\s*</div>', event, re.S
    )
    shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", unescape(zone.group(1))))
    assert name in shown
    assert "America/Vancouver" not in event


@pytest.mark.parametrize(
    "language, sentence",
    [
        (
            "en",
            "02:30 does not exist in Pacific time (Vancouver): the clocks jump forward an hour",
        ),
        (
            "fr",
            f"à 2{NBSP}h{NBSP}30 n’existe pas à l’heure du Pacifique (Vancouver){NBSP}: on avance",
        ),
    ],
)
def test_a_time_the_clocks_skip_names_the_zone_as_the_list_does(
    client, author, advisory, language, sentence
):
    client.force_login(author)
    client.cookies["django_language"] = language
    times = {"starts_at_0": "2027-03-14", "starts_at_1": "02:30", "ends_at_0": "2027-03-14"}
    event = advisory_event_form(time_zone="America/Vancouver", **times, ends_at_1="03:30")

    response = client.post(change_url(advisory), release_admin_form(advisory) | event)

    assert sentence in unescape(response.text)
    assert "America/Vancouver" not in unescape(response.text).split('class="errorlist')[1][:300]


def test_a_zone_without_a_name_for_people_keeps_its_iana_name_in_the_sentence(
    client, author, advisory
):
    client.force_login(author)
    client.cookies["django_language"] = "fr"
    times = {"starts_at_0": "2027-03-28", "starts_at_1": "02:30", "ends_at_0": "2027-03-28"}
    event = advisory_event_form(time_zone="Europe/Paris", **times, ends_at_1="03:30")

    response = client.post(change_url(advisory), release_admin_form(advisory) | event)

    assert f"2{NBSP}h{NBSP}30 n’existe pas dans le fuseau Europe/Paris{NBSP}:" in unescape(
        response.text
    )


def test_the_desk_names_the_newsrooms_zone(client, author):
    client.force_login(author)
    english = unescape(page_in(client, reverse("admin:index"), "en"))
    french = unescape(page_in(client, reverse("admin:index"), "fr"))
    assert "Times are in the newsroom’s time zone, Eastern time (Toronto, Ottawa)." in english
    assert (
        "Les heures sont dans le fuseau horaire de la salle de presse, heure de l’Est "
        "(Toronto, Ottawa)." in french
    )


@pytest.mark.parametrize(
    "language, help_text, missing",
    [
        (
            "en",
            "Eastern time (Toronto, Ottawa): EDT in summer, EST in winter.",
            'data-missing="{time} does not exist in Eastern time (Toronto, Ottawa): ',
        ),
        (
            "fr",
            f"Heure de l’Est (Toronto, Ottawa){NBSP}: HAE en été, HNE en hiver.",
            f'data-missing="Le {{time}} n’existe pas à l’heure de l’Est (Toronto, Ottawa){NBSP}: ',
        ),
    ],
)
def test_the_schedule_page_names_the_newsrooms_zone(
    client, author, editor, language, help_text, missing
):
    release = publishing.submit_for_review(release=make_release(published=False), by=author)
    publishing.approve(release=release, by=editor)
    client.force_login(editor)

    page = unescape(
        page_in(client, reverse("admin:releases_release_schedule", args=[release.pk]), language)
    )

    assert help_text in page
    assert missing in page
    assert 'data-zone="America/Toronto"' in page  # what the script reads stays the IANA name
