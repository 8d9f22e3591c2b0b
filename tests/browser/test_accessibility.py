"""Every page kind in Chromium: zero axe-core violations, no Content-Security-Policy violation,
no sideways scrolling on a 390 px phone. Add a page kind with one line in PUBLIC_PAGES."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from django.core.management import call_command

from releases.models import Campaign, Release, Spokesperson, Topic

pytestmark = pytest.mark.django_db(transaction=True)

# kind -> how to find its address in the demo newsroom, for a language code.
PUBLIC_PAGES = {
    "home": lambda lang: f"/{lang}/",
    "release list": lambda lang: f"/{lang}/releases/",
    "year archive": lambda lang: f"/{lang}/releases/2021/",
    "month archive": lambda lang: f"/{lang}/releases/2021/05/",
    "release": lambda lang: Release.objects.get(language="en").get_absolute_url(),
    "campaign list": lambda lang: f"/{lang}/campaigns/",
    "campaign": lambda lang: f"/{lang}/campaigns/{Campaign.objects.first().slug}/",
    "spokesperson list": lambda lang: f"/{lang}/spokespeople/",
    "spokesperson": lambda lang: f"/{lang}/spokespeople/{Spokesperson.objects.first().slug}/",
    "topic": lambda lang: f"/{lang}/topics/{Topic.objects.first().slug}/",
    "search results": lambda lang: f"/{lang}/search/?q=police",
    "filtered list": lambda lang: f"/{lang}/releases/?type=news-release&year=2021",
    "not found": lambda lang: f"/{lang}/no-such-page/",
}
ADMIN_PAGES = {
    "admin login": lambda: "/admin/login/",
    "desk": lambda: "/admin/",
    "release changelist": lambda: "/admin/releases/release/",
    "release change form": lambda: f"/admin/releases/release/{Release.objects.first().pk}/change/",
    "release add form": lambda: "/admin/releases/release/add/",
    "release history": lambda: f"/admin/releases/release/{Release.objects.first().pk}/history/",
    "unpublish page": lambda: f"/admin/releases/release/{Release.objects.first().pk}/unpublish/",
    "campaign change form": lambda: (
        f"/admin/releases/campaign/{Campaign.objects.first().pk}/change/"
    ),
    "spokesperson change form": lambda: (
        f"/admin/releases/spokesperson/{Spokesperson.objects.first().pk}/change/"
    ),
    "topic add form": lambda: "/admin/releases/topic/add/",
    "media contact add form": lambda: "/admin/releases/mediacontact/add/",
    "organisation": lambda: "/admin/releases/organisation/",
    "subscribers": lambda: "/admin/alerts/subscriber/",
    "alerts per release": lambda: "/admin/alerts/releasealerts/",
    "sign-in attempts": lambda: "/admin/axes/accessattempt/",
}
LANGUAGES = ["en", "fr"]
# Nothing is left out of axe's scan: Django's autocomplete widgets are named by
# static/js/admin-autocomplete-names.js.
ADMIN_EXCLUDED = []

# Records every CSP violation the page reports, before any of its own scripts run.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
});
"""
axe = Axe()


@pytest.fixture
def demo_site(live_server):
    call_command("load_demo", verbosity=0)
    if not Topic.objects.exists():
        topic = Topic.objects.create(name_en="Community safety", slug="community-safety")
        Release.objects.first().topics.add(topic)
    return live_server.url


def check_page(page, url, exclude=None):
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    response = page.goto(url)
    results = axe.run(page, context={"exclude": exclude} if exclude else None)
    violations = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
    ]
    assert violations == [], "\n".join(violations)
    assert page.evaluate("window.__cspViolations") == []
    return response


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", PUBLIC_PAGES)
def test_public_page_kinds_have_no_accessibility_or_csp_violations_and_fit_a_phone(
    page, demo_site, kind, lang
):
    check_page(page, demo_site + PUBLIC_PAGES[kind](lang))
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_main_link_is_in_view_on_a_small_phone(page, demo_site, lang):
    """French words are longer: the navigation takes a second row rather than hiding a link
    past the edge of a 360-pixel screen."""
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(demo_site + f"/{lang}/")
    edges = page.evaluate(
        "[...document.querySelectorAll('.site-nav a')].map(link => {"
        "  const box = link.getBoundingClientRect(); return [box.left, box.right]; })"
    )
    assert edges, "no main navigation"
    assert all(left >= 0 and right <= 360 for left, right in edges), edges


def test_on_a_phone_a_link_at_the_top_leads_to_the_filters_below_the_results(page, demo_site):
    page.set_viewport_size({"width": 390, "height": 600})
    page.goto(demo_site + "/en/releases/")
    refine, heading = page.locator(".finder__refine a"), page.locator("#facets-heading")
    assert refine.is_visible()
    assert refine.bounding_box()["y"] < page.locator(".release-list").bounding_box()["y"]
    assert heading.bounding_box()["y"] > 600  # below the first screen
    refine.click()
    assert 0 <= heading.bounding_box()["y"] < 600 - heading.bounding_box()["height"]
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not refine.is_visible()  # beside the results, the filters need no link
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(demo_site + "/en/search/?q=police")
    assert page.locator(".finder__refine a").is_visible()


@pytest.fixture
def admin_page(page, demo_site):
    User.objects.create_superuser("editor", "editor@example.org", "correct horse battery staple")
    page.goto(demo_site + "/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct horse battery staple")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    return page


@pytest.mark.parametrize("kind", ADMIN_PAGES)
def test_key_admin_pages_have_no_accessibility_or_csp_violations(admin_page, demo_site, kind):
    response = check_page(admin_page, demo_site + ADMIN_PAGES[kind](), exclude=ADMIN_EXCLUDED)
    assert response.status == 200


@pytest.mark.parametrize("field", ["campaign", "topics"])
def test_an_open_autocomplete_has_no_accessibility_violations(admin_page, demo_site, field):
    admin_page.goto(demo_site + ADMIN_PAGES["release change form"]())
    admin_page.click(f".field-{field} .select2-selection")
    admin_page.wait_for_selector(".select2-results__option")
    # The list opens against its field (below, or above when the window has no room below),
    # inside the main landmark.
    field_box = admin_page.locator(f".field-{field} .select2-selection").bounding_box()
    list_box = admin_page.locator("main .select2-dropdown").bounding_box()
    assert abs(list_box["x"] - field_box["x"]) < 2
    below = list_box["y"] - (field_box["y"] + field_box["height"])
    above = field_box["y"] - (list_box["y"] + list_box["height"])
    assert -2 < below < 4 or -2 < above < 4
    results = axe.run(admin_page)
    found = [
        f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]
    assert found == [], "\n".join(found)


def test_the_release_body_editor_loads_under_the_content_security_policy(admin_page, demo_site):
    admin_page.add_init_script(RECORD_CSP_VIOLATIONS)
    admin_page.goto(demo_site + ADMIN_PAGES["release change form"]())
    editor = admin_page.locator(".field-body .ProseMirror[contenteditable]")
    editor.wait_for()
    assert editor.get_attribute("contenteditable") == "true"
    assert editor.get_attribute("aria-label") == "Body"
    assert "police" in editor.inner_text().lower()
    editor.click()
    admin_page.keyboard.type(" Typed under the policy.")
    assert "Typed under the policy." in editor.inner_text()
    assert admin_page.evaluate("window.__cspViolations") == []


def test_the_skip_link_is_first_visible_on_focus_and_moves_to_the_content(page, demo_site):
    page.goto(demo_site + "/en/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("element => element === document.activeElement")
    box = skip.bounding_box()
    assert box and box["y"] >= 0
    outline = skip.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
