from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from releases.models import Campaign, Release
from releases.workflow import publishing
from tests.factories import (
    future_year,
    make_campaign,
    make_quote,
    make_release,
    make_spokesperson,
)

TORONTO = ZoneInfo("America/Toronto")
pytestmark = pytest.mark.django_db


def test_campaign_cannot_end_before_it_starts_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_campaign(start_date=date(2021, 5, 9), end_date=date(2021, 5, 8))


def test_campaign_ending_before_start_is_a_form_error():
    campaign = Campaign(
        name_en="X", slug="x", start_date=date(2021, 5, 9), end_date=date(2021, 5, 8)
    )
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        campaign.full_clean()


def test_one_day_campaign_is_allowed():
    campaign = make_campaign(start_date=date(2021, 5, 9), end_date=date(2021, 5, 9))
    assert campaign.pk


def test_slug_is_unique_per_publication_date_and_language(now):
    first = make_release(slug="same", publish_at=now - timedelta(hours=1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Release.objects.create(
            headline="Twin", slug="same", dateline_city="Ottawa", publish_at=first.publish_at
        )


def test_same_slug_is_fine_on_another_date_or_in_another_language(now):
    make_release(slug="same", publish_at=now - timedelta(days=3))
    make_release(slug="same", publish_at=now - timedelta(days=4))
    make_release(slug="same", publish_at=now - timedelta(days=3), language="fr")
    assert Release.objects.filter(slug="same").count() == 3


def test_duplicate_slug_is_reported_by_validation(now):
    make_release(slug="same", publish_at=now - timedelta(hours=1))
    twin = make_release(slug="other", publish_at=now - timedelta(hours=1))
    twin.slug = "same"
    with pytest.raises(ValidationError, match="already uses this slug"):
        twin.full_clean()


def test_publication_date_is_the_local_date_of_the_publication_time():
    # 01:30 UTC on May 10 is still May 9 in Ottawa.
    release = make_release(publish_at=datetime(2021, 5, 10, 1, 30, tzinfo=ZoneInfo("UTC")))
    assert release.publication_date == date(2021, 5, 9)
    assert "/2021/05/09/" in release.get_absolute_url()


def test_english_dateline_reads_like_the_sample():
    release = make_release(publish_at=datetime(2021, 5, 9, 9, tzinfo=TORONTO))
    assert release.dateline == "Ottawa, ON, May 9, 2021"


def test_french_dateline_follows_french_convention():
    release = make_release(
        language="fr",
        dateline_region="Ontario",
        publish_at=datetime(2021, 5, 9, 9, tzinfo=TORONTO),
    )
    assert release.dateline == "Ottawa (Ontario), le 9 mai 2021"


def test_distribution_line_states_the_embargo_with_its_zone_until_it_lifts(tomorrow):
    year = future_year(5, 9)
    release = make_release(publish_at=datetime(year, 5, 9, 6, tzinfo=TORONTO))
    weekday = f"{datetime(year, 5, 9):%A}"  # as the convention writes it: "Sunday May 9, 2021"
    assert release.distribution_line == f"EMBARGOED UNTIL 06:00 EDT, {weekday} May 9, {year}"
    public = make_release()
    assert public.distribution_line == "FOR IMMEDIATE RELEASE"


def test_quote_keeps_the_attribution_it_was_given_when_the_title_changes():
    person = make_spokesperson(
        honorific_en="Chief",
        name="Bryan Larkin",
        title_en="President",
        organisation_name_en="Canadian Association of Chiefs of Police",
    )
    quote = make_quote(make_release(), spokesperson=person)
    assert quote.attribution == (
        "Chief Bryan Larkin, President of the Canadian Association of Chiefs of Police"
    )
    person.title_en = "Past President"
    person.save()
    quote.refresh_from_db()
    assert "President of the Canadian" in quote.attribution
    assert "Past President" not in quote.attribution


def test_quotes_are_placed_after_their_paragraph():
    release = make_release(body="<p>One.</p><p>Two.</p><p>Three.</p>")
    make_quote(release, text="After two.", position=2)
    blocks = release.body_with_quotes()
    kinds = [b.get("html") or b["quote"].text for b in blocks]
    assert kinds == ["<p>One.</p>", "<p>Two.</p>", "After two.", "<p>Three.</p>"]


def test_a_heading_is_not_counted_as_a_paragraph_when_placing_quotes():
    """A pasted heading above the text made “after paragraph 2” print after the first."""
    release = make_release(
        body="<h2>Background</h2><p>One.</p><ul><li>Two.</li></ul><h3>More</h3><p>Three.</p>"
    )
    make_quote(release, text="After two.", position=2)
    make_quote(release, text="After three.", position=3)
    blocks = release.body_with_quotes()
    kinds = [b.get("html") or b["quote"].text for b in blocks]
    assert kinds == [
        "<h2>Background</h2>",
        "<p>One.</p>",
        "<ul><li>Two.</li></ul>",
        "After two.",
        "<h3>More</h3>",
        "<p>Three.</p>",
        "After three.",
    ]


def test_body_is_sanitised_on_save():
    release = make_release(
        body=(
            '<p onclick="x()">Hello <script>alert(1)</script><b>bold</b>'
            ' <a href="javascript:alert(1)">link</a><span style="color:red">red</span></p>'
            "<style>p{}</style><h2>Heading</h2><ul><li>item</li></ul>"
        )
    )
    assert "script" not in release.body
    assert "onclick" not in release.body
    assert "javascript" not in release.body
    assert "style" not in release.body
    assert "<h2>Heading</h2>" in release.body
    assert "<ul><li>item</li></ul>" in release.body


def test_control_characters_are_removed_from_the_headline():
    release = make_release(headline="Bad\x0b char\x00acters")
    assert release.headline == "Bad characters"


def test_a_control_character_between_words_leaves_one_space_in_a_one_line_text():
    release = make_release(
        headline="Bell and \x07 vertical tab \x0b", body="<p>Two  spaces\x07 kept.</p>"
    )
    assert release.headline == "Bell and vertical tab"
    assert "Two  spaces kept." in release.body  # a body's spacing is the sanitiser's business


def test_control_characters_are_removed_from_every_typed_text(client):
    """A vertical tab pasted from a word processor, or a NUL (which PostgreSQL refuses), is
    dropped from whatever staff type: an advisory's place, a dateline, a topic's name in each
    language, a contact, a campaign's theme; the calendar never carries one."""
    from formats.models import AdvisoryEvent
    from releases.models import MediaContact, Topic
    from tests.factories import make_advisory, make_contact, make_topic

    advisory = make_advisory(
        dateline_city="Ott\x0bawa", event={"venue": "Press\x0b Theatre", "address": "150 W\x1bSt"}
    )
    event = AdvisoryEvent.objects.get(release=advisory)
    assert (event.venue, event.address) == ("Press Theatre", "150 WSt")
    assert Release.objects.get(pk=advisory.pk).dateline_city == "Ottawa"
    topic = make_topic(name_en="Safe\x0bty", name_fr="Sécu\x00rité")
    assert Topic.objects.filter(pk=topic.pk).values_list("name_en", "name_fr").get() == (
        "Safety",
        "Sécurité",
    )
    contact = make_contact(name="Jane\x08 Doe")
    assert MediaContact.objects.get(pk=contact.pk).name == "Jane Doe"
    campaign = make_campaign(theme_en="Together\x0c", theme_fr="Ensemble\x0c")
    assert Campaign.objects.filter(pk=campaign.pk).values_list("theme_en", "theme_fr").get() == (
        "Together",
        "Ensemble",
    )
    publishing.correct(release=advisory, by=None, note="The briefing is in the hall.")
    event = advisory.advisory_event
    event.venue = "Hall\x0b"
    event.save()
    calendar = client.get(advisory.get_absolute_url().rstrip("/") + ".ics").content
    assert b"\x0b" not in calendar and b"\x1b" not in calendar
    assert b"Hall" in calendar


def test_the_featured_campaign_is_on_now_else_the_next_never_a_past_one_in_one_query(
    django_assert_num_queries,
):
    today = date(2024, 5, 10)
    make_campaign(start_date=date(2023, 5, 7), end_date=date(2023, 5, 13))
    make_campaign(start_date=date(2022, 5, 8), end_date=date(2022, 5, 14))
    with django_assert_num_queries(1):
        assert Campaign.objects.featured(today) is None
    make_campaign(start_date=date(2024, 9, 1), end_date=date(2024, 9, 7))
    sooner = make_campaign(start_date=date(2024, 6, 1), end_date=date(2024, 6, 7))
    assert Campaign.objects.featured(today) == sooner
    make_campaign(start_date=date(2024, 5, 9), end_date=date(2024, 5, 20))
    on_now = make_campaign(start_date=date(2024, 5, 5), end_date=date(2024, 5, 11))
    assert Campaign.objects.featured(today) == on_now


def test_quotes_stored_before_headings_stopped_counting_print_where_they_did():
    """The migration renumbers positions counted in blocks as paragraphs."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("releases.migrations.0027_quote_positions_count_paragraphs")
    release = make_release(body="<h2>Background</h2><p>One.</p><h3>More</h3><p>Two.</p>")
    after_one = make_quote(release, text="After one.", position=2)  # blocks: h2, p
    after_more = make_quote(release, text="After More.", position=3)  # blocks: h2, p, h3
    at_the_end = make_quote(release, text="At the end.", position=9)
    plain = make_quote(make_release(body="<p>One.</p><p>Two.</p>"), text="Plain.", position=1)
    migration.count_paragraphs_not_blocks(apps, None)
    for quote, position in ((after_one, 1), (after_more, 1), (at_the_end, 9), (plain, 1)):
        quote.refresh_from_db()
        assert quote.position == position, quote.text
    blocks = [b.get("html") or b["quote"].text for b in release.body_with_quotes()]
    assert blocks.index("After one.") == blocks.index("<p>One.</p>") + 1
