"""What every browser journey checks on every page it visits.

`PageChecker.check(page, name)` runs axe-core for WCAG 2.0/2.1/2.2 A and AA at phone and
laptop sizes, checks nothing is wider than a 390 px phone, checks the footer links to the
accessibility statement and writes full-page screenshots of both sizes to var/screenshots/.
Problems are collected rather than raised at once, so one run of a journey lists every problem
on every page it reaches; the conftest fails the test with the whole list at the end (or adds
the list to the error if the journey itself broke first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SIZES = (("phone", PHONE), ("desktop", DESKTOP))

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}

SCREENSHOT_DIR = Path(settings.BASE_DIR) / "var" / "screenshots"

# The elements sticking out past the right edge of the viewport, outermost first, ignoring those
# inside a container that scrolls or clips sideways (a .table-responsive is allowed to scroll).
_OVERFLOW_SCRIPT = """
() => {
  const width = document.documentElement.clientWidth;
  const describe = (el) => {
    let text = el.tagName.toLowerCase();
    if (el.id) text += '#' + el.id;
    if (el.classList.length) text += '.' + Array.from(el.classList).join('.');
    return text;
  };
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if (x === 'auto' || x === 'scroll' || x === 'hidden' || x === 'clip') return true;
    }
    return false;
  };
  const sticksOut = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right > width + 0.5;
  };
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (!sticksOut(el) || clipped(el)) continue;
    if (el.parentElement && el.parentElement !== document.body && sticksOut(el.parentElement))
      continue;
    const r = el.getBoundingClientRect();
    const path = [];
    for (let p = el; p && p !== document.body; p = p.parentElement) path.unshift(describe(p));
    found.push(path.slice(-4).join(' > ') + ` (left ${Math.round(r.left)}, right `
      + `${Math.round(r.right)}, width ${Math.round(r.width)}): `
      + (el.outerHTML || '').slice(0, 160).replace(/\\s+/g, ' '));
    if (found.length >= 10) break;
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    offenders: found,
  };
}
"""

# Whether the element that has the keyboard focus shows it: an outline or a box shadow.
_FOCUS_SCRIPT = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  let text = el.tagName.toLowerCase();
  if (el.id) text += '#' + el.id;
  if (el.classList.length) text += '.' + Array.from(el.classList).join('.');
  const label = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim();
  return {element: text + ' "' + label.slice(0, 40) + '"', visible: outline || shadow};
}
"""

_ERROR_SUMMARY_SCRIPT = """
() => {
  const broken = [];
  for (const item of document.querySelectorAll('.error-summary li')) {
    const links = Array.from(item.querySelectorAll('a'));
    const text = item.textContent.trim().replace(/\\s+/g, ' ').slice(0, 90);
    if (!links.length) continue;  // a message about the whole form has no field to link to
    const own = links.filter((a) => (a.getAttribute('href') || '').startsWith('#'));
    if (links.length !== 1 || own.length !== 1) {
      const hrefs = links.map((a) => a.getAttribute('href')).join(', ');
      broken.push(`"${text}" has ${links.length} links (${hrefs})`);
      continue;
    }
    const id = own[0].getAttribute('href').slice(1);
    const target = document.getElementById(id);
    if (!target || !target.matches('input, select, textarea, fieldset, [tabindex]')) {
      broken.push(`"${text}" links to #${id}, which is not a field on the page`);
    }
  }
  return broken;
}
"""


