"""Every change to a post or campaign happens here (clauses 4.3 and 4.4).

Each function runs in one transaction, re-reads and locks the row it changes
(`select_for_update`), checks who is acting and the current status against the maps in
`approvals.models`, records the change in the audit log and tells the people concerned (the
emails go out after commit). A refused move raises `ApprovalError` with a message for the user
and changes nothing. Views, admin actions, the demo loader and tasks call these functions;
nothing else changes a status.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from approvals.images import CleanImage
from approvals.models import (
    CAMPAIGN_TRANSITIONS,
    EDITABLE_STATUSES,
    OUTCOME_TO_STATUS,
    POST_CONTENT_FIELDS,
    POST_TRANSITIONS,
    RESUBMIT_ON_EDIT_STATUSES,
    SELF_CHECK_KEYS,
    Account,
    Campaign,
    CampaignStatus,
    Comment,
    Decision,
    DecisionOutcome,
    MediaSource,
    PendingImage,
    Post,
    PostMedia,
    PostRevision,
    PostStatus,
    PublicationCorrection,
    published_length,
)
from approvals.platforms import (
    address_belongs_to,
    image_required_message,
    needs_an_image,
    wrong_platform_message,
)
from redbridge_portal import roles
from redbridge_portal.actions import ActionRefused, create_once
from redbridge_portal.models import NotificationKind, User
from redbridge_portal.services import audit_record, notify, senior_team_except


class ApprovalError(ActionRefused):
    """A refused action on a post or campaign, with a message a user can read."""


@dataclass(frozen=True)
class PostContent:
    """What the author writes: everything a revision freezes except the images."""

    account: Account
    text: str
    purpose: str
    link: str = ""
    planned_for: datetime.datetime | None = None
    campaign: Campaign | None = None

    @classmethod
    def of(cls, post: Post) -> PostContent:
        return cls(**{name: getattr(post, name) for name in POST_CONTENT_FIELDS})


@dataclass(frozen=True)
class NewMedia:
    """An image to attach with its details: either `image`, already checked and re-encoded by
    `approvals.images`, or `pending`, one kept from an earlier showing of the form."""

    alt_text: str
    source: str
    image: CleanImage | None = None
    pending: PendingImage | None = None
    permission_from: str = ""
    credit: str = ""
    shows_pupils: bool = True
    pupil_consent_confirmed: bool = False


@dataclass(frozen=True)
class SubmitResult:
    post: Post
    revision_created: bool


# --- Shared checks ----------------------------------------------------------------------------


def _status_label(status: str) -> str:
    return str(PostStatus(status).label)


def _check_move(post: Post, to_status: str, action: str) -> None:
    """The one guard every post transition passes through."""
    if to_status not in POST_TRANSITIONS[post.status]:
        raise ApprovalError(
            _("This post is “%(status)s”, so it cannot be %(action)s.")
            % {"status": _status_label(post.status), "action": action}
        )


def _set_post_status(
    post: Post, to_status: str, *, actor: User, summary: str, data: dict, **changes
) -> None:
    """The one place a post's status is saved, once the caller has locked it and checked the
    move: saves the status with `changes` (the fields that go with it) and records the audit
    row, whose action is named for the status reached ("post.published")."""
    post.status = to_status
    for field, value in changes.items():
        setattr(post, field, value)
    post.save(update_fields=["status", *changes, "updated_at"])
    audit_record(actor=actor, action=f"post.{to_status}", target=post, summary=summary, data=data)


def _lock_post(post: Post | int) -> Post:
    post_id = post.pk if isinstance(post, Post) else post
    try:
        return Post.objects.select_for_update().get(pk=post_id)
    except Post.DoesNotExist:
        raise ApprovalError(_("That post no longer exists.")) from None


def _lock_campaign(campaign: Campaign | int) -> Campaign:
    campaign_id = campaign.pk if isinstance(campaign, Campaign) else campaign
    try:
        return Campaign.objects.select_for_update().get(pk=campaign_id)
    except Campaign.DoesNotExist:
        raise ApprovalError(_("That campaign no longer exists.")) from None


def _normalise_text(value: str) -> str:
    # Browsers send line breaks in a textarea as CRLF; the character count must match what the
    # author saw while typing.
    return (value or "").replace("\r\n", "\n").strip()


def _check_content(content: PostContent) -> None:
    account = content.account
    if not _normalise_text(content.text):
        raise ApprovalError(_("Write the text of the post."))
    if not _normalise_text(content.purpose):
        raise ApprovalError(
            _("Say what the post is for and how it benefits the school (clause 4.3).")
        )
    message = text_limit_message(account, _normalise_text(content.text), content.link)
    if message:
        raise ApprovalError(message)
    if content.campaign is not None and content.campaign.status == CampaignStatus.DECLINED:
        raise ApprovalError(
            _("The campaign “%(title)s” was declined, so posts cannot join it.")
            % {"title": content.campaign.title}
        )
    if content.campaign is not None and content.planned_for is not None:
        message = campaign_dates_message(content.campaign, content.planned_for)
        if message:
            raise ApprovalError(message)


def text_limit_message(account: Account, text: str, link: str) -> str:
    """Why the post is too long for `account`, counted as the platform counts, or "" when it
    fits. The form shows the same words beside the text."""
    length = published_length(text, link, platform=account.platform)
    if length <= account.text_limit:
        return ""
    return _(
        "The post is %(length)s characters long; %(account)s allows %(limit)s. "
        "Shorten it by %(over)s."
    ) % {
        "length": length,
        "account": account.name,
        "limit": account.text_limit,
        "over": length - account.text_limit,
    }


def campaign_dates_message(campaign: Campaign, planned_for: datetime.datetime) -> str:
    """Why a post planned for `planned_for` cannot be in `campaign`, or "" when it fits."""
    day = timezone.localtime(planned_for).date()
    if campaign.starts_on <= day <= campaign.ends_on:
        return ""
    return _(
        "The campaign “%(title)s” runs from %(start)s to %(end)s. Plan the post for a day "
        "within the campaign, or take it out of the campaign."
    ) % {
        "title": campaign.title,
        "start": date_format(campaign.starts_on, "j F Y"),
        "end": date_format(campaign.ends_on, "j F Y"),
    }


def _check_self_check(answers: Mapping[str, bool] | None) -> dict[str, bool]:
    answers = answers or {}
    missing = [key for key in SELF_CHECK_KEYS if answers.get(key) is not True]
    if missing:
        raise ApprovalError(
            _("Confirm every line of the self-check (clause 4.4) before you send the post.")
        )
    return {key: True for key in SELF_CHECK_KEYS}


def _current_media(post: Post) -> list[PostMedia]:
    return list(post.media.filter(removed_at__isnull=True).order_by("pk"))


def _differs_from_revision(post: Post, revision: PostRevision | None) -> bool:
    if revision is None:
        return True
    current_media = {m.pk for m in _current_media(post)}
    sent_media = set(revision.media.values_list("pk", flat=True))
    return post.content_values() != revision.content_values() or current_media != sent_media


def _policy_version_in_force():
    from policy.selectors import current_version

    return current_version()


def _validated_clauses(numbers: Iterable[str]) -> list[str]:
    from approvals.selectors import unknown_clause_numbers

    cleaned = list(dict.fromkeys(str(n).strip() for n in numbers if str(n).strip()))
    unknown = unknown_clause_numbers(cleaned)
    if unknown:
        raise ApprovalError(
            _("The policy in force has no clause %(numbers)s.") % {"numbers": ", ".join(unknown)}
        )
    return cleaned


def _add_media(*, actor: User, post: Post, new_media: Sequence[NewMedia]) -> list[PostMedia]:
    created = []
    for item in new_media:
        if not item.alt_text.strip():
            raise ApprovalError(_("Describe every image for people who cannot see it."))
        if item.shows_pupils and not item.pupil_consent_confirmed:
            raise ApprovalError(
                _("Confirm that every identifiable pupil in the image has photo consent on file.")
            )
        pending = item.pending
        if pending is not None:
            pending = PendingImage.objects.filter(pk=pending.pk, uploaded_by=actor).first()
            if pending is None:
                raise ApprovalError(
                    _("That image is no longer waiting to be added. Choose it again.")
                )
            stored = pending
        elif item.image is not None:
            stored = item.image
        else:
            raise ApprovalError(_("Choose the image to add."))
        media = PostMedia(
            post=post,
            content_type=stored.content_type,
            width=stored.width,
            height=stored.height,
            size_bytes=stored.size_bytes if pending is not None else stored.size,
            original_name=stored.original_name,
            alt_text=item.alt_text.strip(),
            source=item.source,
            permission_from=item.permission_from.strip()
            if item.source == MediaSource.PERMISSION
            else "",
            credit=item.credit.strip() if item.source == MediaSource.CREDITED else "",
            shows_pupils=item.shows_pupils,
            pupil_consent_confirmed=item.pupil_consent_confirmed if item.shows_pupils else False,
            uploaded_by=actor,
        )
        if pending is not None:
            # The post keeps the file already stored; files are never changed or deleted.
            media.image = pending.image.name
        else:
            media.image.save(item.image.file.name, item.image.file, save=False)
        try:
            with transaction.atomic():
                media.save()
        except IntegrityError:
            if pending is None:
                media.image.delete(save=False)
            raise ApprovalError(
                _("Say where the image came from: who gave permission, or the acknowledgement.")
            ) from None
        if pending is not None:
            pending.delete()
        created.append(media)
    return created


# --- Images chosen before the post is saved ----------------------------------------------------

PENDING_IMAGES_PER_FORM = 10
PENDING_IMAGE_LIFETIME = datetime.timedelta(days=2)


def pending_image_add(*, actor: User, form_key: uuid.UUID, image: CleanImage) -> PendingImage:
    """Keep an image chosen in the post form (`form_key`) until the post is saved with it, so
    the form never asks for it again. Images left behind by forms never saved are removed
    after two days."""
    if not roles.can_submit_posts(actor):
        raise ApprovalError(_("You cannot write posts for the school's accounts."))
    _pending_images_remove_stale(actor)
    if (
        PendingImage.objects.filter(uploaded_by=actor, form_key=form_key).count()
        >= PENDING_IMAGES_PER_FORM
    ):
        raise ApprovalError(
            _("You can add up to %(count)s images at a time. Save the post, then add more.")
            % {"count": PENDING_IMAGES_PER_FORM}
        )
    pending = PendingImage(
        uploaded_by=actor,
        form_key=form_key,
        content_type=image.content_type,
        width=image.width,
        height=image.height,
        size_bytes=image.size,
        original_name=image.original_name,
    )
    pending.image.save(image.file.name, image.file, save=False)
    pending.save()
    return pending


def pending_images(*, actor: User, form_key: uuid.UUID | None) -> list[PendingImage]:
    if form_key is None:
        return []
    return list(PendingImage.objects.filter(uploaded_by=actor, form_key=form_key))


def pending_image_discard(*, actor: User, pending_ids: Iterable[int]) -> int:
    """Drop images chosen in the form that the author no longer wants (and their files)."""
    items = list(PendingImage.objects.filter(uploaded_by=actor, pk__in=list(pending_ids)))
    for item in items:
        item.image.delete(save=False)
        item.delete()
    return len(items)


def _pending_images_remove_stale(actor: User) -> None:
    cutoff = timezone.now() - PENDING_IMAGE_LIFETIME
    pending_image_discard(
        actor=actor,
        pending_ids=PendingImage.objects.filter(
            uploaded_by=actor, uploaded_at__lt=cutoff
        ).values_list("pk", flat=True),
    )


# --- Posts: writing ---------------------------------------------------------------------------


def post_create(
    *,
    actor: User,
    content: PostContent,
    form_token: uuid.UUID | None = None,
    new_media: Sequence[NewMedia] = (),
    submit: bool = False,
    self_check: Mapping[str, bool] | None = None,
) -> tuple[Post, bool]:
    """Start a post as a draft (and send it at once if `submit`). The same `form_token` twice
    (a double click, a browser resend) returns the first post and `False` instead of a copy."""
    if not roles.can_submit_posts(actor):
        raise ApprovalError(_("You cannot write posts for the school's accounts."))
    _check_content(content)
    if content.account.is_active is False:
        raise ApprovalError(_("That account is no longer in use. Choose another."))

    def create() -> Post:
        post = Post.objects.create(
            author=actor,
            account=content.account,
            campaign=content.campaign,
            text=_normalise_text(content.text),
            link=content.link.strip(),
            planned_for=content.planned_for,
            purpose=_normalise_text(content.purpose),
            form_token=form_token,
        )
        _add_media(actor=actor, post=post, new_media=new_media)
        audit_record(
            actor=actor,
            action="post.created",
            target=post,
            summary=_("Draft started for %(account)s.") % {"account": post.account.name},
        )
        if submit:
            _submit_locked(actor=actor, post=post, self_check=self_check)
        return post

    return create_once(
        Post, owner_field="author", owner=actor, form_token=form_token, create=create
    )


def post_update(
    *,
    actor: User,
    post: Post,
    content: PostContent,
    new_media: Sequence[NewMedia] = (),
    remove_media_ids: Iterable[int] = (),
    submit: bool = False,
    self_check: Mapping[str, bool] | None = None,
) -> SubmitResult:
    """Change the author's post. A post waiting for a decision or approved but not published
    needs a new decision after any change, so it must be sent again (`submit=True`): the
    earlier approval does not cover the new text. Returns whether a new revision was sent."""
    with transaction.atomic():
        post = _lock_post(post)
        if not roles.may_change_post(actor, post):
            raise ApprovalError(_("Only the author can change this post."))
        if post.status not in EDITABLE_STATUSES:
            raise ApprovalError(
                _("This post is “%(status)s”, so it can no longer be changed.")
                % {"status": _status_label(post.status)}
            )
        _check_content(content)
        if content.account.pk != post.account_id and not content.account.is_active:
            raise ApprovalError(_("That account is no longer in use. Choose another."))
        changes = {
            "account_id": content.account.pk,
            "campaign_id": content.campaign.pk if content.campaign else None,
            "text": _normalise_text(content.text),
            "link": content.link.strip(),
            "planned_for": content.planned_for,
            "purpose": _normalise_text(content.purpose),
        }
        changed_fields = [name for name, value in changes.items() if getattr(post, name) != value]
        remove_ids = set(remove_media_ids)
        removed = list(post.media.filter(pk__in=remove_ids, removed_at__isnull=True))
        if not changed_fields and not new_media and not removed:
            if submit:
                return _submit_locked(actor=actor, post=post, self_check=self_check)
            return SubmitResult(post=post, revision_created=False)
        if post.status in RESUBMIT_ON_EDIT_STATUSES and not submit:
            raise ApprovalError(
                _(
                    "This post is “%(status)s”. A changed post needs a new decision: do the "
                    "self-check and send it to the senior team again."
                )
                % {"status": _status_label(post.status)}
            )
        was_approved = post.status == PostStatus.APPROVED
        for name in changed_fields:
            setattr(post, name, changes[name])
        post.save(update_fields=[*changed_fields, "updated_at"])
        now = timezone.now()
        for media in removed:
            media.removed_at = now
            media.save(update_fields=["removed_at"])
        added = _add_media(actor=actor, post=post, new_media=new_media)
        audit_record(
            actor=actor,
            action="post.edited",
            target=post,
            summary=(
                _("Changed after approval; the approval no longer applies.")
                if was_approved
                else _("Changed by the author.")
            ),
            data={
                "fields": [name.removesuffix("_id") for name in changed_fields],
                "images_added": [m.pk for m in added],
                "images_removed": [m.pk for m in removed],
                "status_before": post.status,
            },
        )
        if submit:
            return _submit_locked(actor=actor, post=post, self_check=self_check)
        return SubmitResult(post=post, revision_created=False)


def post_submit(*, actor: User, post: Post, self_check: Mapping[str, bool] | None) -> SubmitResult:
    """Send the post to the senior team: freezes a new revision with the self-check answers.
    Sending an unchanged post that is already waiting does nothing (`revision_created=False`)."""
    with transaction.atomic():
        post = _lock_post(post)
        return _submit_locked(actor=actor, post=post, self_check=self_check)


def _submit_locked(
    *, actor: User, post: Post, self_check: Mapping[str, bool] | None
) -> SubmitResult:
    if not roles.may_change_post(actor, post):
        raise ApprovalError(_("Only the author can send this post to the senior team."))
    if not roles.can_submit_posts(actor):
        raise ApprovalError(_("You cannot write posts for the school's accounts."))
    revision = post.current_revision
    if post.status in RESUBMIT_ON_EDIT_STATUSES and not _differs_from_revision(post, revision):
        if post.status == PostStatus.SUBMITTED:
            return SubmitResult(post=post, revision_created=False)
        raise ApprovalError(_("This post is already approved, and nothing in it has changed."))
    _check_move(post, PostStatus.SUBMITTED, _("sent to the senior team"))
    answers = _check_self_check(self_check)
    _check_content(PostContent.of(post))
    if not post.account.is_active:
        raise ApprovalError(_("That account is no longer in use. Choose another."))
    current_media = _current_media(post)
    if needs_an_image(post.account.platform) and not current_media:
        raise ApprovalError(image_required_message(post.account.name))
    number = (revision.number if revision else 0) + 1
    new_revision = PostRevision.objects.create(
        post=post, number=number, submitted_by=actor, self_check=answers, **post.content_values()
    )
    new_revision.media.set(current_media)
    _set_post_status(
        post,
        PostStatus.SUBMITTED,
        actor=actor,
        summary=_("Revision %(number)s sent to the senior team.") % {"number": number},
        data={"revision": number, "status_before": post.status},
        current_revision=new_revision,
        submitted_at=new_revision.created_at,
        decided_at=None,
    )
    notify(
        recipients=senior_team_except(actor),
        kind=NotificationKind.POST_SUBMITTED,
        subject=_("A post for %(account)s is waiting for a decision")
        % {"account": post.account.name},
        message=_(
            "%(author)s sent a post for %(account)s (revision %(number)s). Please check it "
            "against the policy and approve it, ask for changes or reject it."
        )
        % {"author": actor, "account": post.account.name, "number": number},
        url=post.get_absolute_url(),
        key=f"post:{post.pk}:revision:{number}:submitted",
    )
    return SubmitResult(post=post, revision_created=True)


def post_withdraw(*, actor: User, post: Post) -> Post:
    """The author takes the post back; it can no longer be sent or published."""
    with transaction.atomic():
        post = _lock_post(post)
        if not roles.may_change_post(actor, post):
            raise ApprovalError(_("Only the author can withdraw this post."))
        _check_move(post, PostStatus.WITHDRAWN, _("withdrawn"))
        _set_post_status(
            post,
            PostStatus.WITHDRAWN,
            actor=actor,
            summary=_("Withdrawn by the author."),
            data={"status_before": post.status},
            withdrawn_at=timezone.now(),
        )
    return post


def post_new_draft_from(
    *, actor: User, post: Post, form_token: uuid.UUID | None = None
) -> tuple[Post, bool]:
    """Start a new draft from a rejected or withdrawn post (which itself stays as it is)."""

    def copy_it() -> Post:
        source = _lock_post(post)
        if not roles.may_change_post(actor, source):
            raise ApprovalError(_("Only the author can start a new draft from this post."))
        if not source.can_be_copied:
            raise ApprovalError(
                _("A new draft can be started only from a rejected or withdrawn post.")
            )
        campaign = source.campaign
        copy = Post.objects.create(
            author=actor,
            account=source.account,
            campaign=campaign if campaign and campaign.status != CampaignStatus.DECLINED else None,
            text=source.text,
            link=source.link,
            planned_for=None,
            purpose=source.purpose,
            copied_from=source,
            form_token=form_token,
        )
        for media in _current_media(source):
            # The new row shares the stored file: files are never changed or deleted.
            PostMedia.objects.create(
                post=copy,
                image=media.image.name,
                content_type=media.content_type,
                width=media.width,
                height=media.height,
                size_bytes=media.size_bytes,
                original_name=media.original_name,
                alt_text=media.alt_text,
                source=media.source,
                permission_from=media.permission_from,
                credit=media.credit,
                shows_pupils=media.shows_pupils,
                pupil_consent_confirmed=media.pupil_consent_confirmed,
                uploaded_by=actor,
            )
        audit_record(
            actor=actor,
            action="post.created",
            target=copy,
            summary=_("New draft started from post %(pk)s.") % {"pk": source.pk},
            data={"copied_from": source.pk},
        )
        return copy

    # The same form twice (a double click) gives the first copy, even when the two race.
    return create_once(
        Post, owner_field="author", owner=actor, form_token=form_token, create=copy_it
    )


# --- Posts: the senior team's decisions --------------------------------------------------------


def _already_decided_message(decision: Decision) -> str:
    return _(
        "%(who)s already decided on this version at %(when)s: %(outcome)s. Nothing was changed."
    ) % {
        "who": decision.decided_by,
        "when": date_format(timezone.localtime(decision.decided_at), "j F Y, H:i"),
        "outcome": decision.get_outcome_display().lower(),
    }


def post_decide(
    *,
    actor: User,
    post: Post,
    outcome: str,
    revision_id: int | None = None,
    comment: str = "",
    clauses: Iterable[str] = (),
) -> Decision:
    """Record the senior team's decision on the revision waiting for one (`revision_id`, the
    one the decider was shown): approve it (a post in a campaign only once the campaign is
    approved), ask for changes or reject it (both with a comment saying why). Never on your
    own post, and once per revision; the author is told."""
    if not roles.can_decide_posts(actor):
        raise ApprovalError(_("Only the senior team can decide on posts."))
    if outcome not in OUTCOME_TO_STATUS:
        raise ApprovalError(_("Choose a decision: approve, ask for changes or reject."))
    comment = (comment or "").strip()
    if outcome != DecisionOutcome.APPROVE and not comment:
        raise ApprovalError(
            _("Say what needs to change, or why the post is rejected, in the comment.")
        )
    cited = _validated_clauses(clauses)
    with transaction.atomic():
        post = _lock_post(post)
        if not roles.may_decide(actor, post):
            raise ApprovalError(
                _(
                    "You cannot decide on your own post. Ask another member of the senior "
                    "team to check it."
                )
            )
        if post.current_revision_id is not None:
            earlier = (
                Decision.objects.select_related("decided_by")
                .filter(revision_id=revision_id or post.current_revision_id)
                .first()
            )
            if earlier is not None:
                raise ApprovalError(_already_decided_message(earlier))
        if revision_id is not None and revision_id != post.current_revision_id:
            raise ApprovalError(
                _(
                    "The author changed the post after you opened it. Look at the latest "
                    "version before you decide."
                )
            )
        _check_move(post, OUTCOME_TO_STATUS[outcome], _("decided on"))
        revision = post.current_revision
        if outcome == DecisionOutcome.APPROVE and post.campaign_id is not None:
            campaign = post.campaign
            if campaign.status != CampaignStatus.APPROVED:
                raise ApprovalError(
                    _(
                        "This post is part of the campaign “%(title)s”, which is “%(status)s”. "
                        "A post in a campaign can be approved only once the campaign is."
                    )
                    % {"title": campaign.title, "status": campaign.get_status_display()}
                )
        try:
            with transaction.atomic():
                decision = Decision.objects.create(
                    post=post,
                    revision=revision,
                    decided_by=actor,
                    outcome=outcome,
                    comment=comment,
                    cited_clauses=cited,
                    policy_version=_policy_version_in_force(),
                )
        except IntegrityError:
            earlier = Decision.objects.select_related("decided_by").get(revision=revision)
            raise ApprovalError(_already_decided_message(earlier)) from None
        _set_post_status(
            post,
            OUTCOME_TO_STATUS[outcome],
            actor=actor,
            summary=_("%(outcome)s revision %(number)s.")
            % {"outcome": decision.get_outcome_display(), "number": revision.number},
            data={
                "revision": revision.number,
                "decision": decision.pk,
                "clauses": cited,
                "policy_version": decision.policy_version_id,
            },
            decided_at=decision.decided_at,
            last_decision=decision,
        )
        messages = {
            DecisionOutcome.APPROVE: _(
                "%(who)s approved your post for %(account)s. Publish it, then record when it "
                "went out and its web address in the portal."
            ),
            DecisionOutcome.REQUEST_CHANGES: _(
                "%(who)s asked for changes to your post for %(account)s. Read the comment, "
                "make the changes and submit it again."
            ),
            DecisionOutcome.REJECT: _(
                "%(who)s rejected your post for %(account)s. Do not publish it. Read the "
                "comment; you can start a new draft from it."
            ),
        }
        notify(
            recipients=[post.author],
            kind=NotificationKind.POST_DECIDED,
            subject=_("Your post for %(account)s: %(outcome)s")
            % {"account": post.account.name, "outcome": decision.get_outcome_display().lower()},
            message=messages[outcome] % {"who": actor, "account": post.account.name},
            url=post.get_absolute_url(),
            key=f"post:{post.pk}:revision:{revision.number}:decided",
        )
    return decision


# The three decisions by name, for callers that know which one they record.
post_approve = partial(post_decide, outcome=DecisionOutcome.APPROVE)
post_request_changes = partial(post_decide, outcome=DecisionOutcome.REQUEST_CHANGES)
post_reject = partial(post_decide, outcome=DecisionOutcome.REJECT)


def post_mark_published(
    *, actor: User, post: Post, published_at: datetime.datetime, url: str
) -> Post:
    """Record that an approved post went out: when, and where it can be seen. The author or a
    member of the senior team may record it."""
    url = (url or "").strip()
    if not url:
        raise ApprovalError(_("Give the web address where the post can be seen."))
    if published_at is None:
        raise ApprovalError(_("Give the date and time the post went out."))
    if published_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ApprovalError(_("The time the post went out cannot be in the future."))
    with transaction.atomic():
        post = _lock_post(post)
        if not roles.may_record_publication(actor, post):
            raise ApprovalError(
                _("Only the author or a member of the senior team can record publication.")
            )
        _check_move(post, PostStatus.PUBLISHED, _("marked as published"))
        _check_address(post.account, url)
        _set_post_status(
            post,
            PostStatus.PUBLISHED,
            actor=actor,
            summary=_("Went out at %(when)s: %(url)s")
            % {"when": date_format(timezone.localtime(published_at), "j F Y, H:i"), "url": url},
            data={"revision": post.current_revision.number, "url": url},
            published_at=published_at,
            published_url=url,
            published_by=actor,
        )
    return post


def _check_address(account: Account, url: str) -> None:
    if not address_belongs_to(account.platform, url):
        raise ApprovalError(wrong_platform_message(account.get_platform_display(), url))


def post_correct_publication(
    *, actor: User, post: Post, published_at: datetime.datetime, url: str, reason: str
) -> PublicationCorrection:
    """Put right the record of when and where a published post went out (the senior team
    only). The values replaced are kept in the post's history and the audit log."""
    url, reason = (url or "").strip(), (reason or "").strip()
    if not roles.can_correct_publication(actor):
        raise ApprovalError(_("Only the senior team can correct a publication record."))
    if not url or published_at is None:
        raise ApprovalError(_("Give the date and time the post went out and its web address."))
    if not reason:
        raise ApprovalError(_("Say why the record is being corrected."))
    if published_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ApprovalError(_("The time the post went out cannot be in the future."))
    with transaction.atomic():
        post = _lock_post(post)
        if post.status != PostStatus.PUBLISHED:
            raise ApprovalError(
                _("Only a published post's record can be corrected. This one is “%(status)s”.")
                % {"status": _status_label(post.status)}
            )
        _check_address(post.account, url)
        if post.published_at == published_at and post.published_url == url:
            raise ApprovalError(_("Nothing was changed: the record already says this."))
        correction = PublicationCorrection.objects.create(
            post=post,
            corrected_by=actor,
            old_published_at=post.published_at,
            old_url=post.published_url,
            new_published_at=published_at,
            new_url=url,
            reason=reason,
        )
        post.published_at = published_at
        post.published_url = url
        post.save(update_fields=["published_at", "published_url", "updated_at"])
        when = "j F Y, H:i"
        audit_record(
            actor=actor,
            action="post.publication_corrected",
            target=post,
            summary=_("Publication record corrected: %(reason)s") % {"reason": reason[:150]},
            data={
                "correction": correction.pk,
                "before": {
                    "published_at": date_format(
                        timezone.localtime(correction.old_published_at), when
                    ),
                    "url": correction.old_url,
                },
                "after": {
                    "published_at": date_format(timezone.localtime(published_at), when),
                    "url": url,
                },
            },
        )
    return correction


