"""Hostile markup in a release body never reaches a page: it is cleaned on save and on render."""

import re

import pytest

from releases.models import Release
from tests.factories import make_release

pytestmark = pytest.mark.django_db

PAYLOADS = {
    "script": "<p>Hi</p><script>alert('pwned')</script>",
    "script in attribute-less case": "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "event handler": '<p onclick="alert(1)">Click</p><img src=x onerror="alert(1)">',
    "javascript link": '<p><a href="javascript:alert(1)">link</a></p>',
    "obfuscated javascript link": '<p><a href="jav&#x09;ascript:alert(1)">link</a></p>',
    "data url link": '<p><a href="data:text/html;base64,PHNjcmlwdD4=">x</a></p>',
    "style element": "<style>body{display:none}</style><p>Text</p>",
    "style attribute": '<p style="position:fixed;top:0">Overlay</p>',
    "iframe": '<iframe src="https://evil.example/"></iframe><p>Text</p>',
    "svg": '<svg onload="alert(1)"><script>alert(1)</script></svg><p>Text</p>',
    "object": '<object data="evil.swf"></object><embed src="evil.swf">',
    "form": '<form action="https://evil.example/"><input name="password"></form>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "base": '<base href="https://evil.example/">',
    "comment trick": "<!--<script>alert(1)</script>--><p>Text</p>",
    "broken markup": '<p><a href="https://ok.example/" <script>alert(1)</script>x</a></p>',
}
FORBIDDEN = [
    r"<script",
    r"\son\w+\s*=",
    r"javascript:",
    r"data:",
    r"style\s*=",
    r"<style",
    r"<iframe",
    r"<svg",
    r"<object",
    r"<embed",
    r"<form",
    r"<input",
    r"<meta",
    r"<base",
    r"<img",
]


def body_of(html: str) -> str:
    start = html.index('<div class="release-body">')
    return html[start : html.index("</div>", start)]


def assert_harmless(fragment: str):
    for pattern in FORBIDDEN:
        assert not re.search(pattern, fragment, re.IGNORECASE), (pattern, fragment)


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_hostile_markup_is_removed_when_saved(payload):
    release = make_release(body=payload + "<p>Kept.</p>")
    release.refresh_from_db()
    assert "<p>Kept.</p>" in release.body
    assert_harmless(release.body)


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_hostile_markup_written_straight_to_the_database_is_removed_on_render(client, payload):
    """A body that skipped save() (a raw import, an old row) is cleaned again on the page."""
    release = make_release()
    Release.objects.filter(pk=release.pk).update(body=payload)
    response = client.get(release.get_absolute_url())
    assert response.status_code == 200
    assert_harmless(body_of(response.text))


def test_word_processor_paste_keeps_headings_lists_tables_links_and_emphasis_only(client):
    pasted = (
        '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p{}</style></head>'
        '<body><h2 class="MsoHeading2">Quick facts</h2>'
        '<p class="MsoNormal"><b>Bold</b>, <i>italic</i> and '
        '<a href="https://example.org/" target="_blank" style="color:red">a link</a>'
        '<span style="mso-spacerun:yes">  </span><o:p></o:p></p>'
        '<ul><li class="MsoListParagraph">One</li><li>Two</li></ul>'
        '<table class="MsoTableGrid" style="border:solid"><tr><td width="200" colspan="2">'
        "<p>cell</p></td></tr></table><p>H<sub>2</sub>O, 10<sup>6</sup></p>"
        '<h1 class="MsoTitle">Title</h1><h6>Small</h6><font color="red">old</font></body></html>'
    )
    release = make_release(body=pasted)
    body = body_of(client.get(release.get_absolute_url()).text)
    assert "<h2>Quick facts</h2>" in body
    assert '<table><tbody><tr><td colspan="2"><p>cell</p></td></tr></tbody></table>' in body
    assert "<p>H<sub>2</sub>O, 10<sup>6</sup></p>" in body
    assert "<h2>Title</h2>" in body and "<h4>Small</h4>" in body  # one <h1>: the headline
    assert "<ul><li>One</li><li>Two</li></ul>" in body
    assert '<a href="https://example.org/" rel="noopener noreferrer">a link</a>' in body
    assert "<strong>Bold</strong>, <em>italic</em>" in body
    for gone in ['class="Mso', "style", "target=", "width=", "<h1", "<font", "<span", "o:p"]:
        assert gone not in body
    assert_harmless(body)


def test_headline_markup_is_escaped_on_the_page(client):
    release = make_release(headline='<img src=x onerror="alert(1)">Headline')
    html = client.get(release.get_absolute_url()).text
    assert "<img src=x" not in html
    # Escaped (its quotation marks typeset, as every headline's are).
    assert re.search(r"&lt;img src=x onerror=[”“]alert\(1\)”&gt;Headline", html)
