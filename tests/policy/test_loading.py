"""The school's policy file reproduces the source document: structure and wording."""

import datetime
import re
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command

from policy import demo
from policy.models import Clause, Guideline, ListItem, PolicyVersion, Principle, Section
from policy.selectors import policy_document
from redbridge_portal.models import AuditEvent

pytestmark = pytest.mark.django_db

SOURCE = Path(__file__).resolve().parents[3] / "shared" / "source" / "social-media-policy.txt"

CLAUSES = {
    "1": ["1.1", "1.2"],
    "2": ["2.1"],
    "3": ["3.1", "3.2"],
    "4": ["4.1", "4.2", "4.3", "4.4"],
    "5": ["5.1"],
    "6": ["6.1", "6.2", "6.3", "6.4"],
    "7": ["7.1"],
    "8": ["8.1", "8.2"],
}
# clause -> number of sub-items under each top-level item
LISTS = {
    "4.3": [0, 0, 0],
    "4.4": [3, 3, 3, 2, 0],
    "5.1": [0, 0],
    "6.4": [3, 3, 3, 2, 0],
}
GUIDELINES = [
    "Be honest about who you are",
    "Make it clear that the views expressed are yours",
    "You speak for yourself but your actions reflect those of Redbridge Community School",
    "Use your common sense",
    "Mind your manners",
    "The Internet is a public space",
    "The Internet remembers",
    "An official response may be needed",
    "Respect the privacy of offline conversations",
    "Same rules and laws apply: new medium, no surprise",
    "When in doubt, ask",
]


def test_the_import_reproduces_the_structure(policy_v1):
    document = policy_document(policy_v1)
    assert [s.number for s in document.sections] == [str(n) for n in range(1, 9)]
    assert {s.number: [c.number for c in s.clause_list] for s in document.sections} == CLAUSES
    for number, sub_counts in LISTS.items():
        clause = document.clause(number)
        assert [len(item.subitems) for item in clause.item_tree] == sub_counts, number
        assert all(not sub.subitems for item in clause.item_tree for sub in item.subitems)
    other = [c for c in document.clauses_by_number.values() if c.number not in LISTS]
    assert all(not c.item_tree for c in other)
    assert [p.number for p in document.principles] == [1, 2, 3, 4, 5]
    assert [g.title for g in document.guidelines] == GUIDELINES
    assert document.guidelines_number == 9
    assert policy_v1.guidelines_title == "Social Media Guidelines"


def test_the_version_details_are_the_schools(policy_v1):
    assert policy_v1.number == 1
    assert policy_v1.status == "published"
    assert policy_v1.school == "Redbridge Community School"
    assert policy_v1.person_responsible == "Alex Hoyle"
    assert policy_v1.person_responsible_role == "Assistant Headteacher"
    assert policy_v1.last_review_date == datetime.date(2022, 9, 1)
    assert policy_v1.next_review_due == datetime.date(2023, 9, 30)
    assert AuditEvent.objects.filter(action="policy.loaded").count() == 1


@time_machine.travel(datetime.datetime(2026, 11, 23, 12, tzinfo=datetime.UTC))
def test_the_loaded_policy_is_overdue_for_review(policy_v1):
    assert policy_v1.review_overdue()


def test_the_wording_is_the_sources_without_formatting_debris(policy_v1):
    document = policy_document(policy_v1)
    assert document.clause("1.2").text.startswith("To avoid major mistakes")
    assert "it is important that we manage any potential risks" in document.clause("1.2").text
    assert "under the school's Disciplinary Procedure. Serious" in document.clause("7.1").text
    assert document.clause("8.1").text.startswith("The fast changing nature")
    first, second = document.clause("4.4").item_tree[0].subitems[:2]
    assert first.text == (
        "revealing confidential intellectual property or information owned by Redbridge "
        "Community School or;"
    )
    assert second.text.endswith("(such as a partner institution); or")
    assert document.clause("4.3").item_tree[1].text.endswith("using social media; and")
    assert document.principles[0].text == "Honesty about who you are"
    assert document.guidelines[1].body == (
        "Include the following notice somewhere in every social media profile you maintain: "
        '"The views I express here are mine alone and do not necessarily reflect the views of '
        'my employer."'
    )
    everything = _all_texts(document)
    for text in everything:
        assert "*" not in text and "(#)" not in text and "[" not in text, text
        assert not text.startswith(("-", "•", " ")), text


def _all_texts(document) -> list[str]:
    version = document.version
    texts = [version.guidelines_introduction, version.principles_introduction]

    def walk(items):
        for item in items:
            texts.append(item.text)
            walk(item.subitems)

    for section in document.sections:
        texts.append(section.title)
        for clause in section.clause_list:
            texts.append(clause.text)
            walk(clause.item_tree)
    texts += [p.text for p in document.principles]
    for guideline in document.guidelines:
        texts += [guideline.title, guideline.body]
    return texts


def _clean_source_lines() -> list[str]:
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    start = [i for i, line in enumerate(lines) if line.strip() == "1. Introduction"][0]
    cleaned = []
    for line in lines[start:]:
        line = line.replace("**", "")
        line = re.sub(r"\[([^\]]+)\]\(#\)", r"\1", line)
        line = re.sub(r'\*(".*?")\*', r"\1", line)
        line = re.sub(r"^\s*-\s+", "", line)  # bullets
        line = re.sub(r"^\d+(\.\d+)?\.?\s+", "", line)  # clause, section and principle numbers
        if line.strip():
            cleaned.append(line.strip())
    return cleaned


@pytest.mark.skipif(not SOURCE.exists(), reason="the source document is not beside the repo")
def test_every_line_of_the_source_is_in_the_portal_and_nothing_else(policy_v1):
    source = _clean_source_lines()
    portal = _all_texts(policy_document(policy_v1))
    # Section headings in the body are the source's, in its capitalisation.
    assert sorted(source) == sorted(portal)


def test_loading_twice_creates_nothing_new(policy_v1):
    counts = [m.objects.count() for m in (PolicyVersion, Section, Clause, ListItem)]
    counts += [Principle.objects.count(), Guideline.objects.count()]
    out = StringIO()
    call_command("load_policy", stdout=out)
    assert "already loaded" in out.getvalue()
    again = [m.objects.count() for m in (PolicyVersion, Section, Clause, ListItem)]
    again += [Principle.objects.count(), Guideline.objects.count()]
    assert again == counts
    assert counts == [1, 8, 17, 37, 5, 11]  # 37 items: 3 + 16 + 2 + 16


def test_the_command_loads_the_policy_once(db):
    out = StringIO()
    call_command("load_policy", stdout=out)
    assert "Loaded the Social Media Policy as version 1" in out.getvalue()
    assert PolicyVersion.objects.published().count() == 1


def test_the_demo_loader_is_idempotent(db):
    out = StringIO()
    demo.load_demo(stdout=out)
    demo.load_demo(stdout=out)
    assert PolicyVersion.objects.count() == 1
    assert "already loaded" in out.getvalue()
