"""Journey 4: a policy admin starts the annual review, edits a clause of the draft in the Django
admin, and publishes it; a member of staff who had acknowledged the old version is told, sees
what changed and is asked to acknowledge the new version.

The Django admin pages are a known gap in the accessibility statement, so they are measured and
screenshotted but not scanned with axe; every portal page is.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from policy.models import PolicyVersion
from policy.services import policy_acknowledge
from tests.e2e.helpers import field, go_to
from tests.factories import PolicyAdminFactory, StaffFactory

pytestmark = [pytest.mark.e2e]

ADDED = "and whenever the law on online safety changes"


def test_annual_review_and_new_acknowledgement(portal):
    call_command("load_policy", stdout=StringIO())
    admin = PolicyAdminFactory(first_name="Alex", last_name="Hoyle", is_staff=True)
    staff = StaffFactory(first_name="Sam", last_name="Patel")
    policy_acknowledge(user=staff, version=PolicyVersion.objects.get(number=1))

    # Alex starts the review.
    alex = portal.sign_in(admin)
    go_to(alex, "Policy review")
    expect(alex.get_by_role("heading", level=1)).to_have_text("Annual review of the policy")
    portal.check(alex, "review")
    alex.get_by_role("button", name="Start annual review").click()
    expect(alex.get_by_role("heading", name="Draft version 2")).to_be_visible()
    portal.check(alex, "review-started")

    # Alex edits clause 8.1 of the draft in the administration pages.
    alex.get_by_role("link", name="Edit the draft").click()
    expect(alex).to_have_url(re.compile(r"/admin/policy/policyversion/\d+/change/"))
    portal.check(alex, "admin-version", axe=False)
    review_section = alex.locator("tr").filter(has=alex.locator("input[value='Review']"))
    review_section.get_by_role("link", name="Change").click()
    expect(alex).to_have_url(re.compile(r"/admin/policy/section/\d+/change/"))
    clause = alex.locator(".inline-related").filter(has=alex.locator("input[value='8.1']"))
    text = clause.locator("textarea")
    text.fill(text.input_value().replace("on an annual basis", f"on an annual basis {ADDED}"))
    portal.check(alex, "admin-section", axe=False)
    alex.get_by_role("button", name="Save", exact=True).click()
    expect(alex.locator(".messagelist")).to_contain_text("was changed successfully")

    # Back in the portal: preview, then publish with a summary for staff.
    alex.goto("/policy/review/")
    alex.get_by_role("link", name="Preview it as staff will see it").click()
    expect(alex.get_by_role("note").filter(has_text="Preview of draft version 2")).to_be_visible()
    expect(alex.get_by_text(ADDED)).to_be_visible()
    portal.check(alex, "preview")
    alex.get_by_role("link", name="Back to the annual review").click()
    alex.get_by_role("link", name="Publish version 2").click()
    expect(alex.get_by_role("heading", level=1)).to_have_text("Publish version 2")
    portal.check(alex, "publish")
    # Publishing without a summary for staff is refused, with the reason by the field.
    alex.get_by_role("button", name="Publish version 2").click()
    expect(alex.locator(".error-summary")).to_contain_text("Enter a short summary")
    expect(field(alex, "What changed, for staff")).to_have_attribute("aria-invalid", "true")
    portal.check(alex, "publish-errors", focus=False)
    field(alex, "What changed, for staff").fill(
        "Clause 8.1 now says the policy is also reviewed whenever the law on online safety changes."
    )
    alex.get_by_role("button", name="Publish version 2").click()
    expect(alex.locator(".messages")).to_contain_text("2")
    portal.check(alex, "published")

    # Sam is told, sees what changed, and is asked to acknowledge version 2.
    sam = portal.sign_in(staff)
    go_to(sam, re.compile(r"^Notifications"))
    notice = sam.get_by_role("link", name="Please read version 2 of the Social Media Policy")
    portal.check(sam, "notifications")
    notice.click()
    expect(sam.get_by_role("heading", level=1)).to_have_text("What changed in the policy")
    expect(sam.get_by_role("heading", name="Version 1 to version 2")).to_be_visible()
    change = sam.locator(".policy-change").filter(has_text="8.1")
    expect(change).to_contain_text("online safety")
    portal.check(sam, "what-changed")

    go_to(sam, "Read the policy")
    asked = sam.get_by_role("note").filter(has_text="Please read the policy")
    expect(asked).to_contain_text("version 2")
    expect(asked.get_by_role("link", name="see what changed since then")).to_be_visible()
    expect(sam.get_by_role("heading", name="What changed in version 2")).to_be_visible()
    portal.check(sam, "policy-v2")
    sam.get_by_role("button", name="I have read and understood version 2").click()
    expect(sam.locator(".messages")).to_contain_text(
        "You have confirmed that you have read version 2"
    )
    expect(asked).to_have_count(0)
    portal.check(sam, "acknowledged-v2")
