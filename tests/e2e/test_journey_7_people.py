"""A policy admin brings the school's people in, as on the first day after installing: adds one
teacher, makes them senior team, imports the staff list (preview, then confirm), closes a
leaver's account, and adds the school's first social media account. Every page is checked at
phone and laptop sizes (axe-core, nothing wider than the phone)."""

import re

import pytest
from playwright.sync_api import expect

from redbridge_portal import roles
from redbridge_portal.models import User
from tests.e2e.helpers import PHONE, field
from tests.factories import PolicyAdminFactory, StaffFactory

pytestmark = [pytest.mark.e2e]

STAFF_LIST = (
    "Forename;Surname;Email;Senior team\n"
    "Nia;Campbell;nia.campbell@redbridge.example;no\n"
    "Oliver;Grant;oliver.grant@redbridge.example;yes\n"
    "Jo;;jo@redbridge.example;no\n"
)


def test_a_policy_admin_brings_the_school_in(portal, tmp_path):
    admin = PolicyAdminFactory(first_name="Alex", last_name="Hoyle")
    leaver = StaffFactory(first_name="Lee", last_name="Leaver")
    page = portal.sign_in(admin, viewport=PHONE)

    page.goto("/people/")
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    portal.check(page, "people")

    # Add one teacher; a mistake first, shown next to the field.
    page.get_by_role("link", name="Add a person").click()
    portal.check(page, "add-person")
    field(page, "First name").fill("Kim")
    field(page, "Last name").fill("Lowe")
    field(page, "School email address").fill("not-an-address")
    page.get_by_role("button", name="Add this person").click()
    expect(page.locator(".error-summary")).to_be_visible()
    portal.check(page, "add-person-error")
    field(page, "School email address").fill("kim.lowe@redbridge.example")
    page.get_by_role("button", name="Add this person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kim Lowe")
    portal.check(page, "person")

    # Make them senior team.
    page.get_by_role("checkbox", name=re.compile("Senior team")).check()
    page.get_by_role("button", name="Save their roles").click()
    expect(page.get_by_text("Roles saved")).to_be_visible()
    assert roles.SENIOR_TEAM in roles.role_names(
        User.objects.get(email="kim.lowe@redbridge.example")
    )

    # Import the staff list: a preview first, with the bad row explained.
    csv_file = tmp_path / "staff.csv"
    csv_file.write_text(STAFF_LIST, encoding="utf-8-sig")
    page.goto("/people/import/")
    portal.check(page, "import")
    page.get_by_label("Staff list (CSV file)").set_input_files(str(csv_file))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", name="Rows with errors")).to_be_visible()
    expect(page.get_by_role("cell", name="The first name or last name is missing.")).to_be_visible()
    portal.check(page, "import-preview")
    assert not User.objects.filter(email="nia.campbell@redbridge.example").exists()
    page.get_by_role("checkbox", name=re.compile("Import only the rows without errors")).check()
    page.get_by_role("button", name=re.compile(r"^Import 2 people")).click()
    expect(page.get_by_text("Imported: 2 added")).to_be_visible()
    oliver = User.objects.get(email="oliver.grant@redbridge.example")
    assert roles.role_names(oliver) == [roles.STAFF, roles.SENIOR_TEAM]

    # Close a leaver's account.
    page.goto(f"/people/{leaver.pk}/")
    page.get_by_role("button", name="Close the account").click()
    expect(page.get_by_text("can no longer sign in")).to_be_visible()
    portal.check(page, "leaver-closed")

    # The school's first social media account.
    page.goto("/posts/accounts/")
    portal.check(page, "accounts-empty")
    page.get_by_role("link", name="Add an account").click()
    field(page, "Name").fill("School X")
    page.get_by_label("Platform").select_option("x")
    field(page, "Handle").fill("@RedbridgeCS")
    field(page, "Most characters in one post").fill("280")
    portal.check(page, "account-form")
    page.get_by_role("button", name="Add the account").click()
    expect(page.get_by_text("Staff can now choose it for posts")).to_be_visible()
    portal.check(page, "accounts")
