"""The personal-use page (section 6, clause 6.3): drawn from the policy's own clauses."""

import re

import pytest
from django.urls import reverse

from policy import selectors

pytestmark = pytest.mark.django_db


def test_the_page_shows_section_6_from_the_policy_and_the_disclaimer(staff_client, policy_v1):
    page = staff_client.get(reverse("policy:personal_use")).content.decode()
    document = selectors.policy_document(policy_v1)
    for number in ("6.1", "6.2", "6.3", "6.4", "7.1"):
        assert f"Clause {number}:" in page
    assert document.clause("6.2").text[:60].replace("'", "&#x27;") in page
    statement = (
        "The views I express here are mine alone and do not necessarily reflect the views of "
        "my employer."
    )
    assert re.search(r"<textarea[^>]*readonly[^>]*>" + re.escape(statement) + "</textarea>", page)
    # The copy button needs JavaScript, so it starts hidden; no inline script or style.
    assert re.search(r"<button[^>]*hidden[^>]*data-copy-button", page)
    assert "<script>" not in page and "style=" not in page
    # What the copy button's status says is written on the page, where it is translated.
    assert 'data-copied="Copied. Paste it into your profile."' in page
    assert 'data-copy-by-hand="Press Ctrl+C (or Cmd+C) to copy the selected text."' in page
    assert "What you must not do" in page


def test_without_a_policy_the_page_says_so(staff_client):
    page = staff_client.get(reverse("policy:personal_use")).content.decode()
    assert "has not been loaded" in page
