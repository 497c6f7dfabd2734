"""Journey 5: a member of staff raises a concern and a senior-team member resolves it.

Sam sees a post online that may need a school response and raises a concern from the navigation
(first forgetting to say what it is); Priya, in the senior team, opens it from her home page,
takes it on, records an action and the outcome; Sam sees it resolved. Then the guidance pages
(personal use, questions, FAQ) and the pre-screen findings on a post page are scanned.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.approvals.factories import AccountFactory, submitted_post
from tests.e2e.helpers import field, go_to
from tests.factories import SeniorTeamFactory, StaffFactory

pytestmark = [pytest.mark.e2e]


def test_a_concern_is_raised_and_resolved(portal):
    call_command("load_policy", stdout=StringIO())
    sam = StaffFactory(first_name="Sam", last_name="Patel")
    priya_user = SeniorTeamFactory(first_name="Priya", last_name="Shah")
    account = AccountFactory(name="Redbridge on X", handle="@RedbridgeCS", text_limit=280)
    post = submitted_post(
        sam, account, text="Thanks to Jo Okafor after the staff meeting! Call 020 7946 0000."
    )

    staff = portal.sign_in(sam)
    go_to(staff, "Raise a concern")
    expect(staff.get_by_role("heading", level=1)).to_have_text("My concerns")
    portal.check(staff, "my-concerns-empty")
    staff.get_by_role("main").get_by_role("link", name="Raise a concern").first.click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Raise a concern")
    portal.check(staff, "concern-form")
    staff.get_by_role("button", name="Send to the senior team").click()
    expect(staff.locator(".error-summary")).to_contain_text("Say what you saw")
    portal.check(staff, "concern-form-errors", focus=False)
    field(staff, "Link to what you saw (optional)").fill("https://facebook.example/p/1")
    field(staff, "What is it?").fill("A parent's post names a pupil and criticises a teacher.")
    staff.get_by_label("Today: it needs a response during the school day").check()
    staff.get_by_role("button", name="Send to the senior team").click()
    # The number is the row id: 1 on a fresh SQLite database, higher on PostgreSQL.
    expect(staff.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Concern \d+$"))
    expect(staff.get_by_text("Waiting for the senior team").first).to_be_visible()
    portal.check(staff, "concern-raised")

    priya = portal.sign_in(priya_user)
    expect(priya.get_by_text("1 concern").first).to_be_visible()
    portal.check(priya, "home-senior")
    priya.get_by_role("link", name="Open the concerns").click()
    expect(priya.get_by_role("heading", level=1)).to_have_text("Concerns")
    portal.check(priya, "concerns")
    priya.get_by_role("link", name="A parent's post names a pupil").click()
    priya.get_by_role("button", name="Take it on").click()
    expect(priya.get_by_text("You are now dealing with this concern")).to_be_visible()
    portal.check(priya, "concern-taken")
    field(priya, "What was done").fill("Reported the post to the platform and called the parent.")
    priya.get_by_role("button", name="Record the action").click()
    field(priya, "Outcome").fill("The parent removed the post.")
    priya.get_by_role("button", name="Resolve the concern").click()
    expect(priya.get_by_text("The concern is resolved")).to_be_visible()
    portal.check(priya, "concern-resolved")

    # The reviewer sees the pre-screen findings beside the post.
    priya.goto(post.get_absolute_url())
    expect(priya.get_by_role("heading", name="Things to check before it goes out")).to_be_visible()
    expect(priya.locator("#prescreen")).to_contain_text("Jo Okafor")
    portal.check(priya, "post-prescreen")

    staff.reload()
    expect(staff.get_by_text("Resolved").first).to_be_visible()
    expect(staff.get_by_text("The parent removed the post.")).to_be_visible()
    portal.check(staff, "concern-outcome")

    go_to(staff, "Personal use")
    expect(staff.get_by_role("heading", level=1)).to_have_text("Social media in your personal life")
    expect(staff.get_by_role("button", name="Copy the statement")).to_be_visible()
    portal.check(staff, "personal-use")
    go_to(staff, "Ask a question")
    expect(staff.get_by_role("heading", level=1)).to_have_text("My questions")
    portal.check(staff, "my-questions")
    staff.get_by_role("main").get_by_role("link", name="Ask the senior team").first.click()
    field(staff, "Your question").fill("May I share the school's posts on my own account?")
    staff.get_by_role("button", name="Send my question").click()
    expect(staff.get_by_text("Waiting for an answer").first).to_be_visible()
    portal.check(staff, "question-asked")