# Ids used more than once (a label or error link then leads to the wrong field) and <time>
# values no parser accepts, in the page as it stands after any script and form error.
_MARKUP_SCRIPT = """
() => {
  const problems = [];
  const seen = new Map();
  for (const el of document.querySelectorAll('[id]')) {
    seen.set(el.id, (seen.get(el.id) || 0) + 1);
  }
  for (const [id, count] of seen) {
    if (count > 1) problems.push(`the id "${id}" is used ${count} times`);
  }
  const date = '\\\\d{4}-\\\\d{2}-\\\\d{2}';
  const time = '\\\\d{2}:\\\\d{2}(:\\\\d{2}(\\\\.\\\\d{1,3})?)?';
  const zone = '(Z|[+-]\\\\d{2}:?\\\\d{2})';
  const valid = new RegExp(`^(${date}([T ]${time}${zone}?)?|${time})$`);
  for (const el of document.querySelectorAll('time[datetime]')) {
    const value = el.getAttribute('datetime');
    if (!valid.test(value)) problems.push(`<time datetime="${value}"> is not a valid date/time`);
  }
  for (const form of document.querySelectorAll('form form')) {
    problems.push('a form inside a form');
  }
  return problems;
}
"""


def format_axe_violations(violations: list[dict]) -> str:
    """One line per rule, then the failing elements grouped by what is wrong with them (a
    contrast failure on forty links is one finding, not forty)."""
    lines = []
    for violation in violations:
        lines.append(
            f"  - {violation['id']} ({violation.get('impact') or 'no impact given'}): "
            f"{violation['help']} [{violation.get('helpUrl', '')}]"
        )
        groups: dict[str, list[dict]] = {}
        for node in violation["nodes"]:
            summary = [
                line.strip()
                for line in (node.get("failureSummary") or "").splitlines()[1:]
                if line.strip()
            ]
            groups.setdefault(" / ".join(summary) or "(no summary)", []).append(node)
        for summary, nodes in groups.items():
            lines.append(f"      {summary} -- {len(nodes)} element(s):")
            for node in nodes[:3]:
                target = ", ".join(str(part) for part in node["target"])
                html = re.sub(r"\s+", " ", node.get("html", ""))[:140]
                lines.append(f"        at {target}: {html}")
            if len(nodes) > 3:
                lines.append(f"        ... and {len(nodes) - 3} more")
    return "\n".join(lines)


def problems_at_size(page, size: dict, *, axe=None, measure: bool = True) -> list[str]:
    """Resize the page to `size` and check it there: nothing sticks out past the window's right
    edge (unless `measure` is false) and, given an axe-core runner, no WCAG A/AA violation."""
    page.set_viewport_size(size)
    # Let a layout change (the navigation collapsing) settle before measuring.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
    problems = []
    if measure:
        overflow = page.evaluate(_OVERFLOW_SCRIPT)
        if overflow["scrollWidth"] > overflow["innerWidth"]:
            details = "\n".join(f"      {o}" for o in overflow["offenders"])
            problems.append(
                f"wider than the window: scrollWidth {overflow['scrollWidth']} px > "
                f"{overflow['innerWidth']} px. Elements sticking out:\n"
                f"{details or '      (none found)'}"
            )
    if axe is not None:
        violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
        if violations:
            problems.append(
                f"axe-core found {len(violations)} WCAG A/AA violation(s):\n"
                + format_axe_violations(violations)
            )
    return problems


def _tab_to_next(page) -> str | None:
    """Press Tab once; the element it reaches if that element does not show its focus."""
    page.keyboard.press("Tab")
    focused = page.evaluate(_FOCUS_SCRIPT)
    return focused["element"] if focused and not focused["visible"] else None


