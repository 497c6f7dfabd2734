"""Django's `{# #}` comments end on the line they start on: one spread over two lines is shown
to the reader as text. A comment that needs more room is `{% comment %}`."""

from pathlib import Path

from django.test import Client
from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def unclosed_comments(text: str) -> list[int]:
    return [
        number
        for number, line in enumerate(text.splitlines(), 1)
        if "{#" in line and "#}" not in line[line.index("{#") :]
    ]


def test_every_short_comment_in_the_templates_ends_on_its_line():
    found = {
        str(path.relative_to(TEMPLATES)): lines
        for path in TEMPLATES.rglob("*.html")
        if (lines := unclosed_comments(path.read_text()))
    }
    assert found == {}


def test_the_check_finds_a_comment_spread_over_two_lines():
    assert unclosed_comments("{# one line #}\n{# two\nlines #}\n") == [2]


def test_the_home_page_shows_no_template_comment(policy_admin, policy_v1):
    client = Client()
    client.force_login(policy_admin)
    page = client.get(reverse("home")).content.decode()
    assert "{#" not in page and "#}" not in page
