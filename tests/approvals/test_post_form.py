"""The post form never loses work: images are kept across mistakes, several can be added at
once, each image's questions apply only when they should, and one summary lists the problems."""

import datetime
import io
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals.models import MediaSource, PendingImage, Platform, Post, PostMedia, PostStatus
from tests.approvals.factories import (
    SELF_CHECK_FIELDS,
    AccountFactory,
    draft_post,
    image_bytes,
    post_form_data,
    proposed_campaign,
)

pytestmark = pytest.mark.django_db

CREATE = reverse("approvals:post_create")


def upload(name, fmt="PNG", color=(200, 30, 30)):
    file = io.BytesIO(image_bytes(fmt, color=color))
    file.name = name
    return file


def content(account, **overrides):
    """The post form's data, under its own key for images chosen before saving."""
    return post_form_data(account, **{"image_key": str(uuid.uuid4()), **overrides})


def details(pending, **overrides):
    p = f"image_{pending.pk}"
    data = {
        f"{p}_alt_text": f"Described {pending.original_name}",
        f"{p}_source": MediaSource.OWN,
        f"{p}_shows_pupils": "no",
    }
    data.update({f"{p}_{k}": v for k, v in overrides.items()})
    return data


def summary(response) -> list[str]:
    html = response.content.decode()
    block = re.search(r'<div class="alert alert-danger error-summary".*?</ul>', html, re.S)
    if not block:
        return []
    items = re.findall(r"<li>(.*?)</li>", block.group(0), re.S)
    return [re.sub(r"<[^>]+>", "", item).strip() for item in items]


def test_two_images_survive_a_mistake_and_are_saved_without_choosing_them_again(
    staff_client, account
):
    data = content(account, purpose="", action="submit")
    first = staff_client.post(
        CREATE, {**data, "images": [upload("choir.png"), upload("hall.png", color=(0, 90, 0))]}
    )
    assert first.status_code == 200
    assert Post.objects.count() == 0
    pending = list(PendingImage.objects.order_by("pk"))
    assert [p.original_name for p in pending] == ["choir.png", "hall.png"]
    html = first.content.decode()
    for item in pending:
        assert reverse("approvals:pending_image", args=[item.pk]) in html
        assert f'name="image_{item.pk}_alt_text"' in html
    assert f'name="image_key" value="{data["image_key"]}"' in html

    # Sent again with the mistake put right and the images described, but no file chosen.
    data.update(purpose="Shows the community what our pupils achieve.", **SELF_CHECK_FIELDS)
    for item in pending:
        data.update(details(item))
    second = staff_client.post(CREATE, data)
    assert second.status_code == 302
    post = Post.objects.get()
    assert post.status == PostStatus.SUBMITTED
    assert sorted(m.alt_text for m in post.media.all()) == [
        "Described choir.png",
        "Described hall.png",
    ]
    assert sorted(m.image.name for m in post.media.all()) == sorted(p.image.name for p in pending)
    assert PendingImage.objects.count() == 0
    assert set(post.current_revision.media.all()) == set(post.media.all())


def test_images_are_kept_on_the_edit_form_too(staff_client, staff_user, account):
    post = draft_post(staff_user, account)
    url = reverse("approvals:post_edit", args=[post.pk])
    data = content(account, text="")
    del data["form_token"]
    staff_client.post(url, {**data, "images": upload("pond.png")})
    (pending,) = PendingImage.objects.all()
    data.update(text="Pond day.", **details(pending))
    assert staff_client.post(url, data).status_code == 302
    assert post.media.get().alt_text == "Described pond.png"


def test_an_image_that_shows_no_pupils_needs_no_consent_tick(staff_client, account):
    data = content(account)
    staff_client.post(CREATE, {**data, "images": upload("building.png")})
    (pending,) = PendingImage.objects.all()
    response = staff_client.post(CREATE, {**data, **details(pending, shows_pupils="no")})
    assert response.status_code == 302
    media = PostMedia.objects.get()
    assert media.shows_pupils is False
    assert media.pupil_consent_confirmed is False


def test_an_image_that_shows_pupils_needs_the_consent_tick(staff_client, account):
    data = content(account)
    staff_client.post(CREATE, {**data, "images": upload("sports.png")})
    (pending,) = PendingImage.objects.all()
    refused = staff_client.post(CREATE, {**data, **details(pending, shows_pupils="yes")})
    assert refused.status_code == 200
    assert "every pupil who can be recognised has photo consent" in refused.content.decode()
    agreed = staff_client.post(
        CREATE, {**data, **details(pending, shows_pupils="yes", pupil_consent="on")}
    )
    assert agreed.status_code == 302
    assert PostMedia.objects.get().pupil_consent_confirmed is True


