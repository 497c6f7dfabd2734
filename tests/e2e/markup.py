"""Checks on the HTML a page was sent with, before any script or the browser's error recovery
changes it: parse errors (html5lib follows the HTML standard's parsing rules, so a form inside
a form, a stray end tag or an unclosed element is reported where the browser would silently
repair it), duplicate ids, labels and ARIA references that point at nothing, and `<time>`
elements whose `datetime` is not a valid machine-readable date or time.
"""

from __future__ import annotations

import re
from collections import Counter

import html5lib

# A valid date, time, date and time (with an optional zone) or duration, as the HTML standard
# allows in <time datetime>. Fractions of a second have at most three digits.
_DATE = r"\d{4}-\d{2}(?:-\d{2})?"
_TIME = r"\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?"
_ZONE = r"(?:Z|[+-]\d{2}:?\d{2})"
_VALID_DATETIME = re.compile(
    rf"^(?:{_DATE}|{_TIME}|{_DATE}[T ]{_TIME}{_ZONE}?|\d{{4}}|--\d{{2}}-\d{{2}}|\d{{4}}-W\d{{2}}"
    r"|P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d{1,3})?S)?)?)$"
)

# Attributes whose value is one id, or a space-separated list of ids, on the same page.
_ID_REFERENCES = ("for", "aria-labelledby", "aria-describedby", "aria-controls", "form", "list")

_NS = "{http://www.w3.org/1999/xhtml}"


def markup_problems(html: str) -> list[str]:
    """Everything wrong with this document's markup, one line per problem."""
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=True)
    tree = parser.parse(html)
    problems = []
    lines = html.splitlines()
    for (line, column), code, details in parser.errors:
        source = lines[line - 1].strip()[:120] if 0 < line <= len(lines) else ""
        name = details.get("name", "") if isinstance(details, dict) else ""
        kind = "form inside a form" if code == "unexpected-start-tag" and name == "form" else code
        problems.append(f"invalid HTML at line {line}:{column}: {kind} <{name}>: {source}")

    elements = list(tree.iter())
    ids = Counter(el.get("id") for el in elements if el.get("id") is not None)
    for value, count in ids.items():
        if count > 1:
            problems.append(f'the id "{value}" is used {count} times')
        if value == "" or re.search(r"\s", value):
            problems.append(f'the id "{value}" is empty or contains a space')
    for el in elements:
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.removeprefix(_NS)
        for attribute in _ID_REFERENCES:
            value = el.get(attribute)
            if value is None or (attribute == "form" and tag == "form"):
                continue
            for ref in value.split():
                if ref not in ids:
                    problems.append(f'<{tag} {attribute}="{value}"> refers to no id "{ref}"')
        if tag == "time" and el.get("datetime") is not None:
            if not _VALID_DATETIME.match(el.get("datetime")):
                problems.append(f'<time datetime="{el.get("datetime")}"> is not a valid date/time')
    return problems
