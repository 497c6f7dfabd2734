"""The post and campaign workflow: every legal and illegal move, each role, four eyes."""

import datetime
import uuid

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from approvals import services
from approvals.models import (
    CampaignStatus,
    Comment,
    Decision,
    DecisionOutcome,
    Post,
    PostRevision,
    PostStatus,
)
from approvals.services import ApprovalError
from redbridge_portal.models import AuditEvent, ImmutableRecord, Notification, NotificationKind
from tests.approvals.factories import (
    ALL_CONFIRMED,
    AccountFactory,
    approved_post,
    content,
    draft_post,
    proposed_campaign,
    submitted_post,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def actions_for(post):
    return list(
        AuditEvent.objects.filter(target_id=str(post.pk), action__startswith="post.")
        .order_by("created_at", "id")
        .values_list("action", flat=True)
    )


# --- Creating and submitting --------------------------------------------------------------------


def test_a_new_post_is_a_draft_with_an_audit_event(staff_user, account):
    post = draft_post(staff_user, account)
    assert post.status == PostStatus.DRAFT
    assert post.submitted_at is None
    assert post.current_revision is None
    assert actions_for(post) == ["post.created"]


def test_someone_without_a_role_cannot_write_posts(account):
    nobody = UserFactory(roles=[])
    with pytest.raises(ApprovalError):
        draft_post(nobody, account)
    assert Post.objects.count() == 0


def test_submitting_freezes_a_revision_and_tells_the_senior_team_after_commit(
    staff_user, senior_user, second_senior_user, account, django_capture_on_commit_callbacks
):
    post = draft_post(staff_user, account)
    with django_capture_on_commit_callbacks() as callbacks:
        result = services.post_submit(actor=staff_user, post=post, self_check=ALL_CONFIRMED)
    post.refresh_from_db()
    assert result.revision_created
    assert post.status == PostStatus.SUBMITTED
    assert post.submitted_at is not None
    revision = post.current_revision
    assert revision.number == 1
    assert revision.text == post.text
    assert revision.self_check == ALL_CONFIRMED
    told = Notification.objects.filter(kind=NotificationKind.POST_SUBMITTED)
    assert {n.recipient for n in told} == {senior_user, second_senior_user}
    # The emails are queued once, after commit.
    assert len(callbacks) == 1
    assert actions_for(post) == ["post.created", "post.submitted"]


@pytest.mark.parametrize("missing", ["confidentiality", "copyright", "reposts"])
def test_submission_is_refused_until_every_self_check_line_is_confirmed(
    staff_user, account, missing
):
    post = draft_post(staff_user, account)
    answers = {**ALL_CONFIRMED, missing: False}
    with pytest.raises(ApprovalError, match="self-check"):
        services.post_submit(actor=staff_user, post=post, self_check=answers)
    post.refresh_from_db()
    assert post.status == PostStatus.DRAFT
    assert PostRevision.objects.count() == 0


def test_only_the_author_submits(staff_user, other_staff_user, account):
    post = draft_post(staff_user, account)
    with pytest.raises(ApprovalError, match="Only the author"):
        services.post_submit(actor=other_staff_user, post=post, self_check=ALL_CONFIRMED)


def test_text_above_the_accounts_limit_is_refused_with_a_message(staff_user):
    x = AccountFactory(name="X", text_limit=280)
    with pytest.raises(ApprovalError, match="281 characters long.*allows 280"):
        draft_post(staff_user, x, text="a" * 281)
    draft_post(staff_user, x, text="a" * 280)  # exactly at the limit is fine


def test_the_link_counts_towards_the_limit(staff_user):
    x = AccountFactory(name="X", text_limit=30)
    with pytest.raises(ApprovalError):
        draft_post(staff_user, x, text="a" * 10, link="https://example.org/long-path")


def test_a_post_needs_a_purpose(staff_user, account):
    with pytest.raises(ApprovalError, match="benefits the school"):
        draft_post(staff_user, account, purpose="   ")


def test_the_same_create_form_twice_makes_one_post(staff_user, account):
    token = uuid.uuid4()

    def send_the_form():
        return services.post_create(
            actor=staff_user,
            content=content(account),
            form_token=token,
            submit=True,
            self_check=ALL_CONFIRMED,
        )

    first, created = send_the_form()
    again, created_again = send_the_form()
    assert created and not created_again
    assert again == first
    assert Post.objects.count() == 1
    assert PostRevision.objects.count() == 1


def test_the_database_refuses_two_posts_with_one_form_token(staff_user, account):
    token = uuid.uuid4()
    Post.objects.create(author=staff_user, account=account, text="a", purpose="b", form_token=token)
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.create(
            author=staff_user, account=account, text="a", purpose="b", form_token=token
        )


def test_submitting_an_unchanged_submitted_post_again_does_nothing(staff_user, account):
    post = submitted_post(staff_user, account)
    result = services.post_submit(actor=staff_user, post=post, self_check=ALL_CONFIRMED)
    assert not result.revision_created
    assert PostRevision.objects.filter(post=post).count() == 1
    assert actions_for(post).count("post.submitted") == 1


# --- Deciding ----------------------------------------------------------------------------------


def test_approving_records_the_decision_on_the_revision_and_tells_the_author(
    staff_user, senior_user, account, policy_v1
):
    post = submitted_post(staff_user, account)
    decision = services.post_approve(actor=senior_user, post=post, clauses=["4.3"])
    post.refresh_from_db()
    assert post.status == PostStatus.APPROVED
    assert post.decided_at == decision.decided_at
    assert decision.revision == post.current_revision
    assert decision.policy_version == policy_v1
    assert decision.cited_clauses == ["4.3"]
    assert post.last_decision == decision
    notice = Notification.objects.get(kind=NotificationKind.POST_DECIDED)
    assert notice.recipient == staff_user
    assert "approved" in notice.message
    assert actions_for(post)[-1] == "post.approved"


@pytest.mark.parametrize(
    ("decide", "status"),
    [
        (services.post_request_changes, PostStatus.CHANGES_REQUESTED),
        (services.post_reject, PostStatus.REJECTED),
    ],
)
def test_request_changes_and_reject_need_a_comment(
    staff_user, senior_user, account, decide, status
):
    post = submitted_post(staff_user, account)
    with pytest.raises(ApprovalError, match="comment"):
        decide(actor=senior_user, post=post, comment="  ")
    assert Decision.objects.count() == 0
    decide(actor=senior_user, post=post, comment="Please remove the pupil's surname.")
    post.refresh_from_db()
    assert post.status == status


def test_the_database_requires_a_comment_unless_approved(staff_user, senior_user, account):
    post = submitted_post(staff_user, account)
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(
            post=post,
            revision=post.current_revision,
            decided_by=senior_user,
            outcome=DecisionOutcome.REJECT,
            comment="",
        )


def test_staff_cannot_decide(staff_user, other_staff_user, account):
    post = submitted_post(staff_user, account)
    with pytest.raises(ApprovalError, match="Only the senior team"):
        services.post_approve(actor=other_staff_user, post=post)
    post.refresh_from_db()
    assert post.status == PostStatus.SUBMITTED


def test_nobody_decides_on_their_own_post(senior_user, account):
    post = submitted_post(senior_user, account)
    for decide, extra in (
        (services.post_approve, {}),
        (services.post_request_changes, {"comment": "x"}),
        (services.post_reject, {"comment": "x"}),
    ):
        with pytest.raises(ApprovalError, match="your own post"):
            decide(actor=senior_user, post=post, **extra)
    assert Decision.objects.count() == 0


def test_a_senior_authors_post_is_decided_by_a_colleague(senior_user, second_senior_user, account):
    post = submitted_post(senior_user, account)
    services.post_approve(actor=second_senior_user, post=post)
    post.refresh_from_db()
    assert post.status == PostStatus.APPROVED


def test_approving_twice_says_who_decided_first_and_changes_nothing(
    staff_user, senior_user, second_senior_user, account
):
    post = submitted_post(staff_user, account)
    services.post_approve(actor=senior_user, post=post, revision_id=post.current_revision_id)
    events_before = AuditEvent.objects.count()
    with pytest.raises(ApprovalError, match="Priya Shah already decided"):
        services.post_reject(
            actor=second_senior_user,
            post=post,
            comment="No",
            revision_id=post.current_revision_id,
        )
    with pytest.raises(ApprovalError, match="already decided"):
        services.post_approve(actor=senior_user, post=post)
    assert Decision.objects.count() == 1
    assert AuditEvent.objects.count() == events_before
    assert Notification.objects.filter(kind=NotificationKind.POST_DECIDED).count() == 1


def test_one_decision_per_revision_is_held_by_the_database(staff_user, senior_user, account):
    post = approved_post(staff_user, senior_user, account)
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(
            post=post,
            revision=post.current_revision,
            decided_by=senior_user,
            outcome=DecisionOutcome.APPROVE,
        )


def test_a_decision_on_an_outdated_revision_is_refused(staff_user, senior_user, account, policy_v1):
    post = draft_post(staff_user, account)
    post = services.post_submit(actor=staff_user, post=post, self_check=ALL_CONFIRMED).post
    old_revision = post.current_revision_id
    services.post_update(
        actor=staff_user,
        post=post,
        content=content(account, text="A better text."),
        submit=True,
        self_check=ALL_CONFIRMED,
    )
    with pytest.raises(ApprovalError, match="changed the post"):
        services.post_approve(actor=senior_user, post=post, revision_id=old_revision)
    assert Decision.objects.count() == 0


@pytest.mark.parametrize("status", ["draft", "withdrawn", "approved", "rejected", "published"])
def test_deciding_is_refused_unless_the_post_waits(
    staff_user, senior_user, second_senior_user, account, status
):
    post = draft_post(staff_user, account)
    if status == "withdrawn":
        services.post_withdraw(actor=staff_user, post=post)
    elif status != "draft":
        post = submitted_post(staff_user, account)
        if status == "rejected":
            services.post_reject(actor=second_senior_user, post=post, comment="No")
        else:
            services.post_approve(actor=second_senior_user, post=post)
        if status == "published":
            services.post_mark_published(
                actor=staff_user, post=post, published_at=timezone.now(), url="https://x.com/1"
            )
    decisions_before = Decision.objects.count()
    with pytest.raises(ApprovalError):
        services.post_approve(actor=senior_user, post=post)
    post.refresh_from_db()
    assert post.status == status
    assert Decision.objects.count() == decisions_before


def test_acting_on_a_withdrawn_post_gives_a_clear_message(staff_user, senior_user, account):
    post = submitted_post(staff_user, account)
    services.post_withdraw(actor=staff_user, post=post)
    with pytest.raises(ApprovalError, match="Withdrawn"):
        services.post_approve(actor=senior_user, post=post)
    with pytest.raises(ApprovalError, match="Withdrawn"):
        services.post_submit(actor=staff_user, post=post, self_check=ALL_CONFIRMED)
    with pytest.raises(ApprovalError):
        services.post_update(actor=staff_user, post=post, content=content(account, text="new"))


# --- After a decision ---------------------------------------------------------------------------


def test_changes_requested_then_submitted_again_makes_a_new_revision(
    staff_user, senior_user, account
):
    post = submitted_post(staff_user, account, text="First try.")
    services.post_request_changes(actor=senior_user, post=post, comment="Add the date.")
    services.post_update(
        actor=staff_user, post=post, content=content(account, text="First try, on 4 May.")
    )
    post.refresh_from_db()
    assert post.status == PostStatus.CHANGES_REQUESTED  # saved, not yet sent
    result = services.post_submit(actor=staff_user, post=post, self_check=ALL_CONFIRMED)
    post.refresh_from_db()
    assert result.revision_created
    assert post.status == PostStatus.SUBMITTED
    assert post.current_revision.number == 2
    first = PostRevision.objects.get(post=post, number=1)
    assert first.text == "First try."  # the old revision is untouched
    assert first.decisions.get().outcome == DecisionOutcome.REQUEST_CHANGES


def test_editing_an_approved_post_sends_it_back_for_a_new_decision(
    staff_user, senior_user, account
):
    post = approved_post(staff_user, senior_user, account)
    with pytest.raises(ApprovalError, match="new decision"):
        services.post_update(
            actor=staff_user, post=post, content=content(account, text="Changed after approval.")
        )
    post.refresh_from_db()
    assert post.status == PostStatus.APPROVED
    result = services.post_update(
        actor=staff_user,
        post=post,
        content=content(account, text="Changed after approval."),
        submit=True,
        self_check=ALL_CONFIRMED,
    )
    post.refresh_from_db()
    assert result.revision_created
    assert post.status == PostStatus.SUBMITTED
    assert post.current_revision.number == 2
    assert post.current_revision.decisions.count() == 0
    assert "post.edited" in actions_for(post)


def test_an_approved_post_cannot_be_sent_again_unchanged(staff_user, senior_user, account):
    post = approved_post(staff_user, senior_user, account)
    with pytest.raises(ApprovalError, match="already approved"):
        services.post_submit(actor=staff_user, post=post, self_check=ALL_CONFIRMED)


def test_a_rejected_post_stays_rejected_and_a_new_draft_can_start_from_it(
    staff_user, senior_user, account
):
    post = submitted_post(staff_user, account)
    services.post_reject(actor=senior_user, post=post, comment="Not for the school account.")
    for attempt in (
        lambda: services.post_submit(actor=staff_user, post=post, self_check=ALL_CONFIRMED),
        lambda: services.post_update(actor=staff_user, post=post, content=content(account)),
        lambda: services.post_withdraw(actor=staff_user, post=post),
    ):
        with pytest.raises(ApprovalError):
            attempt()
    token = uuid.uuid4()
    copy, created = services.post_new_draft_from(actor=staff_user, post=post, form_token=token)
    again, created_again = services.post_new_draft_from(
        actor=staff_user, post=post, form_token=token
    )
    post.refresh_from_db()
    assert post.status == PostStatus.REJECTED
    assert created and not created_again and again == copy
    assert copy.status == PostStatus.DRAFT
    assert copy.text == post.text
    assert copy.copied_from == post


def test_a_new_draft_keeps_a_picture_without_pupils_and_survives_a_raced_double_submit(
    staff_user, senior_user, account, monkeypatch
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from approvals.images import clean_uploaded_image
    from approvals.models import Post, PostMedia
    from tests.approvals.factories import image_bytes

    building = clean_uploaded_image(SimpleUploadedFile("hall.png", image_bytes("PNG")))
    post, _created = services.post_create(
        actor=staff_user,
        content=services.PostContent(account=account, text="Our new hall", purpose="News"),
        new_media=[
            services.NewMedia(image=building, alt_text="The hall", source="own", shows_pupils=False)
        ],
        submit=True,
        self_check=ALL_CONFIRMED,
    )
    services.post_reject(actor=senior_user, post=post, comment="Wait for the opening.")
    token = uuid.uuid4()
    # The other copy of the same form wins the race between the check and the insert: this one
    # meets the unique constraint and returns the winner's draft instead of failing.
    winner, _created = services.post_new_draft_from(actor=staff_user, post=post, form_token=token)
    real_filter = Post.objects.filter
    calls = {"n": 0}

    def not_found_the_first_time(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1 and kwargs.get("form_token") == token:
            return Post.objects.none()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(Post.objects, "filter", not_found_the_first_time)
    again, created = services.post_new_draft_from(actor=staff_user, post=post, form_token=token)
    assert (again, created) == (winner, False)
    copied = PostMedia.objects.get(post=winner)
    assert copied.shows_pupils is False and copied.pupil_consent_confirmed is False


def test_only_the_author_starts_a_new_draft_and_only_from_a_rejected_or_withdrawn_post(
    staff_user, other_staff_user, account
):
    post = draft_post(staff_user, account)
    with pytest.raises(ApprovalError):
        services.post_new_draft_from(actor=staff_user, post=post)
    services.post_withdraw(actor=staff_user, post=post)
    with pytest.raises(ApprovalError):
        services.post_new_draft_from(actor=other_staff_user, post=post)


def test_marking_published_records_when_and_where(staff_user, senior_user, account):
    post = approved_post(staff_user, senior_user, account)
    went_out = timezone.now() - datetime.timedelta(minutes=10)
    services.post_mark_published(
        actor=staff_user, post=post, published_at=went_out, url="https://x.com/school/1"
    )
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    assert post.published_at == went_out
    assert post.published_url == "https://x.com/school/1"
    assert post.published_by == staff_user
    assert actions_for(post)[-1] == "post.published"


def test_a_senior_team_member_may_record_publication(staff_user, senior_user, account):
    post = approved_post(staff_user, senior_user, account)
    services.post_mark_published(
        actor=senior_user, post=post, published_at=timezone.now(), url="https://x.com/1"
    )
    post.refresh_from_db()
    assert post.published_by == senior_user


def test_marking_published_is_refused_for_others_unapproved_posts_and_without_a_url(
    staff_user, other_staff_user, senior_user, account
):
    waiting = submitted_post(staff_user, account)
    with pytest.raises(ApprovalError, match="Waiting for the senior team"):
        services.post_mark_published(
            actor=staff_user, post=waiting, published_at=timezone.now(), url="https://x.com/1"
        )
    approved = approved_post(staff_user, senior_user, account)
    with pytest.raises(ApprovalError, match="Only the author"):
        services.post_mark_published(
            actor=other_staff_user, post=approved, published_at=timezone.now(), url="https://a.b"
        )
    with pytest.raises(ApprovalError, match="web address"):
        services.post_mark_published(
            actor=staff_user, post=approved, published_at=timezone.now(), url=""
        )
    with pytest.raises(ApprovalError, match="future"):
        services.post_mark_published(
            actor=staff_user,
            post=approved,
            published_at=timezone.now() + datetime.timedelta(days=1),
            url="https://x.com/1",
        )
    approved.refresh_from_db()
    assert approved.status == PostStatus.APPROVED


def test_the_database_refuses_a_published_post_without_a_url(staff_user, senior_user, account):
    post = approved_post(staff_user, senior_user, account)
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.filter(pk=post.pk).update(status=PostStatus.PUBLISHED)


def test_a_published_post_can_no_longer_change(staff_user, senior_user, account):
    post = approved_post(staff_user, senior_user, account)
    services.post_mark_published(
        actor=staff_user, post=post, published_at=timezone.now(), url="https://x.com/1"
    )
    with pytest.raises(ApprovalError):
        services.post_update(actor=staff_user, post=post, content=content(account, text="x"))
    with pytest.raises(ApprovalError):
        services.post_withdraw(actor=staff_user, post=post)
    with pytest.raises(ApprovalError):
        services.post_mark_published(
            actor=staff_user, post=post, published_at=timezone.now(), url="https://x.com/2"
        )


@pytest.mark.parametrize("status", ["draft", "submitted", "changes_requested"])
def test_the_author_withdraws_a_draft_submitted_or_changes_requested_post(
    staff_user, senior_user, account, status
):
    post = draft_post(staff_user, account)
    if status != "draft":
        post = submitted_post(staff_user, account)
    if status == "changes_requested":
        services.post_request_changes(actor=senior_user, post=post, comment="Shorter please.")
    services.post_withdraw(actor=staff_user, post=post)
    post.refresh_from_db()
    assert post.status == PostStatus.WITHDRAWN
    assert post.withdrawn_at is not None


def test_only_the_author_withdraws_and_not_after_approval(staff_user, senior_user, account):
    post = submitted_post(staff_user, account)
    with pytest.raises(ApprovalError, match="Only the author"):
        services.post_withdraw(actor=senior_user, post=post)
    services.post_approve(actor=senior_user, post=post)
    with pytest.raises(ApprovalError, match="cannot be withdrawn"):
        services.post_withdraw(actor=staff_user, post=post)


# --- Revisions are immutable --------------------------------------------------------------------


def test_a_revision_cannot_be_changed(staff_user, account):
    post = submitted_post(staff_user, account)
    revision = post.current_revision
    revision.text = "Something else"
    with pytest.raises(ImmutableRecord):
        revision.save()
    with pytest.raises(ImmutableRecord):
        PostRevision.objects.filter(pk=revision.pk).update(text="Something else")
    with pytest.raises(ImmutableRecord):
        revision.delete()
    revision.refresh_from_db()
    assert revision.text != "Something else"


def test_a_decision_cannot_be_changed(staff_user, senior_user, account):
    post = approved_post(staff_user, senior_user, account)
    decision = post.last_decision
    decision.outcome = DecisionOutcome.REJECT
    with pytest.raises(ImmutableRecord):
        decision.save()
    with pytest.raises(ImmutableRecord):
        Decision.objects.filter(pk=decision.pk).update(comment="changed")
    with pytest.raises(ImmutableRecord):
        Decision.objects.filter(pk=decision.pk).delete()


def test_editing_the_post_leaves_the_submitted_revision_as_it_was(staff_user, account):
    post = submitted_post(staff_user, account, text="As sent.")
    services.post_update(
        actor=staff_user,
        post=post,
        content=content(account, text="Changed."),
        submit=True,
        self_check=ALL_CONFIRMED,
    )
    assert PostRevision.objects.get(post=post, number=1).text == "As sent."
    assert PostRevision.objects.get(post=post, number=2).text == "Changed."


def test_editing_a_waiting_post_needs_sending_again(staff_user, account):
    post = submitted_post(staff_user, account)
    with pytest.raises(ApprovalError, match="new decision"):
        services.post_update(actor=staff_user, post=post, content=content(account, text="x"))


def test_only_the_author_edits(staff_user, other_staff_user, account):
    post = draft_post(staff_user, account)
    with pytest.raises(ApprovalError, match="Only the author"):
        services.post_update(
            actor=other_staff_user, post=post, content=content(account, text="mine now")
        )


# --- Campaigns ----------------------------------------------------------------------------------


def test_proposing_a_campaign_tells_the_senior_team(staff_user, senior_user):
    campaign = proposed_campaign(staff_user)
    assert campaign.status == CampaignStatus.PROPOSED
    assert Notification.objects.get(kind=NotificationKind.CAMPAIGN_SUBMITTED).recipient == (
        senior_user
    )
    assert AuditEvent.objects.filter(action="campaign.proposed").count() == 1


def test_a_campaign_form_sent_twice_proposes_once(staff_user):
    token = uuid.uuid4()
    first = proposed_campaign(staff_user, form_token=token)
    second = proposed_campaign(staff_user, form_token=token)
    assert first == second


def test_a_post_in_a_campaign_cannot_be_approved_until_the_campaign_is(
    staff_user, senior_user, second_senior_user, account
):
    campaign = proposed_campaign(staff_user)
    post = submitted_post(staff_user, account, campaign=campaign)
    with pytest.raises(ApprovalError, match="campaign"):
        services.post_approve(actor=senior_user, post=post)
    post.refresh_from_db()
    assert post.status == PostStatus.SUBMITTED
    services.campaign_decide(actor=second_senior_user, campaign=campaign, approve=True)
    services.post_approve(actor=senior_user, post=post)
    post.refresh_from_db()
    assert post.status == PostStatus.APPROVED


def test_a_post_in_a_campaign_may_still_get_changes_requested(staff_user, senior_user, account):
    campaign = proposed_campaign(staff_user)
    post = submitted_post(staff_user, account, campaign=campaign)
    services.post_request_changes(actor=senior_user, post=post, comment="Wait for the dates.")
    post.refresh_from_db()
    assert post.status == PostStatus.CHANGES_REQUESTED


def test_nobody_decides_on_their_own_campaign(senior_user, second_senior_user):
    campaign = proposed_campaign(senior_user)
    with pytest.raises(ApprovalError, match="your own campaign"):
        services.campaign_decide(actor=senior_user, campaign=campaign, approve=True)
    services.campaign_decide(actor=second_senior_user, campaign=campaign, approve=True)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.APPROVED
    assert campaign.decided_by == second_senior_user


def test_staff_cannot_decide_on_campaigns(staff_user, other_staff_user):
    campaign = proposed_campaign(staff_user)
    with pytest.raises(ApprovalError, match="Only the senior team"):
        services.campaign_decide(actor=other_staff_user, campaign=campaign, approve=True)


def test_declining_a_campaign_needs_a_reason_and_tells_the_proposer(
    staff_user, senior_user, policy_v1
):
    campaign = proposed_campaign(staff_user)
    with pytest.raises(ApprovalError, match="why"):
        services.campaign_decide(actor=senior_user, campaign=campaign, approve=False, reason="")
    services.campaign_decide(
        actor=senior_user, campaign=campaign, approve=False, reason="Exam season."
    )
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DECLINED
    assert campaign.decision_reason == "Exam season."
    assert campaign.policy_version == policy_v1
    notice = Notification.objects.get(kind=NotificationKind.CAMPAIGN_DECIDED)
    assert notice.recipient == staff_user


def test_a_campaign_is_decided_once(staff_user, senior_user, second_senior_user):
    campaign = proposed_campaign(staff_user)
    services.campaign_decide(actor=senior_user, campaign=campaign, approve=True)
    with pytest.raises(ApprovalError, match="Priya Shah already decided"):
        services.campaign_decide(
            actor=second_senior_user, campaign=campaign, approve=False, reason="No"
        )
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.APPROVED


def test_posts_cannot_join_a_declined_campaign(staff_user, senior_user, account):
    campaign = proposed_campaign(staff_user)
    services.campaign_decide(actor=senior_user, campaign=campaign, approve=False, reason="Not now.")
    campaign.refresh_from_db()
    with pytest.raises(ApprovalError, match="declined"):
        draft_post(staff_user, account, campaign=campaign)


def test_a_campaigns_dates_must_be_in_order(staff_user):
    today = timezone.localdate()
    with pytest.raises(ApprovalError, match="last day"):
        proposed_campaign(staff_user, starts_on=today + datetime.timedelta(days=3), ends_on=today)


# --- Comments and clauses -----------------------------------------------------------------------


def test_comments_cite_clauses_of_the_policy_in_force_and_tell_the_others(
    staff_user, senior_user, second_senior_user, account, policy_v1
):
    post = submitted_post(staff_user, account)
    services.post_request_changes(actor=senior_user, post=post, comment="Remove the name.")
    comment = services.post_comment(
        actor=staff_user, post=post, body="Done, see the new text.", clauses=["4.4"]
    )
    assert comment.cited_clauses == ["4.4"]
    assert comment.policy_version == policy_v1
    told = Notification.objects.filter(kind=NotificationKind.COMMENT_ADDED)
    assert [n.recipient for n in told] == [senior_user]  # in the conversation, not the author


def test_citing_a_clause_that_does_not_exist_is_refused(
    staff_user, senior_user, account, policy_v1
):
    post = submitted_post(staff_user, account)
    with pytest.raises(ApprovalError, match="no clause 99.1"):
        services.post_reject(actor=senior_user, post=post, comment="No", clauses=["4.4", "99.1"])
    assert Decision.objects.count() == 0


def test_only_the_author_and_the_senior_team_comment(staff_user, other_staff_user, account):
    post = submitted_post(staff_user, account)
    with pytest.raises(ApprovalError):
        services.post_comment(actor=other_staff_user, post=post, body="Nice")
    assert Comment.objects.count() == 0


def test_the_senior_team_cannot_comment_on_a_draft_never_sent(staff_user, senior_user, account):
    post = draft_post(staff_user, account)
    with pytest.raises(ApprovalError):
        services.post_comment(actor=senior_user, post=post, body="Hello")


# --- Queries the reminders rely on --------------------------------------------------------------


def test_awaiting_decision_lists_submitted_posts_only(staff_user, senior_user, account):
    waiting = submitted_post(staff_user, account)
    approved_post(staff_user, senior_user, account)
    draft_post(staff_user, account)
    assert list(Post.objects.awaiting_decision()) == [waiting]
