"""Journey 2: a member of staff writes a post with an image (alt text, source, consent), watches
the character count, completes the self-check and sends it; "My posts" shows it waiting."""

import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.approvals.factories import AccountFactory
from tests.e2e.helpers import field, go_to
from tests.factories import StaffFactory

pytestmark = [pytest.mark.e2e]

ACCOUNT_CHOICE = "Redbridge on X (@RedbridgeCS), up to 280 characters"
TEXT = "Year 7 planted 40 trees by the pond today. Thank you to every family who helped!"


def test_staff_writes_and_sends_post(portal, tmp_path):
    AccountFactory(name="Redbridge on X", handle="@RedbridgeCS", text_limit=280)
    staff = StaffFactory(first_name="Sam", last_name="Patel")
    photo = tmp_path / "tree-planting.png"
    Image.new("RGB", (640, 480), (60, 140, 60)).save(photo)

    page = portal.sign_in(staff)
    go_to(page, "My posts")
    expect(page.get_by_role("heading", level=1)).to_have_text("My posts")
    expect(page.get_by_text("You have not written any posts yet")).to_be_visible()
    portal.check(page, "my-posts-empty")

    page.get_by_role("main").get_by_role("link", name="Write a post").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write a post")
    portal.check(page, "write")

    field(page, "Account").select_option(label=ACCOUNT_CHOICE)
    field(page, "Text of the post").fill(TEXT)
    counter = page.locator("#char-count")
    expect(counter).to_have_text(f"{len(TEXT)} of 280 characters used. {280 - len(TEXT)} left.")
    field(page, "Link (optional)").fill("https://www.redbridge.example/news/trees")
    with_link = len(TEXT) + 1 + len("https://www.redbridge.example/news/trees")
    expect(counter).to_have_text(re.compile(rf"^{with_link} of 280 characters used\."))
    field(page, "Purpose and benefit for the school").fill(
        "Celebrates pupils' work and thanks the families who helped."
    )

    # Sending without the self-check: every unconfirmed line is named, at the top and beside it.
    page.get_by_role("button", name="Send to the senior team").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Confirm this line before you send the post.")
    first_check = page.get_by_role("group", name="Self-check before you send it").get_by_role(
        "checkbox"
    )
    expect(first_check.first).to_have_attribute("aria-invalid", "true")
    portal.check(page, "write-errors", focus=False)

    # The image, with what the senior team needs to know about it.
    field(page, "Add an image (optional)").set_input_files(photo)
    field(page, "Describe the image for people who cannot see it").fill(
        "Year 7 pupils planting a young oak tree beside the school pond"
    )
    page.get_by_role("radio", name="Our own (taken or made by school staff)").check()
    page.get_by_role("checkbox", name=re.compile("identifiable pupil in the image")).check()
    checks = page.get_by_role("group", name="Self-check before you send it").get_by_role("checkbox")
    for index in range(checks.count()):
        checks.nth(index).check()
    page.get_by_role("button", name="Send to the senior team").click()

    expect(page.locator(".messages")).to_contain_text("Your post was sent to the senior team.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Post for Redbridge on X")
    expect(page.locator(".status-badge").first).to_have_text("Waiting for the senior team")
    image = page.get_by_role("img", name="Year 7 pupils planting a young oak tree")
    expect(image).to_be_visible()
    expect(image).to_have_js_property("complete", True)  # loaded, or failed: waits for either
    assert image.evaluate("img => img.naturalWidth") > 0, "the image did not load"
    portal.check(page, "sent")

    go_to(page, "My posts")
    item = page.locator(".post-list-item").filter(has_text="Year 7 planted 40 trees")
    expect(item).to_have_count(1)
    expect(item.locator(".status-badge")).to_have_text("Waiting for the senior team")
    portal.check(page, "my-posts")
