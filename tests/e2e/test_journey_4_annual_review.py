"""Journey 4: the annual review done in the portal. A policy admin starts the review, edits
clause 6.3 and a nested item of 4.4, adds a clause, sees the differences, writes the summary
and sends the draft for sign-off; a member of the senior team signs it off; the admin
publishes; a member of staff who had acknowledged version 1 is shown only the changed clauses,
acknowledges, and the report shows it.

Every page on the way is checked with axe and for sideways scrolling at 390 and 1280 px.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from policy.models import PolicyVersion
from policy.services import policy_acknowledge
from tests.e2e.helpers import field, go_to
from tests.factories import PolicyAdminFactory, SeniorTeamFactory, StaffFactory

pytestmark = [pytest.mark.e2e]

ADDED_63 = "Ask the senior team first."
NESTED_44 = (
    "posting photographs or images that are inappropriate or links to inappropriate content or;"
)
NEW_CLAUSE = "Staff must not use generative tools to make images of students."


def test_annual_review_in_the_portal(portal):
    call_command("load_policy", stdout=StringIO())
    admin = PolicyAdminFactory(first_name="Alex", last_name="Hoyle")
    senior = SeniorTeamFactory(first_name="Priya", last_name="Shah")
    staff = StaffFactory(first_name="Sam", last_name="Patel")
    policy_acknowledge(user=staff, version=PolicyVersion.objects.get(number=1))

    # Alex starts the review and opens the editor.
    alex = portal.sign_in(admin)
    go_to(alex, "Policy review")
    alex.get_by_role("button", name="Start annual review").click()
    expect(alex.get_by_role("heading", name="Draft version 2")).to_be_visible()
    portal.check(alex, "review-started")
    alex.get_by_role("link", name="Edit the draft", exact=True).first.click()
    expect(alex.get_by_role("heading", level=1)).to_have_text("Edit draft version 2")
    portal.check(alex, "editor")

    # Clause 6.3: the difference follows the typing, then is saved.
    alex.get_by_role("link", name="Edit clause 6.3").click()
    expect(alex.get_by_role("heading", level=1)).to_have_text("Edit clause 6.3")
    wording = field(alex, "Wording of clause 6.3")
    wording.fill(wording.input_value() + " " + ADDED_63)
    live = alex.locator("#live-diff")
    expect(live.locator("ins")).to_contain_text("Ask the senior team first.")
    portal.check(alex, "clause-6-3")
    alex.get_by_role("button", name="Save clause 6.3").click()
    expect(alex.locator(".messages")).to_contain_text("Clause 6.3 was saved")

    # A nested item of clause 4.4, found by its wording.
    alex.goto("/policy/review/edit/")
    alex.get_by_role("link", name="Edit clause 4.4").click()
    nested = alex.locator("form.editor-item.editor-depth-1").filter(
        has=alex.locator("textarea", has_text="posting images that are inappropriate")
    )
    nested.locator("textarea").fill(NESTED_44)
    nested.get_by_role("button", name=re.compile(r"^Save")).click()
    expect(alex.locator(".messages")).to_contain_text("The item was saved")
    expect(alex.locator("#live-diff ins")).to_contain_text("photographs")
    portal.check(alex, "clause-4-4")

    # A new clause at the end of section 6.
    alex.goto("/policy/review/edit/")
    alex.get_by_role("link", name="Add a clause to section 6").click()
    portal.check(alex, "add-clause")
    field(alex, "Clause number").fill("6.9")
    field(alex, "Wording").fill(NEW_CLAUSE)
    alex.get_by_role("button", name="Add the clause").click()
    expect(alex.get_by_role("heading", level=1)).to_have_text("Edit clause 6.9")

    # Renumbering is a deliberate step that says what cites the clause; Alex cancels.
    alex.get_by_role("link", name="Renumber clause 6.9").click()
    expect(alex.get_by_role("heading", level=1)).to_have_text("Renumber clause 6.9")
    expect(alex.get_by_text("Nothing in the portal cites clause 6.9")).to_be_visible()
    portal.check(alex, "renumber")
    alex.get_by_role("link", name="Cancel").click()

    # A core principle and the search words have their pages too.
    alex.goto("/policy/review/edit/")
    alex.get_by_role("link", name="Edit core principle 1").click()
    expect(alex.get_by_role("heading", level=1)).to_have_text("Edit Core principle 1")
    portal.check(alex, "principle")
    alex.goto("/policy/review/")
    alex.get_by_role("link", name="Words that search finds together").click()
    field(alex, "Words that mean the same").fill("snapshot, image")
    alex.get_by_role("button", name="Add the words").click()
    expect(alex.locator(".messages")).to_contain_text("The words were added")
    expect(alex.get_by_role("button", name="Remove snapshot, image")).to_be_visible()
    portal.check(alex, "search-words")

    # The changes so far, then the summary, then off for sign-off.
    alex.goto("/policy/review/edit/")
    alex.get_by_role("navigation", name="Annual review").get_by_role(
        "link", name="Changes so far"
    ).click()
    changes = alex.locator(".policy-change")
    expect(changes.filter(has_text="Clause 6.3")).to_contain_text(ADDED_63)
    expect(changes.filter(has_text="Clause 4.4")).to_contain_text("photographs")
    expect(changes.filter(has_text="Clause 6.9")).to_contain_text("generative tools")
    portal.check(alex, "changes-so-far")
    alex.get_by_role("navigation", name="Annual review").get_by_role(
        "link", name="Summary of changes"
    ).click()
    field(alex, "What changed, for staff").fill(
        "Clause 6.3 asks you to check with the senior team first; 4.4 now names photographs; "
        "new clause 6.9 is about generated images."
    )
    portal.check(alex, "summary")
    alex.get_by_role("button", name="Save the summary").click()
    expect(alex.locator(".messages")).to_contain_text("The summary of changes was saved")
    alex.get_by_role("button", name="Send for sign-off").click()
    expect(alex.get_by_role("heading", level=1)).to_have_text("Sign-off of version 2")
    expect(
        alex.get_by_text("Someone who prepared or edited the draft cannot sign it off")
    ).to_be_visible()
    portal.check(alex, "waiting-for-sign-off")

    # Priya, of the senior team, is told and signs it off.
    priya = portal.sign_in(senior)
    go_to(priya, re.compile(r"^Notifications"))
    priya.get_by_role("link", name="Please sign off version 2 of the Social Media Policy").click()
    expect(priya.get_by_role("heading", level=1)).to_have_text("Sign-off of version 2")
    expect(priya.locator(".policy-change").filter(has_text="Clause 6.3")).to_contain_text(ADDED_63)
    portal.check(priya, "sign-off")
    priya.get_by_role("link", name="Read the whole draft as staff will see it").click()
    expect(priya.get_by_role("note").filter(has_text="Preview of draft version 2")).to_be_visible()
    expect(priya.get_by_text(NEW_CLAUSE)).to_be_visible()
    portal.check(priya, "draft-preview")
    priya.get_by_role("link", name="Back to the sign-off").click()
    priya.get_by_role("button", name="Sign off version 2").click()
    expect(priya.locator(".messages")).to_contain_text("You signed off version 2")

    # Alex publishes; the policy page says who prepared and who signed off.
    alex.goto("/policy/review/")
    alex.get_by_role("link", name="Publish version 2").click()
    expect(alex.get_by_role("heading", level=1)).to_have_text("Publish version 2")
    portal.check(alex, "publish")
    alex.get_by_role("button", name="Publish version 2").click()
    expect(alex.locator(".messages")).to_contain_text("Version 2 is now the policy")
    details = alex.locator(".policy-details")
    expect(details).to_contain_text("Prepared by")
    expect(details).to_contain_text("Alex Hoyle")
    expect(details).to_contain_text("Priya Shah")

    # Sam acknowledged version 1, so sees only what changed, and acknowledges.
    sam = portal.sign_in(staff)
    go_to(sam, "Read the policy")
    expect(
        sam.get_by_role("heading", name="Only what changed since you acknowledged version 1")
    ).to_be_visible()
    expect(sam.locator(".policy-change").filter(has_text="Clause 6.3")).to_contain_text(ADDED_63)
    expect(sam.locator("#clause-4-1")).to_have_count(0)
    portal.check(sam, "changed-clauses")
    sam.get_by_role("button", name="I have read and understood version 2").click()
    expect(sam.locator(".messages")).to_contain_text(
        "You have confirmed that you have read version 2"
    )

    # The report shows it, and who has not yet.
    go_to(alex, "Acknowledgements")
    row = alex.locator("tr").filter(has_text="Sam Patel")
    expect(row).to_contain_text("Yes")
    alex.get_by_role("link", name="Not yet", exact=True).click()
    expect(alex.locator("tr").filter(has_text="Sam Patel")).to_have_count(0)
    expect(alex.locator("tr").filter(has_text="Priya Shah")).to_contain_text("Not yet")
    portal.check(alex, "report-not-yet")
    alex.get_by_role("button", name="Remind those who have not").click()
    expect(alex.locator(".messages")).to_contain_text("reminded")
    portal.check(alex, "reminded")
