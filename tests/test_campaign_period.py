"""A campaign's days written as readers of each language write a period: “May 9–15, 2021”,
« du 9 au 15 mai 2021 », not one whole date after the other."""

import re
from datetime import date
from html import unescape

import pytest
from django.utils import translation

from releases.text.languages import period_html
from tests.factories import make_campaign, make_organisation, make_release

pytestmark = pytest.mark.django_db


def text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html)).replace("\u00a0", " ")


@pytest.mark.parametrize(
    ("start", "end", "english", "french"),
    [
        (date(2021, 5, 9), date(2021, 5, 15), "May 9–15, 2021", "du 9 au 15 mai 2021"),
        (date(2021, 5, 1), date(2021, 5, 7), "May 1–7, 2021", "du 1er au 7 mai 2021"),
        (date(2021, 5, 30), date(2021, 6, 5), "May 30 – June 5, 2021", "du 30 mai au 5 juin 2021"),
        (
            date(2021, 12, 28),
            date(2022, 1, 3),
            "Dec. 28, 2021 – Jan. 3, 2022",
            "du 28 décembre 2021 au 3 janvier 2022",
        ),
        (date(2021, 5, 9), date(2021, 5, 9), "May 9, 2021", "9 mai 2021"),
    ],
)
def test_a_period_reads_as_each_language_writes_it(start, end, english, french):
    for language, expected in (("en", english), ("fr", french)):
        with translation.override(language):
            html = period_html(start, end)
        assert text(html) == expected
        # Machines read both ends.
        assert f'datetime="{start:%Y-%m-%d}"' in html
        assert f'datetime="{end:%Y-%m-%d}"' in html or start == end


def test_the_campaign_page_and_list_write_the_period(client):
    make_organisation()
    campaign = make_campaign(name_fr="Semaine nationale de la police")
    make_release(campaign=campaign)
    make_release(campaign=campaign, language="fr")
    assert "May 9–15, 2021" in text(client.get(campaign.get_absolute_url()).text)
    with translation.override("fr"):
        french = client.get(campaign.get_absolute_url()).text
    assert "Du 9 au 15 mai 2021" in text(french)  # standing alone, a capital
    assert "Du 9 au 15 mai 2021" in text(client.get("/fr/campagnes/").text)
