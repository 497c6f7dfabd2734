"""The browser journeys: Playwright driving Debian's Chromium against pytest-django's live server.

One Chromium is started for the whole e2e package; each person in a journey gets their own
browser context (their own cookies), so a journey can switch between the author and the senior
team without signing out.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.apps import apps as django_apps

from tests.e2e.helpers import DESKTOP, SCREENSHOT_DIR, PageChecker, field
from tests.factories import TEST_PASSWORD

# Debian's Chromium (`apt-get install chromium`); E2E_CHROMIUM may point elsewhere.
CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    # Everything in this folder is a browser test, whether or not a module remembers the mark.
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


_skipped_because: list[str] = []


def pytest_terminal_summary(terminalreporter):
    # A skipped browser suite must not pass unnoticed in a long run of dots.
    if _skipped_because:
        terminalreporter.write_line(
            f"The browser journeys (tests/e2e) were skipped: {_skipped_because[0]}.",
            yellow=True,
            bold=True,
        )


def _browser_unavailable(reason: str):
    if os.environ.get("E2E_REQUIRED", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"E2E_REQUIRED is set but {reason}", pytrace=False)
    _skipped_because.append(reason)
    pytest.skip(
        f"Browser journeys skipped: {reason}. Install it with `apt-get install chromium` "
        "(never `playwright install`); CI sets E2E_REQUIRED=true so there they always run."
    )


@pytest.fixture(scope="package")
def playwright_driver():
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        _browser_unavailable(f"Chromium is not installed at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the dev requirements install it
        _browser_unavailable("the playwright Python package is not installed")

    # Playwright's sync API drives the browser from an asyncio event loop that stays registered
    # as the running loop of this thread while tests run. Django then sees "a running event
    # loop" and refuses every ORM call from the test (factories, asserting on rows) with
    # SynchronousOnlyOperation, although the calls are ordinary synchronous ones made from
    # plain test code, never from a coroutine. Allowing it only while Playwright runs (this
    # package's fixtures) keeps Django's guard on for the rest of the test suite.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    driver = sync_playwright().start()
    # CI machines are shared and slow at times: an assertion waits as long as an action does.
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)
    try:
        yield driver
    finally:
        driver.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(playwright_driver):
    browser = playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture
def portal(request, browser, live_server, settings):
    """A journey's view of the portal: `portal.sign_in(user)` gives a page signed in as that
    user in a browser context of their own, and `portal.check(page, step)` checks the page."""
    # Two-factor sign-in has its own tests (tests/portal); the journeys are about the pages.
    settings.TWO_FACTOR_REQUIRED = False
    # live_server tests run in transactions that end with a flush of every table, which also
    # empties the role groups a data migration created; put them back before users are made.
    from redbridge_portal.roles import sync_role_groups

    sync_role_groups(django_apps)

    journey = request.node.originalname.removeprefix("test_").replace("_", "-")
    # Screenshots left by an earlier version of this journey would mislead whoever looks.
    for old in SCREENSHOT_DIR.glob(f"{journey}-*.png"):
        old.unlink()
    portal = Portal(browser, live_server.url, PageChecker(journey))
    request.node.e2e_portal = portal
    yield portal
    portal.close()


class Portal:
    def __init__(self, browser, base_url: str, checker: PageChecker):
        self.browser = browser
        self.base_url = base_url
        self.checker = checker
        self.contexts = []
        self.browser_errors: list[str] = []

    def url(self, path: str) -> str:
        return self.base_url + path

    def new_page(self, *, viewport: dict | None = None):
        context = self.browser.new_context(
            viewport=viewport or DESKTOP, base_url=self.base_url, locale="en-GB"
        )
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        page = context.new_page()
        page.on("console", lambda message: self._console(page, message))
        page.on("pageerror", lambda error: self._error(page, f"JavaScript error: {error}"))
        page.on("response", lambda response: self._response(page, response))
        return page

    def _response(self, page, response) -> None:
        # A stylesheet, script or image the page needs that does not load (a missing static
        # file, an image the viewer may not see). Pages themselves may be 403/404 on purpose.
        if (
            response.status >= 400
            and response.request.resource_type != "document"
            and not response.url.endswith("/favicon.ico")
        ):
            self._error(page, f"{response.status} for {response.url}")

    def _console(self, page, message) -> None:
        text = message.text
        if message.type == "error" and "Content Security Policy" in text:
            self._error(page, f"Content Security Policy violation: {text}")

    def _error(self, page, text: str) -> None:
        self.browser_errors.append(f"{re.sub(r'^https?://[^/]+', '', page.url)}: {text}")

    def sign_in(
        self,
        user,
        *,
        viewport: dict | None = None,
        password: str = TEST_PASSWORD,
        page=None,
        lands_on: str | None = "/",
    ):
        """Sign in through the login page, as a person does, in a new browser context unless
        `page` is given. Waits to land on `lands_on` (the home page unless None)."""
        page = page or self.new_page(viewport=viewport)
        page.goto("/accounts/login/")
        field(page, "School email address").fill(user.email)
        field(page, "Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        if lands_on is not None:
            page.wait_for_url(self.url(lands_on))
        else:
            page.wait_for_load_state()
        return page

    def check(self, page, step: str, **options) -> None:
        self.checker.check(page, step, **options)

    def problems(self) -> list[str]:
        return self.checker.problems + [f"{e}" for e in self.browser_errors]

    def report(self) -> str:
        problems = self.problems()
        return f"{len(problems)} problem(s) on the pages of journey '{self.checker.journey}':\n" + (
            "\n".join(f"* {problem}" for problem in problems)
        )

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail a journey that reached its end with every page problem found on the way; when the
    journey broke first, add the problems found until then to its error."""
    try:
        result = yield
    except BaseException as error:
        portal = getattr(item, "e2e_portal", None)
        if portal is not None and portal.problems():
            error.add_note(portal.report())
        raise
    portal = getattr(item, "e2e_portal", None)
    if portal is not None and portal.problems():
        pytest.fail(portal.report(), pytrace=False)
    return result
