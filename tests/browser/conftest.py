"""Headless Chromium (Debian's package) driven by Playwright against live_server.

When /usr/bin/chromium is missing the browser tests are skipped with a clear
reason, unless KB_REQUIRE_BROWSER=1 (set by .ci/run), where they fail instead.
"""

import os
from pathlib import Path

import pytest

from tests.conftest import load_test_kb

CHROMIUM = Path(os.environ.get("KB_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# Playwright's sync API runs an event loop in this thread; Django's ORM must still be usable.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


SKIP_REASON = (
    f"browser tests skipped: Chromium not found at {CHROMIUM} "
    "(install it with `apt-get install -y chromium`; .ci/run does)"
)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("KB_REQUIRE_BROWSER") == "1":
            pytest.fail(SKIP_REASON.replace("skipped", "required"))
        pytest.skip(SKIP_REASON)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, transactional_db):
    """The live server with the test knowledge base (transactional tests start from an empty database)."""
    load_test_kb()
    return live_server


def _page(browser, viewport):
    context = browser.new_context(viewport=viewport, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


@pytest.fixture
def page(browser, site):
    context, page = _page(browser, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, site):
    context, page = _page(browser, PHONE)
    yield page
    context.close()


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
