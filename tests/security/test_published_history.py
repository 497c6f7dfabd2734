"""A published post shows everyone what went out, and only its author and the senior team its
history: earlier wording, the reviewers' comments and decisions, and images removed on the
senior team's request (for example a pupil without consent in the photo)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from approvals import services
from approvals.images import clean_uploaded_image
from approvals.models import MediaSource, PostMedia
from tests.approvals.factories import ALL_CONFIRMED, AccountFactory, content, image_bytes
from tests.factories import PolicyAdminFactory

pytestmark = pytest.mark.django_db

REMOVED_REASON = "Pupil in photo A has no consent: remove it."


def new_media(name: str, alt: str) -> services.NewMedia:
    upload = SimpleUploadedFile(name, image_bytes("PNG"), content_type="image/png")
    return services.NewMedia(
        image=clean_uploaded_image(upload),
        alt_text=alt,
        source=MediaSource.OWN,
        pupil_consent_confirmed=True,
    )


@pytest.fixture
def published(staff_user, senior_user):
    """Sent with photos A and B; the senior team asks for A to go; published with B only."""
    account = AccountFactory()
    post, _ = services.post_create(
        actor=staff_user,
        content=content(account, text="First wording of sports day."),
        new_media=[new_media("a.png", "Photo A"), new_media("b.png", "Photo B")],
    )
    services.post_submit(actor=staff_user, post=post, self_check=ALL_CONFIRMED)
    services.post_request_changes(actor=senior_user, post=post, comment=REMOVED_REASON)
    photo_a = PostMedia.objects.get(post=post, alt_text="Photo A")
    services.post_update(
        actor=staff_user,
        post=post,
        content=content(account, text="Sports day: well done, everyone!"),
        remove_media_ids=[photo_a.pk],
        submit=True,
        self_check=ALL_CONFIRMED,
    )
    post.refresh_from_db()
    services.post_approve(actor=senior_user, post=post)
    post.refresh_from_db()
    services.post_mark_published(
        actor=staff_user, post=post, published_at=timezone.now(), url="https://x.com/r/1"
    )
    post.refresh_from_db()
    photo_b = PostMedia.objects.get(post=post, alt_text="Photo B")
    return post, photo_a, photo_b


@pytest.mark.parametrize("who", ["other_staff", "policy_admin"])
def test_everyone_else_sees_only_what_went_out(client, other_staff_user, published, who):
    post, photo_a, photo_b = published
    client.force_login(other_staff_user if who == "other_staff" else PolicyAdminFactory())
    page = client.get(post.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Sports day: well done, everyone!" in html
    assert "First wording of sports day." not in html
    assert REMOVED_REASON not in html
    assert reverse("approvals:media", args=[photo_a.pk]) not in html
    assert client.get(reverse("approvals:media", args=[photo_b.pk])).status_code == 200
    assert client.get(reverse("approvals:media", args=[photo_a.pk])).status_code == 404


@pytest.mark.parametrize("who", ["author", "senior"])
def test_the_author_and_the_senior_team_still_see_the_whole_history(
    client, staff_user, senior_user, published, who
):
    post, photo_a, _photo_b = published
    client.force_login(staff_user if who == "author" else senior_user)
    html = client.get(post.get_absolute_url()).content.decode()
    assert "First wording of sports day." in html
    assert REMOVED_REASON in html
    assert client.get(reverse("approvals:media", args=[photo_a.pk])).status_code == 200
