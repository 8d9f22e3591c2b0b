"""Pasting into the body editor in Chromium, with the HTML that Word, LibreOffice and Google
Docs put on the clipboard: headings, lists, links, tables, sub- and superscript are kept (the
headline keeps level 1 to itself), and what the body cannot hold is named beside the editor."""

from pathlib import Path

import pytest

from releases.models import Release
from tests.browser.conftest import ARTIFACTS, PASSWORD, log_in
from tests.factories import make_release, make_staff

pytestmark = pytest.mark.django_db(transaction=True)
# What each word processor puts on the clipboard (text/html), for the same short document.
PASTES = Path(__file__).resolve().parents[1] / "pastes"

WORD = (PASTES / "word.html").read_text()

LIBREOFFICE = (PASTES / "libreoffice.html").read_text()

GOOGLE_DOCS = (PASTES / "google-docs.html").read_text()

PASTE = """(editor, html) => {
  editor.focus();
  const data = new DataTransfer();
  data.setData("text/html", html);
  data.setData("text/plain", "");
  const event = new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true});
  editor.dispatchEvent(event);
}"""


@pytest.fixture
def editor_page(browser, live_server):
    make_staff("Editors", username="editor", password=PASSWORD)
    page = log_in(browser, live_server.url, "editor")
    yield page
    page.context.close()


@pytest.mark.parametrize(
    "source", [WORD, LIBREOFFICE, GOOGLE_DOCS], ids=["word", "libreoffice", "google-docs"]
)
def test_pasting_keeps_the_structure_of_a_word_processor_document(
    editor_page, live_server, source, request
):
    release = make_release(published=False, body="")
    editor_page.goto(live_server.url + f"/admin/releases/release/{release.pk}/change/")
    body = ".field-body .ProseMirror:visible"
    editor_page.locator(body).wait_for()
    editor_page.locator(body).evaluate(PASTE, source)

    editor = editor_page.locator(body)
    assert editor.locator("h2").first.inner_text() == "Police Week Opens"
    assert editor.locator("h1").count() == 0
    assert editor.locator("p").first.inner_text().startswith("OTTAWA")  # not glued to the heading
    assert editor.locator("ul > li").all_inner_texts() == ["Visit a station", "Meet an officer"]
    assert editor.locator("ol > li").all_inner_texts() == ["First step"]
    assert editor.locator("a[href='https://cacp.ca/']").inner_text() == "officer"
    assert editor.locator("table tr").count() == 2
    assert editor.locator("table td, table th").all_inner_texts()[-1] == "68,562"
    assert editor.locator("sub").inner_text() == "2"
    assert editor.locator("sup").first.inner_text() == "3"
    name = request.node.callspec.id
    ARTIFACTS.mkdir(exist_ok=True)
    editor_page.screenshot(path=str(ARTIFACTS / f"paste-{name}-1280.png"), full_page=True)

    editor_page.click("input[name=_continue]")
    editor_page.wait_for_selector(".workflow")
    saved = Release.objects.get(pk=release.pk).body
    assert "<h2>Police Week Opens</h2>" in saved
    assert "<table>" in saved and "<sub>2</sub>" in saved and "<sup>3</sup>" in saved


def test_what_the_body_cannot_hold_is_named_beside_the_editor(editor_page, live_server):
    release = make_release(published=False, body="")
    editor_page.goto(live_server.url + f"/admin/releases/release/{release.pk}/change/")
    body = ".field-body .ProseMirror:visible"
    editor_page.locator(body).wait_for()
    editor_page.locator(body).evaluate(PASTE, WORD)
    notice = editor_page.locator(".field-body .paste-notice").inner_text()
    assert "images (add them under “Images” below" in notice
    assert "footnotes" in notice
    assert editor_page.locator(f"{body} img").count() == 0
    assert editor_page.locator(f"{body} a[href*='_ftn']").count() == 0  # marks of dropped notes
    editor_page.locator(body).evaluate(PASTE, LIBREOFFICE)
    assert editor_page.locator(".field-body .paste-notice").inner_text() == ""