def post_comment(*, actor: User, post: Post, body: str, clauses: Iterable[str] = ()) -> Comment:
    """Add a comment to the conversation about a post and tell the others in it."""
    body = (body or "").strip()
    if not body:
        raise ApprovalError(_("Write a comment."))
    cited = _validated_clauses(clauses)
    with transaction.atomic():
        post = _lock_post(post)
        if not roles.may_comment(actor, post):
            raise ApprovalError(_("Only the author and the senior team can comment on this post."))
        comment = Comment.objects.create(
            post=post,
            revision_id=post.current_revision_id,
            author=actor,
            body=body,
            cited_clauses=cited,
            policy_version=_policy_version_in_force(),
        )
        audit_record(
            actor=actor,
            action="post.commented",
            target=post,
            summary=body[:200],
            data={"comment": comment.pk, "clauses": cited},
        )
        participant_ids = {post.author_id}
        participant_ids.update(post.comments.values_list("author_id", flat=True))
        participant_ids.update(post.decisions.values_list("decided_by_id", flat=True))
        participant_ids.discard(actor.pk)
        notify(
            recipients=User.objects.filter(pk__in=participant_ids),
            kind=NotificationKind.COMMENT_ADDED,
            subject=_("New comment on the post for %(account)s") % {"account": post.account.name},
            message=_("%(who)s commented on the post for %(account)s. Open it to read the comment.")
            % {"who": actor, "account": post.account.name},
            url=comment.get_absolute_url(),
            key=f"comment:{comment.pk}",
        )
    return comment


