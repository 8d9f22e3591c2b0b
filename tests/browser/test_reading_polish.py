"""The reader's side on a phone and on paper, in Chromium: a compact header, the headline in the
first screen, the organisation named once, the quote read as one sentence, dates styled alike,
and printouts that spell out addresses."""

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.django_db(transaction=True)
DEMO_PATH = (
    "/en/releases/2021/05/09/national-police-week-working-together-to-keep-our-communities-safe/"
)
ORGANISATION = "Canadian Association of Chiefs of Police"


@pytest.fixture
def demo_site(live_server):
    call_command("load_demo", verbosity=0)
    return live_server.url


@pytest.mark.parametrize("path", ["/en/", DEMO_PATH, "/fr/", "/en/search/?q=police"])
def test_the_phone_header_is_compact_and_never_a_tower(phone, demo_site, path):
    """The English navigation fits one row; the French one, whose words are longer, takes a
    second rather than hiding a link past the edge (tests/browser/test_accessibility.py)."""
    phone.goto(demo_site + path)
    header = phone.locator(".site-header").bounding_box()
    french = path.startswith("/fr/")
    assert header["height"] <= (120 if french else 100), header
    tops = {round(item.bounding_box()["y"]) for item in phone.locator(".site-nav li").all()}
    assert len(tops) == (2 if french else 1), "the navigation is a tower"


def test_on_a_phone_the_headline_is_in_the_first_screen_and_the_name_shown_once(phone, demo_site):
    phone.goto(demo_site + DEMO_PATH)
    headline = phone.locator("h1").bounding_box()
    assert headline["y"] + headline["height"] <= 844
    # The footer names it too, far below; the first screen names it once (the header).
    in_first_screen = phone.eval_on_selector_all(
        "body *",
        f"""nodes => nodes.filter(n => n.children.length === 0 && n.innerText &&
             n.innerText.includes({ORGANISATION!r}) && n.getClientRects().length &&
             n.getBoundingClientRect().top < 844).length""",
    )
    assert in_first_screen == 1
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "release-phone.png"))


def test_the_quote_and_its_attribution_read_as_one_sentence_in_one_typeface(page, demo_site):
    page.goto(demo_site + DEMO_PATH)
    words = page.locator("figure.quote blockquote p")
    said = page.locator("figure.quote figcaption")
    assert words.inner_text().startswith("\u201cAcross the nation")
    assert words.inner_text().endswith(",\u201d")
    style = "el => [getComputedStyle(el).fontFamily, getComputedStyle(el).fontStyle]"
    assert words.evaluate(style) == said.evaluate(style)
    # One line of text runs on: the attribution starts on the line the words end on.
    last_line = words.evaluate("el => { const r = el.getClientRects(); return r[r.length-1].top }")
    first_line = said.evaluate("el => el.getClientRects()[0].top")
    assert abs(last_line - first_line) < 2


def test_published_and_updated_dates_are_styled_alike(page, demo_site):
    from releases.models import Release

    Release.objects.update(updated_at=Release.objects.get().publish_at)
    from pagecache import caching

    caching.invalidate()
    page.goto(demo_site + DEMO_PATH)
    style = "el => [getComputedStyle(el).fontSize, getComputedStyle(el).color]"
    assert page.locator(".release__published").evaluate(style) == page.locator(
        ".release__updated"
    ).evaluate(style)


def test_print_spells_out_addresses_and_names_the_page(page, demo_site):
    page.goto(demo_site + DEMO_PATH)
    page.emulate_media(media="print")
    link = page.locator("figure.quote cite a")
    after = link.evaluate("el => getComputedStyle(el, '::after').content")
    assert f"({settings.SITE_URL}/en/spokespeople/bryan-larkin/)" in after
    footer = page.locator(".print-address")
    assert footer.is_visible()
    assert f"{settings.SITE_URL}{DEMO_PATH}" in footer.inner_text()
    assert page.locator(".release__organisation").is_visible()
    assert not page.locator(".site-header").is_visible()


def test_a_wide_table_scrolls_sideways_on_a_phone_rather_than_breaking_words(phone, live_server):
    from tests.factories import make_release

    words = ["Saskatchewan", "Newfoundland", "Administration", "Communications", "Headquarters"]
    header = "".join(f"<th>{word}</th>" for word in words)
    row = "".join(f"<td>{word}</td>" for word in reversed(words))
    release = make_release(
        body=f"<p>Figures.</p><table><tr>{header}</tr><tr>{row}</tr></table><p>End.</p>"
    )
    phone.goto(live_server.url + release.get_absolute_url())
    table = phone.locator(".release-body table")
    assert table.evaluate("el => el.scrollWidth > el.clientWidth"), "the table does not scroll"
    lines_per_cell = phone.eval_on_selector_all(
        ".release-body th, .release-body td",
        """cells => cells.map(cell => {
             const range = document.createRange();
             range.selectNodeContents(cell);
             return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
           })""",
    )
    assert lines_per_cell == [1] * 2 * len(words), "a word is broken across lines"
    page_width = phone.evaluate("document.documentElement.scrollWidth")
    assert page_width <= phone.viewport_size["width"], "the whole page scrolls sideways"


def test_a_printout_lists_the_documents_with_their_addresses_and_not_the_related_releases(
    page, live_server
):
    """Paper cannot follow a link: the documents' whole addresses are printed; the related
    releases are the screen's navigation."""
    from tests.factories import make_campaign, make_release
    from tests.imagefiles import store_document

    campaign = make_campaign()
    make_release(headline="An Earlier Release", campaign=campaign)
    release = make_release(headline="With A Fact Sheet", campaign=campaign)
    document = store_document(release, title="Fact sheet")
    page.goto(live_server.url + release.get_absolute_url())
    assert page.locator(".related").is_visible()
    page.emulate_media(media="print")
    documents = page.locator(".release__documents")
    assert documents.is_visible() and "Fact sheet" in documents.inner_text()
    assert f"{settings.SITE_URL}{document.get_absolute_url()}" in documents.inner_text()
    assert not page.locator(".related").is_visible()
    assert not page.locator(".release__press-kit").is_visible()
