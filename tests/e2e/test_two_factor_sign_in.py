"""The senior team and policy admins sign in with a second step. The journeys run with
TWO_FACTOR_REQUIRED off to stay short; this test walks the two-factor pages those people meet
every day, with the setting on: setting up the authenticator app, the backup codes, and
entering a code at the next sign-in."""

import base64
import re
import time

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.e2e.helpers import PHONE, field
from tests.factories import SeniorTeamFactory

pytestmark = [pytest.mark.e2e]


def authenticator_code(secret: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key typed from the setup page."""
    totp = TOTP(base64.b32decode(secret.replace(" ", "")))
    totp.time = time.time() + steps_ahead * totp.step
    return f"{totp.token():06d}"


def test_senior_team_member_sets_up_and_uses_two_factor(portal, settings):
    settings.TWO_FACTOR_REQUIRED = True
    senior = SeniorTeamFactory(first_name="Priya", last_name="Shah")

    page = portal.sign_in(senior, viewport=PHONE, lands_on=None)
    expect(page).to_have_url(re.compile(r"/two-factor/setup/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    portal.check(page, "setup")

    # A wrong code is explained beside the field.
    field(page, "Code").fill("000000")
    page.get_by_role("button", name=re.compile("Continue|Confirm|Turn on", re.I)).click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(field(page, "Code")).to_have_attribute("aria-invalid", "true")
    portal.check(page, "setup-error", focus=False)

    secret = page.locator("code").first.inner_text()
    # django-otp throttles a device after a wrong code (1 s after the first failure); a person
    # takes longer than that to type the next code, so wait as they would.
    page.wait_for_timeout(1500)
    field(page, "Code").fill(authenticator_code(secret))
    page.get_by_role("button", name=re.compile("Continue|Confirm|Turn on", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Backup codes")
    expect(
        page.get_by_role("list", name="Your backup codes").get_by_role("listitem")
    ).to_have_count(settings.BACKUP_CODE_COUNT)
    portal.check(page, "backup-codes")
    page.get_by_role("link", name="I have kept my codes: continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Priya")

    # Next time (a new browser, as on another day), the code is asked for after the password.
    # The app shows the next code by then: a code is accepted only once.
    later = portal.sign_in(senior, lands_on=None)
    expect(later).to_have_url(re.compile(r"/two-factor/verify/"))
    expect(later.get_by_role("heading", level=1)).to_have_text("Enter the code from your phone")
    portal.check(later, "verify")
    field(later, "Code").fill(authenticator_code(secret, steps_ahead=1))
    later.get_by_role("button", name=re.compile("Continue|Confirm|Sign in", re.I)).click()
    expect(later.get_by_role("heading", level=1)).to_have_text("Hello, Priya")
    # In the closed "Senior team" menu.
    expect(later.get_by_role("link", name="Senior-team queue", include_hidden=True)).to_have_count(
        1
    )
