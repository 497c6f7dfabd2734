"""Choosing who manages one of the school's accounts from every member of staff: a box finds
them by name or email, the people already chosen stay in view, and the choice is saved."""

import pytest
from playwright.sync_api import expect

from approvals import social_accounts
from tests.e2e.helpers import PHONE

pytestmark = [pytest.mark.e2e]


def test_a_policy_admin_finds_a_person_in_the_list_of_all_staff(portal):
    from tests.factories import PolicyAdminFactory, StaffFactory

    admin = PolicyAdminFactory(first_name="Pat", last_name="Admin")
    for n in range(40):
        StaffFactory(first_name="Amy", last_name=f"Abbott-{n:02}")
    zara = StaffFactory(first_name="Zara", last_name="Zimmerman")
    omar = StaffFactory(first_name="Omar", last_name="Okafor", email="o.okafor@redbridge.example")
    account = social_accounts.social_account_add(
        actor=admin,
        name="School X",
        platform="x",
        handle="@RedbridgeCS",
        text_limit=280,
        managers=[zara],
    )

    page = portal.sign_in(admin, viewport=PHONE)
    page.goto(f"/posts/accounts/{account.pk}/edit/")
    choices = page.get_by_role("group", name="Who manages it")
    expect(choices.get_by_role("checkbox")).to_have_count(43)
    portal.check(page, "the account's page with every member of staff to choose from")

    page.get_by_label("Find by name or email").fill("okafor@")

    expect(choices.get_by_role("checkbox", name="Omar Okafor")).to_be_visible()
    # Zara is ticked, so she stays in view; the forty others are hidden.
    expect(choices.get_by_role("checkbox", name="Zara Zimmerman")).to_be_visible()
    expect(choices.get_by_role("checkbox", name="Amy Abbott-00")).to_be_hidden()
    expect(page.get_by_role("status")).to_have_text("2 of 43 shown")

    choices.get_by_role("checkbox", name="Omar Okafor").check()
    page.get_by_role("button", name="Save the changes").click()

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert set(account.managers.all()) == {zara, omar}
