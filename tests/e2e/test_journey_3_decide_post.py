"""Journey 3: the senior team decides on posts.

A senior-team member finds a post in the queue and asks for changes citing clause 4.4; the author
changes it and sends it again; a second senior-team member approves it using the keyboard alone;
the author records it as published with its address and it appears in the published log. Then a
campaign is proposed, and a post in it cannot be approved until the campaign is.
"""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tests.approvals.factories import AccountFactory, submitted_post
from tests.e2e.helpers import field, go_to, tab_to, tick_the_self_check
from tests.factories import SeniorTeamFactory, StaffFactory

pytestmark = [pytest.mark.e2e]

FIRST_TEXT = "Sports day results: Red house won the relay, with a record time from Amira in Year 9!"
SECOND_TEXT = "Sports day results: Red house won the relay. Well done to every runner!"
LIVE_URL = "https://x.com/RedbridgeCS/status/1234567890"


def test_post_changes_approval_and_publication(portal):
    call_command("load_policy", stdout=StringIO())
    account = AccountFactory(name="Redbridge on X", handle="@RedbridgeCS", text_limit=280)
    author = StaffFactory(first_name="Sam", last_name="Patel")
    first_senior = SeniorTeamFactory(first_name="Priya", last_name="Shah")
    second_senior = SeniorTeamFactory(first_name="Tom", last_name="Bennett")
    submitted_post(author, account, text=FIRST_TEXT)

    # Priya finds it in the queue and asks for changes, citing clause 4.4.
    priya = portal.sign_in(first_senior)
    go_to(priya, "Senior-team queue")
    expect(priya.get_by_role("heading", level=1)).to_have_text("Senior-team queue")
    row = priya.get_by_role("row").filter(has_text="Sports day results")
    expect(row).to_contain_text("Sam Patel")
    expect(row).to_contain_text("Waiting for the senior team")
    portal.check(priya, "queue")
    row.get_by_role("link").first.click()
    expect(priya.get_by_role("heading", level=1)).to_have_text("Post for Redbridge on X")
    portal.check(priya, "decide")

    decision = priya.get_by_role("group", name=re.compile("Your decision"))
    decision.get_by_role("radio", name="Ask for changes").check()
    priya.get_by_role("button", name="Record my decision").click()
    # Asking for changes without saying what: the comment field explains.
    expect(priya.locator(".error-summary")).to_contain_text("Say what needs to change")
    expect(field(priya, "Comment").first).to_have_attribute("aria-invalid", "true")
    portal.check(priya, "decide-errors", focus=False)
    decision = priya.get_by_role("group", name=re.compile("Your decision"))
    decision.get_by_role("radio", name="Ask for changes").check()
    field(priya, "Comment").first.fill(
        "Please do not name a pupil in a public post. Say the house and the time instead."
    )
    field(priya, "Policy clauses this refers to (optional)").first.fill("4.4")
    priya.get_by_role("button", name="Record my decision").click()
    expect(priya.locator(".messages")).to_contain_text("You asked for changes.")

    # Sam changes the post and sends it again.
    sam = portal.sign_in(author)
    go_to(sam, "My posts")
    item = sam.locator(".post-list-item").filter(has_text="Sports day results")
    expect(item.locator(".status-badge")).to_have_text("Changes requested")
    portal.check(sam, "my-posts-changes")
    item.get_by_role("link").first.click()
    expect(sam.locator(".cited-clauses")).to_contain_text("4.4")
    portal.check(sam, "changes-requested")
    sam.get_by_role("link", name="Change the post").click()
    expect(sam.get_by_role("note")).to_contain_text("Priya Shah asked for changes")
    field(sam, "Text of the post").fill(SECOND_TEXT)
    tick_the_self_check(sam)
    portal.check(sam, "edit")
    sam.get_by_role("button", name="Send to the senior team").click()
    expect(sam.locator(".status-badge").first).to_have_text("Waiting for the senior team")

    # Tom approves with the keyboard alone: Tab to the post in the queue, Enter to open it,
    # Tab to "Approve it", Space to choose it, Tab to the button, Enter to record it.
    tom = portal.sign_in(second_senior)
    tom.goto("/posts/queue/")
    lost_focus = tab_to(tom, tom.get_by_role("link", name=re.compile("^Sports day results")))
    tom.keyboard.press("Enter")
    expect(tom.get_by_role("heading", level=1)).to_have_text("Post for Redbridge on X")
    expect(tom.locator(".post-text")).to_contain_text("Well done to every runner")
    portal.check(tom, "approve")
    approve = tom.get_by_role("radio", name="Approve it")
    lost_focus += tab_to(tom, approve)
    tom.keyboard.press("Space")
    expect(approve).to_be_checked()
    lost_focus += tab_to(tom, tom.get_by_role("button", name="Record my decision"))
    tom.keyboard.press("Enter")
    expect(tom.locator(".messages")).to_contain_text("You approved the post.")
    assert not lost_focus, f"focus was not visible on: {lost_focus}"
    portal.check(tom, "approved-queue")

    # Sam records that it went out, and it is in the published log.
    sam.reload()
    expect(sam.locator(".status-badge").first).to_have_text("Approved – not yet published")
    portal.check(sam, "approved")
    sam.get_by_role("link", name="Record that it went out").click()
    expect(sam.get_by_role("heading", level=1)).to_have_text("Record that the post went out")
    portal.check(sam, "record-published")
    field(sam, "Web address of the live post").fill(LIVE_URL)
    sam.get_by_role("button", name="Record it").click()
    expect(sam.locator(".status-badge").first).to_have_text("Published")
    expect(sam.get_by_role("link", name=LIVE_URL).first).to_be_visible()
    portal.check(sam, "published")

    go_to(sam, "Published log")
    expect(sam.get_by_role("heading", level=1)).to_have_text("Published log")
    row = sam.get_by_role("row").filter(has_text="Sports day results")
    expect(row).to_contain_text("Sam Patel")
    expect(row).to_contain_text("Tom Bennett")
    expect(row.get_by_role("link", name=re.compile("Live post"))).to_have_attribute(
        "href", LIVE_URL
    )
    portal.check(sam, "published-log")