@dataclass
class PageChecker:
    """Collects the problems found on the pages of one journey."""

    journey: str
    problems: list[str] = field(default_factory=list)
    pages_checked: list[str] = field(default_factory=list)
    _axe_runner: object = None

    def _axe(self):
        if self._axe_runner is None:
            from axe_playwright_python.sync_playwright import Axe

            self._axe_runner = Axe()
        return self._axe_runner

    def check(self, page, step: str, *, axe: bool = True, focus: bool = True) -> None:
        """Check the page the browser shows now, at phone and laptop sizes, and leave the
        viewport as it was. `axe=False` is only for the Django admin pages (a known gap in
        the accessibility statement); they are still screenshotted and measured."""
        name = f"{self.journey}-{step}"
        page.wait_for_load_state("load")
        original = page.viewport_size
        where = f"{name} ({_path(page.url)})"
        self.pages_checked.append(where)
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        try:
            for size_name, size in SIZES:
                found = problems_at_size(
                    page, size, axe=self._axe() if axe else None, measure=size_name == "phone"
                )
                self.problems.extend(f"{where} at {size_name} size: {p}" for p in found)
                page.screenshot(path=SCREENSHOT_DIR / f"{name}-{size_name}.png", full_page=True)
        finally:
            if original:
                page.set_viewport_size(original)
        for problem in page.evaluate(_MARKUP_SCRIPT):
            self.problems.append(f"{where}: {problem}")
        if axe:
            self._check_footer(page, where)
            self._check_error_summary(page, where)
            if focus:
                self._check_focus_visible(page, where)

    def _check_footer(self, page, where: str) -> None:
        links = page.locator("footer").get_by_role("link", name="Accessibility statement")
        if links.count() != 1 or not (links.first.get_attribute("href") or "").endswith(
            "/accessibility/"
        ):
            self.problems.append(
                f"{where}: the footer has no link to the accessibility statement (/accessibility/)"
            )

    def _check_error_summary(self, page, where: str) -> None:
        """Each entry in an error summary is one link to the field it is about (GOV.UK
        pattern): the field must exist, and no other link may be mixed into the entry."""
        broken = page.evaluate(_ERROR_SUMMARY_SCRIPT)
        if broken:
            self.problems.append(
                f"{where}: error summary entries that do not lead to their field: "
                + "; ".join(broken)
            )

    def _check_focus_visible(self, page, where: str, stops: int = 6) -> None:
        """Tab through the first few stops and check each shows where the focus is. The focus
        is put back at the top of the document afterwards (no click, so nothing changes)."""
        page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
        unseen = [element for _ in range(stops) if (element := _tab_to_next(page))]
        page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
        if unseen:
            self.problems.append(f"{where}: keyboard focus is not visible on: " + "; ".join(unseen))


def field(page_or_locator, label: str):
    """The form field with exactly this label; crispy forms add "*" to required fields' labels."""
    return page_or_locator.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def tick_the_self_check(page) -> None:
    """Tick every line of the post form's self-check, as its author does before sending."""
    checks = page.get_by_role("group", name="Self-check before you send it").get_by_role("checkbox")
    for index in range(checks.count()):
        checks.nth(index).check()


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def go_to(page, link_name) -> None:
    """Follow a link in the main navigation, as a person does: open the menu on a phone, then
    the menu group holding the link. `link_name` is the exact name, or a regular expression."""
    menu = page.get_by_role("button", name="Show or hide the menu")
    if menu.is_visible() and menu.get_attribute("aria-expanded") != "true":
        menu.click()
    exact = {"exact": True} if isinstance(link_name, str) else {}
    nav = page.get_by_role("navigation", name="Main")
    link = nav.get_by_role("link", name=link_name, **exact)
    if not link.is_visible():
        # Relative to the menu, and found while the menu is still closed (hidden).
        in_menu = page.get_by_role("link", name=link_name, include_hidden=True, **exact)
        nav.locator(".dropdown", has=in_menu).locator("[data-bs-toggle=dropdown]").click()
    link.click()


def tab_to(page, target, *, max_presses: int = 120) -> list[str]:
    """Press Tab (and nothing else) until `target` (a locator) has the keyboard focus, checking
    on the way that every element reached shows its focus. Returns the elements passed that did
    not show it (a keyboard user would lose their place on them)."""
    unseen = []
    for _ in range(max_presses):
        if element := _tab_to_next(page):
            unseen.append(element)
        if target.evaluate("el => el === document.activeElement"):
            return unseen
    raise AssertionError(f"{target} could not be reached with the Tab key alone")
