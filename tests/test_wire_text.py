"""The plain-text version, as a wire service expects it: the organisation's name on top, link
addresses kept as numbered references, typographic quotes."""

import pytest

from releases.models import Organisation
from tests.factories import make_release

pytestmark = pytest.mark.django_db


def text_of(client, release) -> str:
    response = client.get(release.get_text_url())
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def test_the_text_starts_with_the_organisations_name(client):
    Organisation.objects.create(name="Canadian Association of Chiefs of Police")
    release = make_release(headline="Working together")
    assert text_of(client, release).splitlines()[0] == "Canadian Association of Chiefs of Police"


def test_links_become_numbered_references_with_whole_addresses(client):
    release = make_release(
        body=(
            '<p>Read <a href="https://example.org/report">the report</a> and '
            '<a href="/en/campaigns/">our campaigns</a>; write to '
            '<a href="mailto:media@example.org">media</a>.</p>'
            '<p>Again <a href="https://example.org/report">the report</a>.</p>'
        )
    )
    text = text_of(client, release)
    assert "the report [1] and our campaigns [2]; write to media." in text
    assert "Again the report [1]." in text
    references = text.split("Links:\n", 1)[1].splitlines()
    assert references[:2] == [
        "[1] https://example.org/report",
        "[2] http://testserver/en/campaigns/",
    ]


def test_a_release_without_links_lists_none_and_quotes_are_typographic(client):
    release = make_release(body='<p>The theme is "Safe together".</p>')
    text = text_of(client, release)
    assert "Links:" not in text
    assert "The theme is \u201cSafe together\u201d." in text


def test_a_table_reads_as_one_line_per_row_and_a_list_as_one_line_per_item():
    from releases.text.html import plain_text

    body = (
        "<table><tr><th>Year</th><th>Officers</th></tr><tr><td>2021</td><td>5</td></tr></table>"
        "<ul><li>Ottawa</li><li>Toronto</li></ul><p>H<sub>2</sub>O</p>"
    )
    assert plain_text(body) == "Year | Officers\n2021 | 5\n\n- Ottawa\n- Toronto\n\nH2O"