# --- Campaigns --------------------------------------------------------------------------------


def campaign_propose(
    *,
    actor: User,
    title: str,
    aim: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    form_token: uuid.UUID | None = None,
) -> tuple[Campaign, bool]:
    """Ask the senior team for permission to run a public campaign (clause 4.3)."""
    if not roles.can_propose_campaigns(actor):
        raise ApprovalError(_("You cannot propose campaigns."))
    title, aim = (title or "").strip(), (aim or "").strip()
    if not title or not aim:
        raise ApprovalError(_("Give the campaign a title and say what it aims to do."))
    if ends_on < starts_on:
        raise ApprovalError(_("The last day must be on or after the first day."))

    def propose() -> Campaign:
        campaign = Campaign.objects.create(
            title=title,
            aim=aim,
            starts_on=starts_on,
            ends_on=ends_on,
            proposer=actor,
            form_token=form_token,
        )
        audit_record(
            actor=actor,
            action="campaign.proposed",
            target=campaign,
            summary=_("Proposed, %(start)s to %(end)s.")
            % {"start": date_format(starts_on), "end": date_format(ends_on)},
        )
        notify(
            recipients=senior_team_except(actor),
            kind=NotificationKind.CAMPAIGN_SUBMITTED,
            subject=_("A campaign is waiting for a decision: %(title)s") % {"title": title},
            message=_(
                "%(who)s proposed the campaign “%(title)s”. Please approve or decline it "
                "before it starts on %(start)s."
            )
            % {"who": actor, "title": title, "start": date_format(starts_on)},
            url=campaign.get_absolute_url(),
            key=f"campaign:{campaign.pk}:proposed",
        )
        return campaign

    return create_once(
        Campaign, owner_field="proposer", owner=actor, form_token=form_token, create=propose
    )