def test_who_gave_permission_is_kept_only_for_an_image_used_with_permission(staff_client, account):
    data = content(account)
    staff_client.post(CREATE, {**data, "images": upload("photo.png")})
    (pending,) = PendingImage.objects.all()
    staff_client.post(
        CREATE,
        {
            **data,
            **details(pending, source=MediaSource.OWN, permission_from="Left over", credit="Old"),
        },
    )
    media = PostMedia.objects.get()
    assert (media.permission_from, media.credit) == ("", "")


def test_an_image_used_with_permission_must_say_who_gave_it(staff_client, account):
    data = content(account)
    staff_client.post(CREATE, {**data, "images": upload("photo.png")})
    (pending,) = PendingImage.objects.all()
    response = staff_client.post(
        CREATE, {**data, **details(pending, source=MediaSource.PERMISSION)}
    )
    assert summary(response) == ["photo.png: Say who gave permission to use the image."]


def test_a_discarded_image_is_not_added(staff_client, account):
    data = content(account)
    staff_client.post(CREATE, {**data, "images": [upload("a.png"), upload("b.png")]})
    keep, drop = PendingImage.objects.order_by("pk")
    response = staff_client.post(
        CREATE, {**data, **details(keep), "discard_images": [str(drop.pk)]}
    )
    assert response.status_code == 302
    assert PostMedia.objects.get().original_name == "a.png"
    assert not PendingImage.objects.filter(pk=drop.pk).exists()


def test_someone_elses_image_key_shows_none_of_their_images(
    client, staff_user, other_staff_user, account
):
    client.force_login(staff_user)
    data = content(account)
    client.post(CREATE, {**data, "images": upload("mine.png")})
    client.force_login(other_staff_user)
    response = client.post(CREATE, {**data, "text": ""})
    assert "mine.png" not in response.content.decode()


def test_one_summary_lists_each_problem_once(staff_client, account):
    response = staff_client.post(CREATE, content(account, text="", action="submit"))
    assert summary(response) == [
        "Text of the post: This field is required.",
        "Self-check: confirm each line before you send the post (5 not confirmed).",
    ]
    html = response.content.decode()
    # No second copy of the problems in a message above the summary.
    assert "The post was not saved" not in html


def test_a_250_character_post_with_a_link_fits_on_x(staff_client):
    x = AccountFactory(name="X", platform=Platform.X, text_limit=280)
    link = "https://www.redbridge.example.org.uk/news/2026/" + "a" * 80
    response = staff_client.post(CREATE, content(x, text="a" * 250, link=link))
    assert response.status_code == 302
    facebook = AccountFactory(name="Facebook", platform=Platform.FACEBOOK, text_limit=280)
    refused = staff_client.post(CREATE, content(facebook, text="a" * 250, link=link))
    assert refused.status_code == 200


def test_an_instagram_post_cannot_be_sent_without_an_image(staff_client):
    instagram = AccountFactory(name="Instagram", platform=Platform.INSTAGRAM, text_limit=2200)
    response = staff_client.post(CREATE, content(instagram, action="submit", **SELF_CHECK_FIELDS))
    assert response.status_code == 200
    assert "add at least one image before you send the post" in response.content.decode()
    assert Post.objects.count() == 0
    # A draft may wait for its picture.
    assert staff_client.post(CREATE, content(instagram)).status_code == 302


def test_a_post_planned_outside_its_campaign_is_refused(staff_client, staff_user, account):
    campaign = proposed_campaign(staff_user)
    outside = timezone.localtime(
        timezone.make_aware(
            datetime.datetime.combine(
                campaign.ends_on + datetime.timedelta(days=3), datetime.time(9)
            )
        )
    )
    response = staff_client.post(
        CREATE,
        content(account, campaign=campaign.pk, planned_for=outside.strftime("%Y-%m-%dT%H:%M")),
    )
    assert response.status_code == 200
    assert "Plan the post for a day within the campaign" in response.content.decode()
    assert Post.objects.count() == 0


def test_the_preview_looks_like_the_platform_it_is_for(staff_client):
    instagram = AccountFactory(name="Instagram", platform=Platform.INSTAGRAM, text_limit=2200)
    response = staff_client.get(CREATE)
    assert response.status_code == 200
    post = draft_post(response.wsgi_request.user, instagram)
    page = staff_client.get(reverse("approvals:post_edit", args=[post.pk])).content.decode()
    assert "post-preview-instagram" in page
