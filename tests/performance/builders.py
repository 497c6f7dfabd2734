"""Many rows, quickly, for the query-count tests: posts past the draft stage with their
revision, decision and comment, written in bulk rather than through the services (which the
approvals tests cover). Each row satisfies the models' constraints."""

from __future__ import annotations

import datetime

from django.utils import timezone

from approvals.models import (
    Campaign,
    CampaignStatus,
    Comment,
    Decision,
    DecisionOutcome,
    Post,
    PostRevision,
    PostStatus,
)
from redbridge_portal.models import Notification, NotificationKind
from tests.approvals.factories import ALL_CONFIRMED, AccountFactory
from tests.factories import SeniorTeamFactory, StaffFactory

DECIDED = {
    PostStatus.APPROVED: DecisionOutcome.APPROVE,
    PostStatus.PUBLISHED: DecisionOutcome.APPROVE,
    PostStatus.REJECTED: DecisionOutcome.REJECT,
    PostStatus.CHANGES_REQUESTED: DecisionOutcome.REQUEST_CHANGES,
}


def people(count: int, factory=StaffFactory) -> list:
    return [factory() for _ in range(count)]


def campaigns(count: int, *, proposer, decider) -> list[Campaign]:
    today = timezone.localdate()
    return Campaign.objects.bulk_create(
        Campaign(
            title=f"Campaign {n}",
            aim="To show what pupils do.",
            starts_on=today,
            ends_on=today + datetime.timedelta(days=7),
            proposer=proposer,
            status=CampaignStatus.APPROVED,
            decided_by=decider,
            decided_at=timezone.now(),
        )
        for n in range(count)
    )


def posts(
    count: int,
    *,
    status: str,
    authors: list,
    deciders: list | None = None,
    accounts: list | None = None,
    campaign_list: list | None = None,
    comments: bool = True,
) -> list[Post]:
    """`count` posts in `status`, cycling through the authors, accounts and campaigns given
    (so a page that fetched any of them per row would show it in its query count)."""
    accounts = accounts or [AccountFactory()]
    deciders = deciders or [SeniorTeamFactory()]
    campaign_list = campaign_list or [None]
    now = timezone.now()
    made = Post.objects.bulk_create(
        Post(
            author=authors[n % len(authors)],
            account=accounts[n % len(accounts)],
            campaign=campaign_list[n % len(campaign_list)],
            text=f"Post number {n}: Year 7 planted trees by the pond.",
            purpose="Celebrates pupils' work.",
        )
        for n in range(count)
    )
    if status == PostStatus.DRAFT:
        return made
    revisions = PostRevision.objects.bulk_create(
        # The revision holds the post's content as post_submit copies it.
        PostRevision(
            post=post,
            number=1,
            submitted_by=post.author,
            self_check=ALL_CONFIRMED,
            **post.content_values(),
        )
        for post in made
    )
    decisions = {}
    if status in DECIDED:
        outcome = DECIDED[status]
        decisions = {
            decision.post_id: decision
            for decision in Decision.objects.bulk_create(
                Decision(
                    post=revision.post,
                    revision=revision,
                    decided_by=deciders[n % len(deciders)],
                    outcome=outcome,
                    comment="" if outcome == DecisionOutcome.APPROVE else "Please change it.",
                )
                for n, revision in enumerate(revisions)
            )
        }
    for n, (post, revision) in enumerate(zip(made, revisions, strict=True)):
        post.status = status
        post.current_revision = revision
        post.submitted_at = now - datetime.timedelta(minutes=count - n)
        if post.pk in decisions:
            post.last_decision = decisions[post.pk]
            post.decided_at = now
        if status == PostStatus.PUBLISHED:
            post.published_at = now - datetime.timedelta(minutes=count - n)
            post.published_url = f"https://x.example/redbridge/{post.pk}"
            post.published_by = post.author
    Post.objects.bulk_update(
        made,
        [
            "status",
            "current_revision",
            "submitted_at",
            "last_decision",
            "decided_at",
            "published_at",
            "published_url",
            "published_by",
        ],
    )
    if comments:
        Comment.objects.bulk_create(
            Comment(post=post, revision=post.current_revision, author=post.author, body="Thanks")
            for post in made
        )
    return made


def notifications(user, count: int) -> None:
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=NotificationKind.COMMENT_ADDED,
            subject=f"Comment {n}",
            message="A new comment.",
        )
        for n in range(count)
    )
