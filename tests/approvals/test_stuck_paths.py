"""Paths where a post or a person used to get stuck."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals import services
from approvals.models import DecisionOutcome, Post, PostStatus
from approvals.reminders import Waiting, waiting_in_words
from redbridge_portal.models import Notification, NotificationKind
from tests.approvals.factories import (
    ALL_CONFIRMED,
    AccountFactory,
    draft_post,
    proposed_campaign,
    submitted_post,
)

pytestmark = pytest.mark.django_db


def test_a_declined_campaigns_waiting_posts_go_back_to_their_authors_with_the_reason(
    staff_user, other_staff_user, senior_user, second_senior_user
):
    account = AccountFactory()
    campaign = proposed_campaign(staff_user)
    waiting = submitted_post(other_staff_user, account, campaign=campaign)
    still_a_draft = draft_post(staff_user, account, campaign=campaign)
    own = submitted_post(senior_user, account, campaign=campaign)

    services.campaign_decide(
        actor=senior_user, campaign=campaign, approve=False, reason="It clashes with exam week."
    )

    waiting.refresh_from_db()
    assert waiting.status == PostStatus.CHANGES_REQUESTED
    assert waiting.last_decision.outcome == DecisionOutcome.REQUEST_CHANGES
    assert "It clashes with exam week." in waiting.last_decision.comment
    own.refresh_from_db()
    assert own.status == PostStatus.CHANGES_REQUESTED  # nobody could ever have decided it
    still_a_draft.refresh_from_db()
    assert still_a_draft.status == PostStatus.DRAFT
    assert not Post.objects.awaiting_decision().filter(campaign=campaign).exists()

    told = Notification.objects.get(recipient=other_staff_user, kind=NotificationKind.POST_DECIDED)
    assert "It clashes with exam week." in told.message
    assert told.url == waiting.get_absolute_url()
    assert Notification.objects.filter(recipient=staff_user, url=still_a_draft.get_absolute_url())

    # The author takes it out of the campaign and sends it again; it can now be decided.
    result = services.post_update(
        actor=other_staff_user,
        post=waiting,
        content=services.PostContent(
            account=account, text=waiting.text, purpose=waiting.purpose, campaign=None
        ),
        submit=True,
        self_check=ALL_CONFIRMED,
    )
    assert result.revision_created
    services.post_approve(actor=second_senior_user, post=waiting)
    waiting.refresh_from_db()
    assert waiting.status == PostStatus.APPROVED


def test_the_campaign_declined_email_gives_the_reason(staff_user, senior_user):
    campaign = proposed_campaign(staff_user)
    services.campaign_decide(
        actor=senior_user, campaign=campaign, approve=False, reason="Too close to exams."
    )
    told = Notification.objects.get(recipient=staff_user, kind=NotificationKind.CAMPAIGN_DECIDED)
    assert "Too close to exams." in told.message
    assert "on the campaign's page" not in told.message


def test_a_post_planned_outside_its_campaign_is_refused_by_the_service(staff_user):
    campaign = proposed_campaign(staff_user)
    late = timezone.make_aware(
        datetime.datetime.combine(campaign.ends_on + datetime.timedelta(days=1), datetime.time(9))
    )
    with pytest.raises(services.ApprovalError, match="within the campaign"):
        draft_post(staff_user, AccountFactory(), campaign=campaign, planned_for=late)
    inside = late - datetime.timedelta(days=2)
    assert draft_post(staff_user, AccountFactory(), campaign=campaign, planned_for=inside)


@pytest.mark.parametrize(
    ("hours", "words"),
    [
        (0.1, "less than a school hour"),
        (1.2, "about 1 school hour"),
        (5.6, "about 6 school hours"),
    ],
)
def test_the_wait_is_said_in_words(hours, words):
    assert waiting_in_words(Waiting(hours, False, False)) == words


def test_the_queue_marks_a_seniors_own_post_and_says_the_wait_in_words(
    senior_client, senior_user, staff_user
):
    account = AccountFactory()
    submitted_post(staff_user, account, text="Someone else's post.")
    submitted_post(senior_user, account, text="My own post.")
    html = senior_client.get(reverse("approvals:queue")).content.decode()
    rows = re.findall(r'<tr class="queue-row.*?</tr>', html, re.S)
    own = next(row for row in rows if "My own post." in row)
    other = next(row for row in rows if "Someone else" in row)
    assert "Your post: another member of the senior team decides" in own
    assert "Your post" not in other
    assert "less than a school hour" in other
    assert "0 school hours" not in html
