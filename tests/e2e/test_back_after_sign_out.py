"""On a shared staffroom computer, Back after signing out must not show the last page again."""

import pytest
from playwright.sync_api import expect

from concerns.models import ConcernUrgency
from concerns.services import concern_raise
from tests.e2e.helpers import PHONE

pytestmark = [pytest.mark.e2e]

CONCERN = "A parent's public post names a Year 9 pupil and their address."


def test_back_after_signing_out_does_not_show_the_page_again(portal):
    from tests.factories import StaffFactory

    staff = StaffFactory(first_name="Sam", last_name="Patel")
    concern, _ = concern_raise(actor=staff, description=CONCERN, urgency=ConcernUrgency.TODAY)

    page = portal.sign_in(staff, viewport=PHONE)
    page.goto(concern.get_absolute_url())
    expect(page.get_by_text(CONCERN)).to_be_visible()

    page.get_by_role("button", name="Show or hide the menu").click()
    page.get_by_role("button", name="Your account: Sam").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    assert "/posts/concerns/" not in page.url

    page.go_back()
    page.wait_for_load_state()
    expect(page.get_by_text(CONCERN)).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
