"""Staff sign in with their school account: Chromium goes from the portal's sign-in page to a
real OpenID Connect provider (tests/oidc_provider, the `oidc-provider` package), signs in on the
provider's own page and comes back. A new member of staff lands on the portal with a Staff
account; an address outside the school, and a closed account, are turned away."""

import re

import pytest
from playwright.sync_api import expect

from redbridge_portal import roles
from redbridge_portal.models import AuditEvent, User
from tests.factories import TEST_PASSWORD, StaffFactory
from tests.people.conftest import CALLBACK_PATH, start_provider, stop_provider, use_provider

pytestmark = [pytest.mark.e2e]


@pytest.fixture(scope="module")
def browser_provider(live_server):
    provider = start_provider([f"{live_server.url}{CALLBACK_PATH}"])
    yield provider
    stop_provider(provider)


@pytest.fixture
def sso_portal(portal, settings, browser_provider, monkeypatch):
    use_provider(
        settings,
        browser_provider,
        monkeypatch,
        SSO_LOGOUT_URL=f"{browser_provider.issuer}/session/end",
    )
    return portal


def sign_in_at_the_provider(portal, page, email, *, check=False):
    page.goto("/accounts/login/")
    if check:
        portal.check(page, "sign-in-page")
    page.get_by_role("button", name="Sign in with your school account").click()
    expect(page.get_by_role("heading", name="Test identity provider")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Continue").click()


def test_a_new_member_of_staff_signs_in_with_their_school_account(sso_portal, browser_provider):
    portal = sso_portal
    page = portal.new_page()

    sign_in_at_the_provider(portal, page, "nia.campbell@redbridge.example", check=True)

    page.wait_for_url(portal.url("/"))
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Nia Campbell")
    portal.check(page, "home")
    person = User.objects.get(email="nia.campbell@redbridge.example")
    assert roles.role_names(person) == [roles.STAFF]

    # Signing out of the portal offers signing out of the school account too.
    page.goto("/accounts/profile/")
    page.locator("form[action='/accounts/logout/'] button").dispatch_event("click")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    sign_out_there = page.get_by_role("link", name="sign out of your school account")
    expect(sign_out_there).to_have_attribute("href", f"{browser_provider.issuer}/session/end")
    portal.check(page, "signed-out")


def test_an_address_outside_the_school_is_turned_away(sso_portal):
    portal = sso_portal
    page = portal.new_page()

    sign_in_at_the_provider(portal, page, "someone@gmail.example")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You cannot sign in with that account"
    )
    expect(page.get_by_text("is not a school email address")).to_be_visible()
    portal.check(page, "refused")
    assert not User.objects.filter(email="someone@gmail.example").exists()
    assert AuditEvent.objects.filter(action="login.sso_refused").count() == 1


def test_a_closed_account_is_turned_away(sso_portal):
    portal = sso_portal
    StaffFactory(email="lee.leaver@redbridge.example", is_active=False)
    page = portal.new_page()

    sign_in_at_the_provider(portal, page, "lee.leaver@redbridge.example")

    expect(page.get_by_text("Your account on the staff portal has been closed")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
