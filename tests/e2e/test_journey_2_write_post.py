"""Journey 2: a member of staff writes a post with two images, watches the character count,
makes a mistake (the self-check) and sends it again without choosing the images a second time,
describing each (alt text, source, does it show pupils, consent); "My posts" shows it waiting."""

import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.approvals.factories import AccountFactory
from tests.e2e.helpers import field, go_to, tick_the_self_check
from tests.factories import StaffFactory

pytestmark = [pytest.mark.e2e]

ACCOUNT_CHOICE = "Redbridge on X (@RedbridgeCS), up to 280 characters"
TEXT = "Year 7 planted 40 trees by the pond today. Thank you to every family who helped!"


def test_staff_writes_and_sends_post(portal, tmp_path):
    AccountFactory(name="Redbridge on X", handle="@RedbridgeCS", text_limit=280)
    staff = StaffFactory(first_name="Sam", last_name="Patel")
    photo = tmp_path / "tree-planting.png"
    Image.new("RGB", (640, 480), (60, 140, 60)).save(photo)
    hall = tmp_path / "school-hall.png"
    Image.new("RGB", (640, 480), (140, 60, 60)).save(hall)

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
    with_link = len(TEXT) + 1 + 23  # X counts any web address as 23 characters
    expect(counter).to_have_text(re.compile(rf"^{with_link} of 280 characters used\."))
    field(page, "Purpose and benefit for the school").fill(
        "Celebrates pupils' work and thanks the families who helped."
    )

    # Two images at once, and sending without the self-check: the problems are listed once,
    # and the images are kept, each with its own questions.
    field(page, "Add images (optional)").set_input_files([photo, hall])
    page.get_by_role("button", name="Send to the senior team").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Self-check: confirm each line before you send the post")
    first_check = page.get_by_role("group", name="Self-check before you send it").get_by_role(
        "checkbox"
    )
    expect(first_check.first).to_have_attribute("aria-invalid", "true")
    cards = page.locator("fieldset.image-card")
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_contain_text("tree-planting.png")
    expect(cards.nth(1)).to_contain_text("school-hall.png")
    for index in range(2):
        thumbnail = cards.nth(index).locator("img")
        expect(thumbnail).to_have_js_property("complete", True)
        assert thumbnail.evaluate("img => img.naturalWidth") > 0, "a kept image did not load"
    portal.check(page, "write-errors", focus=False)

    # Each image's questions; those that do not apply stay hidden until they do.
    trees, building = cards.nth(0), cards.nth(1)
    field(trees, "Describe the image for people who cannot see it").fill(
        "Year 7 pupils planting a young oak tree beside the school pond"
    )
    trees.get_by_role("radio", name="Our own (taken or made by school staff)").check()
    consent = trees.get_by_role("checkbox", name=re.compile("photo consent on file"))
    expect(consent).to_be_hidden()
    trees.get_by_role("radio", name="Yes, pupils can be recognised").check()
    expect(consent).to_be_visible()
    consent.check()
    field(building, "Describe the image for people who cannot see it").fill(
        "The new school hall from the car park"
    )
    who = field(building, "Who gave permission")
    expect(who).to_be_hidden()
    building.get_by_role("radio", name="Someone else's, used with their permission").check()
    expect(who).to_be_visible()
    who.fill("Mrs Annabel Featherstonehaugh, the architect")
    building.get_by_role("radio", name="No pupils").check()
    expect(building.get_by_role("checkbox", name=re.compile("photo consent"))).to_be_hidden()
    tick_the_self_check(page)
    page.get_by_role("button", name="Send to the senior team").click()

    expect(page.locator(".messages")).to_contain_text("Your post was sent to the senior team.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Post for Redbridge on X")
    expect(page.locator(".status-badge").first).to_have_text("Waiting for the senior team")
    image = page.get_by_role("img", name="Year 7 pupils planting a young oak tree")
    expect(image).to_be_visible()
    expect(image).to_have_js_property("complete", True)  # loaded, or failed: waits for either
    assert image.evaluate("img => img.naturalWidth") > 0, "the image did not load"
    expect(page.get_by_role("img", name="The new school hall from the car park")).to_be_visible()
    portal.check(page, "sent")

    go_to(page, "My posts")
    item = page.locator(".post-list-item").filter(has_text="Year 7 planted 40 trees")
    expect(item).to_have_count(1)
    expect(item.locator(".status-badge")).to_have_text("Waiting for the senior team")
    portal.check(page, "my-posts")
