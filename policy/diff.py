"""Comparing two versions of the policy clause by clause, with word-level differences."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from policy.selectors import PolicyDocument

ADDED, REMOVED, CHANGED, UNCHANGED = "added", "removed", "changed", "unchanged"
_WORD_AND_SPACE = re.compile(r"(\S+)(\s*)")


@dataclass
class Segment:
    op: str  # "equal", "insert" or "delete"
    text: str


@dataclass
class UnitChange:
    """One clause (or principle, guideline, heading) compared across the two versions."""

    key: str
    label: str
    context: str
    status: str
    segments: list[Segment] = field(default_factory=list)
    url: str = ""

    @property
    def status_label(self) -> str:
        return {
            ADDED: _("Added"),
            REMOVED: _("Removed"),
            CHANGED: _("Changed"),
            UNCHANGED: _("Unchanged"),
        }[self.status]


@dataclass
class Comparison:
    old: PolicyDocument
    new: PolicyDocument
    changes: list[UnitChange]
    unchanged_count: int

    def count(self, status: str) -> int:
        return sum(1 for change in self.changes if change.status == status)

    @property
    def added(self) -> int:
        return self.count(ADDED)

    @property
    def removed(self) -> int:
        return self.count(REMOVED)

    @property
    def changed(self) -> int:
        return self.count(CHANGED)


def _item_lines(items, depth=0) -> list[str]:
    lines = []
    for item in items:
        lines.append("    " * depth + "– " + item.text)
        lines.extend(_item_lines(item.subitems, depth + 1))
    return lines


def _units(document: PolicyDocument) -> dict[str, tuple[str, str, str]]:
    """key -> (label, context, text) for everything compared, in reading order."""
    version = document.version
    units: dict[str, tuple[str, str, str]] = {
        "meta:person": (
            _("Person responsible"),
            _("About this policy"),
            f"{version.person_responsible}, {version.person_responsible_role}",
        )
    }
    for section in document.sections:
        units[f"section:{section.number}"] = (
            _("Section %(number)s heading") % {"number": section.number},
            "",
            section.title,
        )
        for clause in section.clause_list:
            text = "\n".join([clause.text, *_item_lines(clause.item_tree)])
            units[f"clause:{clause.number}"] = (
                _("Clause %(number)s") % {"number": clause.number},
                f"{section.number}. {section.title}",
                text,
            )
    units["guidelines:introduction"] = (
        _("Introduction to the guidelines"),
        version.guidelines_title,
        "\n".join(filter(None, [version.guidelines_introduction, version.principles_introduction])),
    )
    for principle in document.principles:
        units[f"principle:{principle.number}"] = (
            _("Core principle %(number)s") % {"number": principle.number},
            version.guidelines_title,
            principle.text,
        )
    for guideline in document.guidelines:
        units[f"guideline:{guideline.slug}"] = (
            _("Guideline: %(title)s") % {"title": guideline.title},
            version.guidelines_title,
            f"{guideline.title}\n{guideline.body}",
        )
    return units


def _words(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Leading whitespace, then (word, whitespace after it) pairs."""
    leading = text[: len(text) - len(text.lstrip())]
    return leading, _WORD_AND_SPACE.findall(text)


def word_diff(old: str, new: str) -> list[Segment]:
    """Word-level differences: words are compared, the whitespace between them is kept as
    written (the new version's, where the words are the same)."""
    _old_leading, old_words = _words(old)
    new_leading, new_words = _words(new)
    matcher = difflib.SequenceMatcher(
        a=[w for w, _s in old_words], b=[w for w, _s in new_words], autojunk=False
    )
    segments: list[Segment] = []

    def add(op, text):
        if not text:
            return
        if segments and segments[-1].op == op:
            segments[-1].text += text
        else:
            segments.append(Segment(op, text))

    def changed(op, pairs):
        """The words with their inner spaces; the space after the last word stays outside."""
        text = "".join(w + sp for w, sp in pairs)
        core = text.rstrip()
        add(op, core)
        return text[len(core) :]

    add("equal", new_leading)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", "".join(w + sp for w, sp in new_words[j1:j2]))
            continue
        after = ""
        if tag in ("delete", "replace"):
            after = changed("delete", old_words[i1:i2])
        if tag in ("insert", "replace"):
            after = changed("insert", new_words[j1:j2])
        add("equal", after)
    return segments


def compare_documents(old: PolicyDocument, new: PolicyDocument) -> Comparison:
    """What changed from `old` to `new`: added, removed and changed clauses (and headings,
    principles and guidelines), in the new version's reading order, removed ones where they
    stood in the old."""
    old_units, new_units = _units(old), _units(new)
    order: list[str] = list(new_units)
    # Place each removed unit after the unit that preceded it in the old version.
    previous = None
    for key in old_units:
        if key not in new_units:
            position = order.index(previous) + 1 if previous in order else 0
            order.insert(position, key)
        previous = key
    changes, unchanged = [], 0
    for key in order:
        if key in new_units and key in old_units:
            label, context, text = new_units[key]
            old_text = old_units[key][2]
            if old_text == text:
                unchanged += 1
                continue
            changes.append(UnitChange(key, label, context, CHANGED, word_diff(old_text, text)))
        elif key in new_units:
            label, context, text = new_units[key]
            changes.append(UnitChange(key, label, context, ADDED, [Segment("insert", text)]))
        else:
            label, context, text = old_units[key]
            changes.append(UnitChange(key, label, context, REMOVED, [Segment("delete", text)]))
    for change in changes:
        if change.key.startswith("clause:"):
            version = old.version if change.status == REMOVED else new.version
            change.url = reverse(
                "policy:version_clause",
                kwargs={"version": version.number, "number": change.key.split(":", 1)[1]},
            )
    return Comparison(old=old, new=new, changes=changes, unchanged_count=unchanged)
