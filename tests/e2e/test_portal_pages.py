"""The shared pages every journey passes through: signing in (and getting it wrong), home,
notifications, the school closures page and the accessibility statement."""

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import field, go_to
from tests.factories import PolicyAdminFactory, StaffFactory

pytestmark = [pytest.mark.e2e]


def test_sign_in_and_shared_pages(portal):
    staff = StaffFactory(first_name="Sam", last_name="Patel")
    admin = PolicyAdminFactory(first_name="Alex", last_name="Hoyle")

    page = portal.new_page()
    page.goto("/")
    expect(page).to_have_url(portal.url("/accounts/login/?next=/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    portal.check(page, "login")

    # A wrong password: the summary at the top names the problem and the form keeps the email.
    field(page, "School email address").fill(staff.email)
    field(page, "Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_contain_text("do not match an account")
    expect(summary).to_be_focused()
    expect(field(page, "School email address")).to_have_value(staff.email)
    portal.check(page, "login-error", focus=False)

    field(page, "Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(portal.url("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Sam")
    portal.check(page, "home")

    go_to(page, "Notifications")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    portal.check(page, "notifications")

    page.locator("footer").get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    expect(page.get_by_role("heading", name="Known gaps")).to_be_visible()
    expect(page.get_by_role("heading", name="Reporting a problem")).to_be_visible()
    portal.check(page, "accessibility")

    # The school closures page is the policy admins'.
    admin_page = portal.sign_in(admin)
    go_to(admin_page, "School closures")
    expect(admin_page.get_by_role("heading", level=1)).to_have_text("School closures")
    portal.check(admin_page, "school-calendar")
    # An impossible date range is explained next to the field and in the summary.
    field(admin_page, "Name").fill("Half term")
    field(admin_page, "First day closed").fill("2027-02-19")
    field(admin_page, "Last day closed").fill("2027-02-15")
    admin_page.get_by_role("button", name="Add closure").click()
    last_day = field(admin_page, "Last day closed")
    expect(last_day).to_have_attribute("aria-invalid", "true")
    described_by = last_day.get_attribute("aria-describedby") or ""
    assert described_by, "the error message is not tied to the field with aria-describedby"
    expect(admin_page.locator(f"#{described_by.split()[0]}")).to_contain_text(
        "on or after the first day"
    )
    expect(admin_page.get_by_role("link", name="Last day closed: The last day")).to_have_attribute(
        "href", f"#{last_day.get_attribute('id')}"
    )
    portal.check(admin_page, "school-calendar-error", focus=False)
