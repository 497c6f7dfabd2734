"""The page checks themselves: a page with each kind of problem must be caught, and a clean
page must pass (otherwise a green journey would prove nothing)."""

import pytest

from tests.e2e.conftest import Portal
from tests.e2e.helpers import SCREENSHOT_DIR, PageChecker

pytestmark = [pytest.mark.e2e]

ORIGIN = "http://checks.e2e.invalid"
CSP = "default-src 'self'; style-src 'self'; script-src 'self'"

CLEAN = """<!doctype html><html lang="en-GB"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Clean</title>
<link rel="stylesheet" href="/clean.css"></head>
<body><main><h1>Clean page</h1><form><label for="q">Search</label><input id="q"></form></main>
<footer><a href="/accessibility/">Accessibility statement</a></footer></body></html>"""

BROKEN = """<!doctype html><html lang="en-GB"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Broken</title>
<link rel="stylesheet" href="/broken.css"></head>
<body><main><h1>Broken page</h1><div class="wide">Too wide</div>
<div class="error-summary"><ul><li><a href="#nowhere">Name: enter a name</a></li></ul></div>
<p class="faint" id="twice">Faint text</p><p id="twice">Again</p>
<time datetime="2026-11-30T12:57:31.504093+00:00">Today</time>
<p style="color: red">Inline style</p><input id="unlabelled"></main>
<footer>No link here</footer><script>window.inlineScriptRan = true;</script></body></html>"""

CLEAN_CSS = "footer a { line-height: 2; }"
BROKEN_CSS = ".wide { width: 700px; } .faint { color: #bbb; }"


def serve(route):
    url = route.request.url
    if url.endswith(".css"):
        css = BROKEN_CSS if "broken" in url else CLEAN_CSS
        route.fulfill(status=200, content_type="text/css", body=css)
        return
    body = BROKEN if url.endswith("/broken/") else CLEAN
    route.fulfill(
        status=200,
        content_type="text/html; charset=utf-8",
        headers={"Content-Security-Policy": CSP},
        body=body,
    )


def test_checks_catch_every_kind_of_problem(browser):
    portal = Portal(browser, ORIGIN, PageChecker("self-test"))
    try:
        page = portal.new_page()
        page.route(f"{ORIGIN}/**", serve)

        page.goto("/clean/")
        portal.check(page, "clean")
        assert portal.problems() == []

        page.goto("/broken/")
        portal.check(page, "broken")
        report = portal.report()
        assert "broken (/broken/) at phone size: wider than the window" in report
        assert "div.wide" in report
        assert "label" in report  # axe: form elements must have labels
        assert "color-contrast" in report
        assert "no link to the accessibility statement" in report
        assert "links to #nowhere, which is not a field" in report
        assert "Content Security Policy" in report
        assert 'the id "twice" is used 2 times' in report
        assert "is not a valid date/time" in report
        assert (SCREENSHOT_DIR / "self-test-broken-phone.png").is_file()
        assert (SCREENSHOT_DIR / "self-test-broken-desktop.png").is_file()
    finally:
        portal.close()
        for size in ("phone", "desktop"):
            for step in ("clean", "broken"):
                (SCREENSHOT_DIR / f"self-test-{step}-{size}.png").unlink(missing_ok=True)
