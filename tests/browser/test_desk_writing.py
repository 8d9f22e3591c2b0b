"""Writing in Chromium: the body editor fills the column and shows at least 20 lines, and
spellcheck is on in the release's language."""

import pytest

from tests.browser.conftest import ARTIFACTS, PASSWORD, sign_in
from tests.browser.test_accessibility import check_page
from tests.factories import make_release, make_staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def author_page(page, live_server):
    make_staff("Authors", username="author", password=PASSWORD)
    return sign_in(page, live_server.url, "author")


def editor_of(page):
    editor = page.locator(".field-body .ProseMirror[contenteditable]")
    editor.wait_for()
    return editor


def test_the_body_editor_fills_the_column_and_shows_at_least_twenty_lines(
    author_page, live_server, screenshot
):
    author_page.goto(live_server.url + "/admin/releases/release/add/")
    editor = editor_of(author_page)
    line = editor.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    box = editor.bounding_box()
    assert box["height"] >= 20 * line
    summary = author_page.locator("#id_summary").bounding_box()
    assert box["height"] > summary["height"]
    # At least as wide as the summary above it.
    assert box["width"] >= summary["width"] - 1
    screenshot("writing-add-1280")
    author_page.set_viewport_size({"width": 390, "height": 844})
    assert author_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("writing-add-390")


def test_spellcheck_follows_the_releases_language(author_page, live_server):
    release = make_release(published=False, language="fr", headline="Semaine de la police")
    author_page.goto(live_server.url + f"/admin/releases/release/{release.pk}/change/")
    editor = editor_of(author_page)
    author_page.wait_for_function(
        "document.querySelector('.field-body .ProseMirror').getAttribute('lang') === 'fr'"
    )
    assert editor.get_attribute("spellcheck") == "true"
    assert author_page.get_attribute("#id_headline", "lang") == "fr"
    author_page.select_option("#id_language", "en")
    assert editor.get_attribute("lang") == "en"
    assert author_page.get_attribute("#id_summary", "lang") == "en"
    # Typing keeps the attributes (the editor redraws its element).
    editor.click()
    author_page.keyboard.type(" Encore une phrase.")
    assert editor.get_attribute("lang") == "en"
    assert editor.get_attribute("spellcheck") == "true"


