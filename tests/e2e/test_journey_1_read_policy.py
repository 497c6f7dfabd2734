"""Journey 1: a member of staff, on a phone between lessons, signs in, reads the policy, follows a
clause permalink, searches for a word that appears only in a nested rule and acknowledges the
current version."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.helpers import PHONE, go_to
from tests.factories import StaffFactory

pytestmark = [pytest.mark.e2e]


def test_staff_reads_and_acknowledges_policy(portal):
    call_command("load_policy", stdout=StringIO())
    staff = StaffFactory(first_name="Sam", last_name="Patel")

    page = portal.sign_in(staff, viewport=PHONE)
    portal.check(page, "home")

    go_to(page, "Read the policy")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Social Media Policy"))
    # Staff who have not acknowledged this version are told so at the top.
    expect(page.get_by_role("note").filter(has_text="Please read the policy")).to_be_visible()
    expect(page.get_by_role("heading", name="4. Use of social media")).to_be_visible()
    portal.check(page, "policy")

    # The contents link takes the reader to the section.
    page.get_by_role("navigation", name="Contents").get_by_role(
        "link", name=re.compile(r"^4\. Use of social media")
    ).click()
    expect(page).to_have_url(re.compile(r"#"))

    # The permalink of clause 4.4 opens the clause on its own, with an address to cite.
    page.get_by_role("link", name="Link to clause 4.4", exact=True).click()
    expect(page).to_have_url(portal.url("/policy/clause/4.4/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Clause 4.4")
    expect(page.locator(".policy-single-clause")).to_contain_text(
        "making defamatory comments about individuals"
    )
    expect(page.get_by_label("Link to cite this clause")).to_have_value(
        re.compile(r"/policy/clause/4\.4/$")
    )
    portal.check(page, "clause")

    # "defamatory" appears only in rules nested two levels deep in clauses 4.4 and 6.4.
    page.get_by_role("link", name="Read clause 4.4 in the whole policy").click()
    page.get_by_role("search").get_by_label("Search the policy").fill("defamatory")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search the policy")
    expect(page.get_by_role("status")).to_have_text(re.compile(r"results? for “defamatory”"))
    results = page.locator(".policy-search-results")
    expect(results).to_contain_text("4.4")
    expect(results).to_contain_text("6.4")
    portal.check(page, "search")

    results.get_by_role("link", name=re.compile(r"4\.4")).first.click()
    expect(page.get_by_text("making defamatory comments about individuals")).to_be_visible()

    # Back to the policy, and the confirmation at its end.
    go_to(page, "Read the policy")
    confirm = page.get_by_role("button", name="I have read and understood version 1")
    confirm.scroll_into_view_if_needed()
    confirm.click()
    expect(page.locator(".messages")).to_contain_text(
        "You have confirmed that you have read version 1"
    )
    expect(page.get_by_role("heading", name="You have acknowledged this version")).to_be_visible()
    expect(page.get_by_role("note").filter(has_text="Please read the policy")).to_have_count(0)
    portal.check(page, "acknowledged")