def campaign_decide(
    *, actor: User, campaign: Campaign, approve: bool, reason: str = ""
) -> Campaign:
    """Approve or decline a proposed campaign (never your own). Declining needs a reason."""
    if not roles.can_decide_campaigns(actor):
        raise ApprovalError(_("Only the senior team can decide on campaigns."))
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ApprovalError(_("Say why the campaign is declined."))
    new_status = CampaignStatus.APPROVED if approve else CampaignStatus.DECLINED
    with transaction.atomic():
        campaign = _lock_campaign(campaign)
        # The actor's role was checked above, so a refusal here means their own campaign.
        if not roles.may_decide_campaign(actor, campaign):
            raise ApprovalError(
                _("You cannot decide on your own campaign. Ask another member of the senior team.")
            )
        if new_status not in CAMPAIGN_TRANSITIONS[campaign.status]:
            if campaign.decided_by_id:
                raise ApprovalError(
                    _("%(who)s already decided on this campaign: %(status)s. Nothing was changed.")
                    % {
                        "who": campaign.decided_by,
                        "status": campaign.get_status_display().lower(),
                    }
                )
            raise ApprovalError(_("This campaign cannot be decided on now."))
        campaign.status = new_status
        campaign.decided_by = actor
        campaign.decided_at = timezone.now()
        campaign.decision_reason = reason
        campaign.policy_version = _policy_version_in_force()
        campaign.save(
            update_fields=[
                "status",
                "decided_by",
                "decided_at",
                "decision_reason",
                "policy_version",
            ]
        )
        audit_record(
            actor=actor,
            action=f"campaign.{new_status}",
            target=campaign,
            summary=reason[:200],
            data={"policy_version": campaign.policy_version_id},
        )
        notify(
            recipients=[campaign.proposer],
            kind=NotificationKind.CAMPAIGN_DECIDED,
            subject=_("Your campaign “%(title)s”: %(status)s")
            % {"title": campaign.title, "status": campaign.get_status_display().lower()},
            message=(
                _("%(who)s approved your campaign. Posts in it can now be approved.")
                % {"who": actor}
                if approve
                else _("%(who)s declined your campaign. The reason: %(reason)s")
                % {"who": actor, "reason": reason}
            ),
            url=campaign.get_absolute_url(),
            key=f"campaign:{campaign.pk}:decided",
        )
        if not approve:
            _return_posts_of_declined_campaign(actor=actor, campaign=campaign, reason=reason)
    return campaign