def test_the_history_shows_changed_words_marked(page, live_server, screenshot):
    from django.contrib.auth.models import User

    from releases.workflow import publishing

    release = make_release(
        published=False,
        body="<p>Drivers are reminded to slow down on icy roads this winter.</p>",
    )
    release.body = "<p>Drivers are reminded to slow down on snowy roads this winter.</p>"
    publishing.save_draft(release=release, by=None)
    User.objects.create_superuser("boss", "boss@example.org", PASSWORD)
    sign_in(page, live_server.url, "boss")
    check_page(page, live_server.url + f"/admin/releases/release/{release.pk}/history/")
    assert page.locator(".word-diff del").first.inner_text() == "icy"
    assert page.locator(".word-diff ins").first.inner_text() == "snowy"
    screenshot("history-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("history-390")


def test_the_whole_web_address_follows_its_field(author_page, live_server, screenshot):
    release = make_release(published=False, headline="Police Week", slug="police-week")
    author_page.goto(live_server.url + f"/admin/releases/release/{release.pk}/change/")
    shown = author_page.locator("[data-web-address-slug]")
    assert shown.inner_text() == "police-week"
    author_page.fill("#id_slug", "national-police-week")
    assert shown.inner_text() == "national-police-week"
    author_page.locator(".field-slug").screenshot(path="test-artifacts/web-address-1280.png")


def test_the_live_preview_follows_the_typing(author_page, live_server):
    from playwright.sync_api import expect

    release = make_release(published=False, headline="Police Week", dateline_city="Ottawa")
    author_page.set_viewport_size({"width": 1600, "height": 1000})
    author_page.goto(live_server.url + f"/admin/releases/release/{release.pk}/change/")
    preview = author_page.locator(".live-preview__page")
    expect(preview.locator("h1")).to_have_text("Police Week")  # inside its shadow root
    assert preview.locator(".release__end-mark").count() == 1
    author_page.fill("#id_headline", "Police Week Opens Across Canada")
    expect(preview.locator("h1")).to_have_text("Police Week Opens Across Canada")
    # The checklist beside the workflow's buttons follows the typing too, before any save.
    box = author_page.locator(".workflow .checklist")
    expect(box).not_to_contain_text("The headline has")
    author_page.fill("#id_headline", "Police " * 20)
    expect(box).to_contain_text("The headline has 139 characters")  # the last space trimmed
    author_page.fill("#id_headline", "Police Week Opens Across Canada")
    expect(box).not_to_contain_text("The headline has")
    author_page.locator(".field-body .ProseMirror:visible").click()
    author_page.keyboard.press("Control+End")
    author_page.keyboard.type(" Typed just now.")
    expect(preview.locator(".release-body")).to_contain_text("Typed just now.")
    form_box = author_page.locator("#release_form").bounding_box()
    assert preview.bounding_box()["x"] > form_box["x"] + form_box["width"] - 1  # beside it
    author_page.screenshot(path=str(ARTIFACTS / "live-preview-1600.png"))
    release.refresh_from_db()
    assert release.headline == "Police Week"  # the preview saved nothing


def test_a_full_stop_typed_after_a_link_stays_outside_it(author_page, live_server):
    release = make_release(
        published=False, body='<p>Visit <a href="https://www.cacp.ca/">the CACP</a></p>'
    )
    author_page.goto(live_server.url + f"/admin/releases/release/{release.pk}/change/")
    editor = author_page.locator(".field-body .ProseMirror:visible")
    editor.click()
    author_page.keyboard.press("Control+End")
    author_page.keyboard.type(".")
    assert editor.locator("a").inner_text() == "the CACP"
    assert editor.inner_text().strip() == "Visit the CACP."


def test_the_block_style_menu_draws_its_arrow_instead_of_a_missing_glyph(author_page, live_server):
    release = make_release(published=False)
    author_page.goto(live_server.url + f"/admin/releases/release/{release.pk}/change/")
    arrow = author_page.locator(".prose-menubar__selected").first
    arrow.wait_for()
    content = arrow.evaluate("e => getComputedStyle(e, '::after').content")
    assert content in ('""', "none", "")  # no character to miss from the fonts


def test_the_body_editor_speaks_french_in_the_french_admin(browser, live_server):
    """Its buttons' names (read aloud by screen readers, shown on hover), its block styles and
    its table dialog; choosing “Non” still means no header row."""
    release = make_release(published=False, body="<p>Texte.</p>")
    make_staff("Authors", username="auteur", password=PASSWORD)
    context = browser.new_context(locale="fr-CA", viewport={"width": 1280, "height": 900})
    page = sign_in(context.new_page(), live_server.url, "auteur")
    page.goto(live_server.url + f"/admin/releases/release/{release.pk}/change/")
    menubar = page.locator(".field-body .prose-menubar")
    bold = menubar.locator("button", has_text="format_bold")
    assert (bold.get_attribute("title"), bold.get_attribute("aria-label")) == ("Gras", "Gras")
    titles = menubar.locator("[title]").evaluate_all("buttons => buttons.map(b => b.title)")
    assert "Insérer un tableau" in titles and "Annuler" in titles
    assert not {"bold", "italic", "undo", "Insert table", "Delete row"} & set(titles)
    styles = menubar.locator(".prose-menubar__option").all_inner_texts()
    assert styles == ["Titre 2", "Titre 3", "Titre 4", "Paragraphe"]
    page.get_by_role("textbox", name="Texte").click()
    menubar.locator("button[title='Insérer un tableau']").click()
    dialog = page.locator("dialog.prose-editor-dialog")
    assert dialog.locator("option").all_inner_texts() == ["Oui", "Non"]
    dialog.locator("input[name=rows]").fill("2")
    dialog.locator("input[name=cols]").fill("2")
    dialog.locator("select").select_option(label="Non")
    dialog.locator("button[type=submit]").click()
    assert page.locator(".field-body .tiptap table th").count() == 0
    assert page.locator(".field-body .tiptap table td").count() == 4
    context.close()
