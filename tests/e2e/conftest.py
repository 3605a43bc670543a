"""Browser journeys: the real portal on Django's live server, driven in headless Chromium.

One Chromium per session; every page gets a fresh context (its own cookies), so two people
in one test are two browsers side by side. Any console error, CSP violation or uncaught
exception on a page fails the test, and a failing test leaves a screenshot of each page in
test-artifacts/screenshots/.
"""

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.world import PASSWORD, World, build_world

# Playwright's sync API keeps an event loop running in the test thread, and Django's ORM
# refuses to run beside one; the test thread only builds the world, so this is safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
E2E_DIR = Path(__file__).parent
SCREENSHOTS = Path("test-artifacts") / "screenshots"
MISSING_CHROMIUM = (
    "Browser journeys SKIPPED: Chromium not installed; "
    "install it with `apt-get install -y chromium`"
)


chromium_missing = pytest.StashKey[bool]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip = not CHROMIUM.exists() and os.environ.get("SMT_REQUIRE_BROWSER") != "1"
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.e2e)
            if skip:
                # Skipped before any setup (no database, no live server) and said once, loudly,
                # at the end of the run.
                item.add_marker(pytest.mark.skip(reason="Chromium not installed"))
                config.stash[chromium_missing] = True


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    if config.stash.get(chromium_missing, False):
        terminalreporter.write_line(MISSING_CHROMIUM, red=True, bold=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        # Only with SMT_REQUIRE_BROWSER=1 (CI): journeys that cannot run fail, never pass.
        pytest.fail(f"SMT_REQUIRE_BROWSER=1 but {CHROMIUM} is missing", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def world(live_server) -> World:
    return build_world()


@pytest.fixture
def world_with_one_sponsor(live_server) -> World:
    """The sponsor rule broken: one sponsor, so one division."""
    return build_world(sponsors_rule_holds=False)


@pytest.fixture
def browser_errors() -> list[str]:
    """Console errors, CSP violations and uncaught exceptions seen on this test's pages.

    A test that provokes one on purpose (a 403 page logs its status) checks and clears it.
    """
    return []


@pytest.fixture
def browser_contexts() -> list[BrowserContext]:
    return []


@pytest.fixture
def new_page(
    browser: Browser,
    live_server,
    browser_errors: list[str],
    browser_contexts: list[BrowserContext],
) -> Iterator[Callable[[], Page]]:
    """Open a page in a new context, under the portal's real Content-Security-Policy."""

    def open_page() -> Page:
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(10_000)
        browser_contexts.append(context)
        page = context.new_page()
        # Chromium reports CSP violations as console errors, so this catches both.
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and browser_errors.append(f"{page.url}: console error: {message.text}")
            ),
        )
        page.on("pageerror", lambda error: browser_errors.append(f"{page.url}: {error}"))
        return page

    yield open_page
    for context in browser_contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


@pytest.fixture
def sign_in(new_page, live_server) -> Callable[[str], Page]:
    """sign_in(role) signs the demo person in through the login form and returns the page."""

    def sign_in_as(username: str) -> Page:
        page = new_page()
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(f"{live_server.url}/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
        return page

    return sign_in_as


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.when != "call":
        return report
    errors = item.funcargs.get("browser_errors")
    if errors:
        if report.passed:
            report.outcome = "failed"
            report.longrepr = "The browser reported errors:\n" + "\n".join(errors)
        else:
            report.sections.append(("Browser errors", "\n".join(errors)))
    if report.failed:
        report.sections.append(("Screenshots", "\n".join(_save_screenshots(item))))
    return report


def _save_screenshots(item: pytest.Item) -> list[str]:
    contexts = item.funcargs.get("browser_contexts") or []
    pages = [page for context in contexts for page in context.pages]
    saved = []
    folder = item.config.rootpath / SCREENSHOTS
    if pages:
        folder.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.\[\]-]+", "_", item.name)
    # The newest page is where the journey stopped; earlier ones get a number.
    for number, page in enumerate(reversed(pages)):
        path = folder / (f"{name}.png" if number == 0 else f"{name}-{number + 1}.png")
        try:
            page.screenshot(path=path, full_page=True)
        except Exception as error:  # a crashed page must not hide the test's own failure
            saved.append(f"{path}: not saved: {error}")
        else:
            saved.append(str(path))
    return saved