def _return_posts_of_declined_campaign(*, actor: User, campaign: Campaign, reason: str) -> None:
    """A post in a declined campaign can never be approved while it stays in it. Posts waiting
    for a decision go back to their authors (changes requested, with the reason); posts their
    authors are still working on stay with them. Every author is told what to do."""
    posts = list(
        # Only the posts are locked (PostgreSQL cannot lock the optional current revision).
        Post.objects.select_for_update(of=("self",))
        .filter(campaign=campaign)
        .filter(status__in=[PostStatus.SUBMITTED, PostStatus.DRAFT, PostStatus.CHANGES_REQUESTED])
        .select_related("author", "account", "current_revision")
        .order_by("pk")
    )
    comment = _(
        "The campaign “%(title)s” was declined: %(reason)s Take the post out of the campaign "
        "(or change it) and send it again."
    ) % {"title": campaign.title, "reason": reason}
    for post in posts:
        sent_back = post.status == PostStatus.SUBMITTED
        if sent_back:
            decision = Decision.objects.create(
                post=post,
                revision=post.current_revision,
                decided_by=actor,
                outcome=DecisionOutcome.REQUEST_CHANGES,
                comment=comment,
                policy_version=campaign.policy_version,
            )
            _set_post_status(
                post,
                PostStatus.CHANGES_REQUESTED,
                actor=actor,
                summary=_("Sent back: its campaign was declined."),
                data={"campaign": campaign.pk, "decision": decision.pk},
                decided_at=decision.decided_at,
                last_decision=decision,
            )
        notify(
            recipients=[post.author],
            kind=NotificationKind.POST_DECIDED,
            subject=_("Your post for %(account)s: its campaign was declined")
            % {"account": post.account.name},
            message=(
                _(
                    "%(who)s declined the campaign “%(title)s”, so your post for %(account)s "
                    "has come back to you. The reason: %(reason)s Take it out of the campaign "
                    "(or change it) and send it again."
                )
                if sent_back
                else _(
                    "%(who)s declined the campaign “%(title)s”. Your post for %(account)s is "
                    "still in it: take it out of the campaign before you send it. The reason: "
                    "%(reason)s"
                )
            )
            % {
                "who": actor,
                "title": campaign.title,
                "account": post.account.name,
                "reason": reason,
            },
            url=post.get_absolute_url(),
            key=f"campaign:{campaign.pk}:declined:post:{post.pk}",
        )
