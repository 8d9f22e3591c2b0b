"""Browser tests drive Debian's Chromium (/usr/bin/chromium) through Playwright."""

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# The password of the staff the browser tests make (tests.factories.make_staff).
PASSWORD = "correct horse battery staple"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _live_server_settles(request):
    """After a test, the live server may still be answering what the browser asked last (a
    page's scripts, a preview): the database is emptied once those answers are written, or on
    SQLite, whose in-memory database the server's threads share, emptying it fails."""
    if "live_server" not in request.fixturenames:
        yield
        return
    server = request.getfixturevalue("live_server").thread.httpd
    _one_request_at_a_time_on_sqlite(server)
    yield
    threads = getattr(server, "_threads", None)  # a list once it has answered a request
    # Generous: under a loaded machine's whole suite an answer can take seconds, and emptying
    # the database under it breaks every later test of the worker. It returns at once when
    # nothing is being answered.
    deadline = time.monotonic() + 30
    for answering in list(threads) if isinstance(threads, list) else []:
        answering.join(max(0.0, deadline - time.monotonic()))


def _one_request_at_a_time_on_sqlite(server) -> None:
    """On SQLite the test database lives in memory, and the live server's threads share its
    one connection: two requests at once (the live preview's while a form is saved) would run
    their transactions on it together (“no such savepoint”). They are taken in turn there, as
    PostgreSQL's own connections make needless."""
    from django.db import connection

    if connection.vendor != "sqlite" or getattr(server, "requests_in_turn", False):
        return
    application, turn = server.get_app(), threading.Lock()

    def in_turn(environ, start_response):
        with turn:
            return application(environ, start_response)

    server.set_app(in_turn)
    server.requests_in_turn = True


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("NEWSROOM_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM}")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-CA", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    def take(name: str):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def phone(browser):
    """A page the size of a phone (390 × 844)."""
    context = browser.new_context(locale="en-CA", viewport={"width": 390, "height": 844})
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, base_url: str, username: str):
    """Sign ``page`` in to the admin as ``username`` (whose password is ``PASSWORD``)."""
    page.goto(base_url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    return page


def log_in(browser, base_url: str, username: str):
    """A new desktop page of its own, signed in as ``username``."""
    context = browser.new_context(locale="en-CA", viewport={"width": 1280, "height": 900})
    return sign_in(context.new_page(), base_url, username)
