"""Records that can be put right: the address must be on the account's platform, and the
senior team can correct a recorded publication with the old values kept."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals import services
from approvals.models import Platform, PostStatus, PublicationCorrection
from approvals.services import ApprovalError
from redbridge_portal.models import AuditEvent
from tests.approvals.factories import AccountFactory, approved_post

pytestmark = pytest.mark.django_db

X_URL = "https://x.com/RedbridgeCS/status/1234567890"
FACEBOOK_URL = "https://www.facebook.com/redbridge/posts/987654321"


@pytest.fixture
def x_account(db):
    return AccountFactory(name="Redbridge on X", platform=Platform.X)


def _correct_to_x(actor, post, reason):
    """Ask the service directly, as a page sent by someone it should refuse would."""
    return services.post_correct_publication(
        actor=actor, post=post, published_at=timezone.now(), url=X_URL, reason=reason
    )


def _when(text):
    return timezone.make_aware(datetime.datetime.fromisoformat(text))


def test_a_facebook_address_is_refused_for_an_x_post(
    staff_client, staff_user, senior_user, x_account
):
    post = approved_post(staff_user, senior_user, x_account)
    url = reverse("approvals:post_mark_published", args=[post.pk])
    response = staff_client.post(url, {"published_at": "2026-01-05T09:00", "url": FACEBOOK_URL})
    assert response.status_code == 200
    assert "www.facebook.com is not on X (Twitter)" in response.content.decode()
    post.refresh_from_db()
    assert post.status == PostStatus.APPROVED
    # The service refuses it too, whoever calls it.
    with pytest.raises(ApprovalError):
        services.post_mark_published(
            actor=staff_user, post=post, published_at=timezone.now(), url=FACEBOOK_URL
        )
    ok = staff_client.post(url, {"published_at": "2026-01-05T09:00", "url": X_URL})
    assert ok.status_code == 302


def _published(staff_user, senior_user, account, url=FACEBOOK_URL):
    account.platform = Platform.OTHER  # as recorded before addresses were checked
    account.save()
    post = approved_post(staff_user, senior_user, account)
    services.post_mark_published(
        actor=staff_user, post=post, published_at=_when("2026-01-05T09:00"), url=url
    )
    account.platform = Platform.X
    account.save()
    post.refresh_from_db()
    return post


def test_the_senior_team_corrects_a_record_and_the_old_values_are_kept(
    senior_client, staff_user, senior_user, second_senior_user, x_account
):
    post = _published(staff_user, second_senior_user, x_account)
    url = reverse("approvals:post_correct_publication", args=[post.pk])
    page = senior_client.get(url)
    assert page.status_code == 200
    assert FACEBOOK_URL in page.content.decode()

    response = senior_client.post(
        url,
        {
            "published_at": "2026-01-05T09:30",
            "url": X_URL,
            "reason": "The Facebook address was recorded by mistake.",
        },
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.published_url == X_URL
    assert timezone.localtime(post.published_at).strftime("%H:%M") == "09:30"
    correction = PublicationCorrection.objects.get(post=post)
    assert correction.old_url == FACEBOOK_URL
    assert correction.corrected_by == senior_user
    event = AuditEvent.objects.get(action="post.publication_corrected")
    assert event.data["before"]["url"] == FACEBOOK_URL
    assert event.data["after"]["url"] == X_URL

    history = senior_client.get(post.get_absolute_url()).content.decode()
    assert "Publication record corrected by" in history
    assert FACEBOOK_URL in history and X_URL in history
    assert "The Facebook address was recorded by mistake." in history


def test_a_correction_must_also_be_on_the_platform_and_give_a_reason(
    senior_client, staff_user, second_senior_user, x_account
):
    post = _published(staff_user, second_senior_user, x_account)
    url = reverse("approvals:post_correct_publication", args=[post.pk])
    response = senior_client.post(
        url, {"published_at": "2026-01-05T09:30", "url": FACEBOOK_URL, "reason": ""}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "is not on X (Twitter)" in html
    assert "This field is required" in html
    assert PublicationCorrection.objects.count() == 0


def test_only_the_senior_team_may_correct_a_record(
    staff_client, staff_user, second_senior_user, x_account
):
    post = _published(staff_user, second_senior_user, x_account)
    url = reverse("approvals:post_correct_publication", args=[post.pk])
    assert staff_client.get(url).status_code == 403
    with pytest.raises(ApprovalError):
        _correct_to_x(staff_user, post, "Mine really.")
    assert PublicationCorrection.objects.count() == 0


def test_an_unpublished_post_has_no_record_to_correct(
    senior_client, staff_user, second_senior_user, x_account
):
    post = approved_post(staff_user, second_senior_user, x_account)
    response = senior_client.get(reverse("approvals:post_correct_publication", args=[post.pk]))
    assert response.status_code == 302
    with pytest.raises(ApprovalError):
        _correct_to_x(second_senior_user, post, "Too early.")