def test_campaign_gates_its_posts(portal):
    call_command("load_policy", stdout=StringIO())
    AccountFactory(name="Redbridge on X", handle="@RedbridgeCS", text_limit=280)
    author = StaffFactory(first_name="Sam", last_name="Patel")
    senior = SeniorTeamFactory(first_name="Priya", last_name="Shah")
    starts = timezone.localdate() + datetime.timedelta(days=7)

    # Sam proposes a campaign and writes its first post.
    sam = portal.sign_in(author)
    go_to(sam, "Campaigns")
    expect(sam.get_by_role("heading", level=1)).to_have_text("Campaigns")
    portal.check(sam, "campaigns")
    sam.get_by_role("link", name="Propose a campaign").click()
    portal.check(sam, "propose")
    field(sam, "Title").fill("Green Week")
    field(sam, "Aim").fill("A week of posts about the eco-club's work, to encourage families.")
    field(sam, "First day").fill(starts.isoformat())
    field(sam, "Last day").fill((starts + datetime.timedelta(days=4)).isoformat())
    sam.get_by_role("button", name="Send to the senior team").click()
    expect(sam.get_by_role("heading", level=1)).to_have_text("Green Week")
    expect(sam.locator(".status-badge").first).to_have_text("Waiting for the senior team")
    portal.check(sam, "campaign-proposed")

    go_to(sam, "My posts")
    sam.get_by_role("main").get_by_role("link", name="Write a post").first.click()
    field(sam, "Account").select_option(label="Redbridge on X (@RedbridgeCS), up to 280 characters")
    field(sam, "Text of the post").fill("Green Week starts on Monday: the eco-club's pond survey.")
    field(sam, "Purpose and benefit for the school").fill("Opens the Green Week campaign.")
    field(sam, "Campaign (optional)").select_option(label="Green Week")
    tick_the_self_check(sam)
    sam.get_by_role("button", name="Send to the senior team").click()
    expect(sam.locator(".messages")).to_contain_text("Your post was sent to the senior team.")

    # Priya cannot approve the post while the campaign waits.
    priya = portal.sign_in(senior)
    go_to(priya, "Senior-team queue")
    campaigns = priya.get_by_role("region", name="Campaigns waiting for permission")
    expect(campaigns.get_by_role("link", name="Green Week")).to_be_visible()
    priya.get_by_role("row").filter(has_text="Green Week starts").get_by_role("link").first.click()
    expect(priya.get_by_text("It cannot be approved until the campaign is.")).to_be_visible()
    portal.check(priya, "post-blocked")
    priya.get_by_role("radio", name="Approve it").check()
    priya.get_by_role("button", name="Record my decision").click()
    expect(priya.locator(".messages")).to_contain_text(re.compile("campaign", re.IGNORECASE))
    expect(priya.locator(".status-badge").first).to_have_text("Waiting for the senior team")
    portal.check(priya, "post-refused")

    # She approves the campaign; then the post.
    priya.get_by_role("link", name="Green Week").first.click()
    expect(priya.get_by_role("heading", level=1)).to_have_text("Green Week")
    portal.check(priya, "campaign-decide")
    priya.get_by_role("radio", name="Approve the campaign").check()
    priya.get_by_role("button", name="Record my decision").click()
    expect(priya.locator(".status-badge").first).to_have_text("Approved")
    portal.check(priya, "campaign-approved")
    priya.get_by_role("link", name=re.compile("^Green Week starts")).click()
    expect(priya.get_by_text("It cannot be approved until the campaign is.")).to_have_count(0)
    priya.get_by_role("radio", name="Approve it").check()
    priya.get_by_role("button", name="Record my decision").click()
    expect(priya.locator(".messages")).to_contain_text("You approved the post.")
