"""Posts for the school's social media accounts and their pre-approval (policy clauses 4.3, 4.4).

Statuses change only through `approvals.services`; the allowed moves are the maps below. A
submission freezes a `PostRevision`; a `Decision` always refers to the revision it was made on.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from redbridge_portal.models import AppendOnlyModel
from redbridge_portal.records import form_token_field, optional_foreign_key


class Platform(models.TextChoices):
    X = "x", _("X (Twitter)")
    FACEBOOK = "facebook", _("Facebook")
    INSTAGRAM = "instagram", _("Instagram")
    LINKEDIN = "linkedin", _("LinkedIn")
    OTHER = "other", _("Other")


class Account(models.Model):
    """One of the school's official social media accounts."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    handle = models.CharField(
        _("handle"), max_length=100, help_text=_("How the account is shown, e.g. @RedbridgeCS.")
    )
    text_limit = models.PositiveIntegerField(
        _("text limit"),
        help_text=_("The most characters the platform allows in one post (X: 280)."),
    )
    is_active = models.BooleanField(
        _("in use"), default=True, help_text=_("Only accounts in use can be chosen for new posts.")
    )
    managers = models.ManyToManyField(
        "redbridge_portal.User",
        verbose_name=_("who manages it"),
        blank=True,
        related_name="managed_accounts",
        help_text=_("The people who look after the account and put approved posts on it."),
    )

    class Meta:
        verbose_name = _("social media account")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(text_limit__gt=0), name="account_text_limit_positive"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.handle})"


# --- Campaigns --------------------------------------------------------------------------------


class CampaignStatus(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for the senior team")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


CAMPAIGN_TRANSITIONS: dict[str, frozenset[str]] = {
    CampaignStatus.PROPOSED: frozenset({CampaignStatus.APPROVED, CampaignStatus.DECLINED}),
    CampaignStatus.APPROVED: frozenset(),
    CampaignStatus.DECLINED: frozenset(),
}


class CampaignQuerySet(models.QuerySet):
    def awaiting_decision(self):
        return self.filter(status=CampaignStatus.PROPOSED)

    def open_for_posts(self):
        """Campaigns a post may join: not declined."""
        return self.exclude(status=CampaignStatus.DECLINED)


class Campaign(models.Model):
    """A public campaign; clause 4.3 asks for senior-team permission before it starts."""

    title = models.CharField(_("title"), max_length=150)
    aim = models.TextField(_("aim"), help_text=_("What the campaign is for and who it is for."))
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="proposed_campaigns",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.PROPOSED
    )
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = optional_foreign_key(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="decided_campaigns",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    policy_version = optional_foreign_key(
        "policy.PolicyVersion",
        verbose_name=_("policy version in force at the decision"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    form_token = form_token_field(_("Stops a form sent twice proposing twice."))

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        ordering = ["-starts_on", "title"]
        permissions = [("decide_campaign", _("Can approve or decline campaigns"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(status=CampaignStatus.PROPOSED)
                | Q(decided_by__isnull=False, decided_at__isnull=False),
                name="campaign_decision_has_who_and_when",
            ),
            models.CheckConstraint(
                condition=~Q(status=CampaignStatus.DECLINED) | ~Q(decision_reason=""),
                name="campaign_decline_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(decided_by=models.F("proposer")),
                name="campaign_not_decided_by_proposer",
            ),
            models.UniqueConstraint(
                fields=["proposer", "form_token"], name="campaign_once_per_form"
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="campaign_queue")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("approvals:campaign_detail", kwargs={"pk": self.pk})


# --- Posts ------------------------------------------------------------------------------------


class PostStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for the senior team")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved – not yet published")
    REJECTED = "rejected", _("Rejected")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The only moves a post can make. SUBMITTED -> SUBMITTED is the author sending a changed post
# again before anyone decided; APPROVED -> SUBMITTED is editing an approved post, which needs a
# new decision.
POST_TRANSITIONS: dict[str, frozenset[str]] = {
    PostStatus.DRAFT: frozenset({PostStatus.SUBMITTED, PostStatus.WITHDRAWN}),
    PostStatus.SUBMITTED: frozenset(
        {
            PostStatus.SUBMITTED,
            PostStatus.APPROVED,
            PostStatus.CHANGES_REQUESTED,
            PostStatus.REJECTED,
            PostStatus.WITHDRAWN,
        }
    ),
    PostStatus.CHANGES_REQUESTED: frozenset({PostStatus.SUBMITTED, PostStatus.WITHDRAWN}),
    PostStatus.APPROVED: frozenset({PostStatus.PUBLISHED, PostStatus.SUBMITTED}),
    PostStatus.REJECTED: frozenset(),
    PostStatus.PUBLISHED: frozenset(),
    PostStatus.WITHDRAWN: frozenset(),
}

# Statuses in which the author may still change the post.
EDITABLE_STATUSES = frozenset(
    {PostStatus.DRAFT, PostStatus.SUBMITTED, PostStatus.CHANGES_REQUESTED, PostStatus.APPROVED}
)
# Statuses in which an edit must go straight back to the senior team.
RESUBMIT_ON_EDIT_STATUSES = frozenset({PostStatus.SUBMITTED, PostStatus.APPROVED})

NEXT_STEP_FOR_AUTHOR = {
    PostStatus.DRAFT: _("Finish the post, do the self-check and send it to the senior team."),
    PostStatus.SUBMITTED: _(
        "Wait for a member of the senior team to decide. Do not publish it yet."
    ),
    PostStatus.CHANGES_REQUESTED: _("Make the changes asked for and submit again."),
    PostStatus.APPROVED: _(
        "Publish it on the account, then record when it went out and its web address."
    ),
    PostStatus.REJECTED: _(
        "Do not publish it. You can start a new draft from it if you want to try again."
    ),
    PostStatus.PUBLISHED: _("Nothing more to do."),
    PostStatus.WITHDRAWN: _("Nothing more to do. You can start a new draft from it."),
}


# What the author writes: kept on the post, frozen with each revision (the images apart).
POST_CONTENT_FIELDS = ("account", "campaign", "text", "link", "purpose", "planned_for")


class PostContentMixin:
    """Reads the content fields the same way on a post and on a revision of it."""

    def content_values(self) -> dict:
        """The content as stored, by column (`account_id`, not the account), so that a post and
        a revision compare without a query and a revision is made from the post's values."""
        attnames = (self._meta.get_field(name).attname for name in POST_CONTENT_FIELDS)
        return {attname: getattr(self, attname) for attname in attnames}


class PostQuerySet(models.QuerySet):
    def awaiting_decision(self):
        """Submitted posts with no decision yet on their current revision."""
        return self.filter(status=PostStatus.SUBMITTED)

    def published(self):
        return self.filter(status=PostStatus.PUBLISHED)


class Post(PostContentMixin, models.Model):
    """A post for one of the school's accounts, written by a member of staff."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="posts",
    )
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="posts"
    )
    campaign = optional_foreign_key(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="posts"
    )
    text = models.TextField(_("text of the post"))
    link = models.URLField(_("link"), max_length=500, blank=True)
    planned_for = models.DateTimeField(
        _("planned publication time"),
        null=True,
        blank=True,
        help_text=_("When you would like it to go out. Leave empty if there is no set time."),
    )
    purpose = models.TextField(
        _("purpose and benefit for the school"),
        help_text=_("Clause 4.3: why the school should post this and how it helps the school."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PostStatus.choices, default=PostStatus.DRAFT
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)
    submitted_at = models.DateTimeField(
        _("submitted at"),
        null=True,
        blank=True,
        help_text=_("When the current revision was sent to the senior team."),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    current_revision = optional_foreign_key(
        "PostRevision",
        verbose_name=_("latest revision sent"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_decision = optional_foreign_key(
        "Decision", verbose_name=_("latest decision"), on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("went out at"), null=True, blank=True)
    published_url = models.URLField(_("live web address"), max_length=500, blank=True)
    published_by = optional_foreign_key(
        settings.AUTH_USER_MODEL,
        verbose_name=_("publication recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    copied_from = optional_foreign_key(
        "self", verbose_name=_("started from"), on_delete=models.SET_NULL, related_name="copies"
    )
    form_token = form_token_field(_("Stops a form sent twice (a double click) creating two posts."))

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        ordering = ["-updated_at", "-id"]
        permissions = [
            ("decide_post", _("Can approve, request changes to or reject posts")),
            ("view_all_posts", _("Can see every submitted post")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["author", "form_token"], name="post_once_per_form"),
            models.CheckConstraint(
                condition=~Q(status=PostStatus.PUBLISHED)
                | (Q(published_at__isnull=False) & ~Q(published_url="")),
                name="post_published_has_time_and_url",
            ),
            models.CheckConstraint(
                condition=Q(status=PostStatus.DRAFT)
                | Q(status=PostStatus.WITHDRAWN)
                | Q(current_revision__isnull=False, submitted_at__isnull=False),
                name="post_past_draft_has_revision",
            ),
            models.CheckConstraint(
                condition=~Q(
                    status__in=[
                        PostStatus.APPROVED,
                        PostStatus.PUBLISHED,
                        PostStatus.REJECTED,
                        PostStatus.CHANGES_REQUESTED,
                    ]
                )
                | Q(last_decision__isnull=False, decided_at__isnull=False),
                name="post_decided_has_decision",
            ),
            models.CheckConstraint(condition=~Q(purpose=""), name="post_has_purpose"),
        ]
        indexes = [
            models.Index(fields=["status", "submitted_at", "id"], name="post_queue"),
            models.Index(fields=["account", "status", "submitted_at"], name="post_queue_account"),
            models.Index(fields=["campaign", "status", "submitted_at"], name="post_queue_campaign"),
            models.Index(fields=["author", "status", "submitted_at"], name="post_queue_author"),
            models.Index(fields=["author", "-updated_at"], name="post_my_posts"),
            models.Index(fields=["status", "-published_at"], name="post_published_log"),
            models.Index(fields=["status", "planned_for"], name="post_planned"),
            models.Index(fields=["status", "decided_at"], name="post_decided"),
        ]

    def __str__(self):
        excerpt = Truncator(self.text.strip().replace("\n", " ")).chars(60)
        if not self.pk:
            return excerpt
        return _("Post %(pk)s on %(account)s: %(excerpt)s") % {
            "pk": self.pk,
            "account": self.account.name,
            "excerpt": excerpt,
        }

    def get_absolute_url(self):
        return reverse("approvals:post_detail", kwargs={"pk": self.pk})

    @property
    def is_editable(self):
        return self.status in EDITABLE_STATUSES

    @property
    def next_step(self):
        return NEXT_STEP_FOR_AUTHOR[self.status]

    @property
    def can_be_withdrawn(self):
        return PostStatus.WITHDRAWN in POST_TRANSITIONS[self.status]

    @property
    def can_be_copied(self):
        return self.status in (PostStatus.REJECTED, PostStatus.WITHDRAWN)

    @property
    def published_text_length(self) -> int:
        return published_length(self.text, self.link, platform=self.account.platform)


def published_length(text: str, link: str = "", *, platform: str = "") -> int:
    """How many characters the post takes on `platform`, counted as the platform counts them
    (approvals.platforms). The page's live counter (static/js/approvals.js) counts the same."""
    from approvals.platforms import published_length as platform_length

    return platform_length(text, link, platform=platform)


class PostRevision(PostContentMixin, AppendOnlyModel):
    """What was sent to the senior team, frozen: a decision always refers to one of these."""

    refusal = _("Submitted revisions cannot be changed or deleted.")

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField()
    link = models.URLField(max_length=500, blank=True)
    purpose = models.TextField()
    planned_for = models.DateTimeField(null=True, blank=True)
    media = models.ManyToManyField("PostMedia", blank=True, related_name="revisions")
    self_check = models.JSONField(
        _("self-check answers"),
        default=dict,
        help_text=_("The author's confirmations against clause 4.4, as sent."),
    )

    class Meta:
        verbose_name = _("revision")
        ordering = ["post", "number"]
        constraints = [
            models.UniqueConstraint(fields=["post", "number"], name="revision_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="revision_number_positive"),
        ]

    def __str__(self):
        return _("Revision %(number)s of post %(post)s") % {
            "number": self.number,
            "post": self.post_id,
        }

    def get_absolute_url(self):
        post_url = reverse("approvals:post_detail", kwargs={"pk": self.post_id})
        return f"{post_url}#revision-{self.number}"


def media_upload_to(instance, filename):
    # The service names files with a random uuid4; never trust the uploader's file name.
    return f"approvals/media/{filename}"


class MediaSource(models.TextChoices):
    OWN = "own", _("Our own (taken or made by school staff)")
    PERMISSION = "permission", _("Someone else's, used with their permission")
    CREDITED = "credited", _("Someone else's, published with an acknowledgement")


class PostMedia(models.Model):
    """An image attached to a post. Never changed once saved: to change it, remove it and add
    it again, so each revision shows exactly the images that were checked."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="media")
    image = models.FileField(_("image"), upload_to=media_upload_to, max_length=200)
    content_type = models.CharField(max_length=30)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    size_bytes = models.PositiveIntegerField(default=0)
    original_name = models.CharField(
        _("file name as uploaded"), max_length=255, blank=True, help_text=_("For display only.")
    )
    alt_text = models.CharField(
        _("description for people who cannot see the image (alt text)"), max_length=1000
    )
    source = models.CharField(_("where it came from"), max_length=20, choices=MediaSource.choices)
    permission_from = models.CharField(_("permission given by"), max_length=200, blank=True)
    credit = models.CharField(_("acknowledgement to publish"), max_length=300, blank=True)
    shows_pupils = models.BooleanField(
        _("shows pupils"),
        default=True,
        help_text=_("Whether any pupil can be recognised in the image."),
    )
    pupil_consent_confirmed = models.BooleanField(
        _("every identifiable pupil has photo consent on file"), default=False
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Removed from the post (kept for earlier revisions).")
    )

    class Meta:
        verbose_name = _("image")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(alt_text=""), name="media_has_alt_text"),
            models.CheckConstraint(
                condition=Q(shows_pupils=False) | Q(pupil_consent_confirmed=True),
                name="media_pupils_have_consent",
            ),
            models.CheckConstraint(
                condition=~Q(source=MediaSource.PERMISSION) | ~Q(permission_from=""),
                name="media_permission_names_who",
            ),
            models.CheckConstraint(
                condition=~Q(source=MediaSource.CREDITED) | ~Q(credit=""),
                name="media_credit_given",
            ),
        ]
        indexes = [models.Index(fields=["post", "removed_at"], name="media_current")]

    def __str__(self):
        return self.alt_text[:60]

    def get_absolute_url(self):
        return reverse("approvals:media", kwargs={"pk": self.pk})

    @property
    def source_description(self) -> str:
        if self.source == MediaSource.PERMISSION:
            return _("Used with permission from %(who)s") % {"who": self.permission_from}
        if self.source == MediaSource.CREDITED:
            return _("Credited: %(credit)s") % {"credit": self.credit}
        return str(MediaSource.OWN.label)


class PendingImage(models.Model):
    """An image chosen in the post form before the post is saved with it.

    Kept from the moment it is uploaded, under the form's own key, so a form shown again (a
    mistake elsewhere, or images still to describe) never asks for the file a second time.
    Saving the post turns it into a `PostMedia` sharing the same stored file."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    form_key = models.UUIDField(help_text=_("The post form the image was chosen in."))
    image = models.FileField(_("image"), upload_to=media_upload_to, max_length=200)
    content_type = models.CharField(max_length=30)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    size_bytes = models.PositiveIntegerField(default=0)
    original_name = models.CharField(_("file name as uploaded"), max_length=255, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("image not yet saved with a post")
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["uploaded_by", "form_key"], name="pending_image_form")]

    def __str__(self):
        return self.original_name or self.image.name

    def get_absolute_url(self):
        return reverse("approvals:pending_image", kwargs={"pk": self.pk})


class PublicationCorrection(AppendOnlyModel):
    """A correction to the record of when and where a post went out; the values it replaced
    are kept here so the history shows both."""

    refusal = _("Corrections cannot be changed or deleted.")

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="publication_corrections")
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("corrected by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    corrected_at = models.DateTimeField(_("corrected at"), auto_now_add=True)
    old_published_at = models.DateTimeField(_("went out at (before)"))
    old_url = models.URLField(_("live web address (before)"), max_length=500)
    new_published_at = models.DateTimeField(_("went out at (after)"))
    new_url = models.URLField(_("live web address (after)"), max_length=500)
    reason = models.TextField(_("why it was corrected"))

    class Meta:
        verbose_name = _("correction to a publication record")
        ordering = ["corrected_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="correction_has_reason"),
        ]

    def __str__(self):
        return _("Correction of post %(post)s by %(who)s") % {
            "post": self.post_id,
            "who": self.corrected_by,
        }


# --- Decisions and comments -------------------------------------------------------------------


class DecisionOutcome(models.TextChoices):
    APPROVE = "approve", _("Approved")
    REQUEST_CHANGES = "request_changes", _("Changes requested")
    REJECT = "reject", _("Rejected")


OUTCOME_TO_STATUS = {
    DecisionOutcome.APPROVE: PostStatus.APPROVED,
    DecisionOutcome.REQUEST_CHANGES: PostStatus.CHANGES_REQUESTED,
    DecisionOutcome.REJECT: PostStatus.REJECTED,
}


class Decision(AppendOnlyModel):
    """A senior-team member's decision on one revision. One per revision, held by the database."""

    refusal = _("Decisions cannot be changed or deleted.")

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="decisions")
    revision = models.ForeignKey(PostRevision, on_delete=models.PROTECT, related_name="decisions")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="post_decisions",
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    outcome = models.CharField(_("decision"), max_length=20, choices=DecisionOutcome.choices)
    comment = models.TextField(_("comment"), blank=True)
    cited_clauses = models.JSONField(
        _("clauses cited"), default=list, blank=True, help_text=_('Clause numbers, e.g. ["4.4"].')
    )
    policy_version = optional_foreign_key(
        "policy.PolicyVersion",
        verbose_name=_("policy version in force"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("decision")
        ordering = ["decided_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["revision"], name="one_decision_per_revision"),
            models.CheckConstraint(
                condition=Q(outcome=DecisionOutcome.APPROVE) | ~Q(comment=""),
                name="decision_comment_unless_approved",
            ),
        ]

    def __str__(self):
        return _("%(outcome)s by %(who)s (revision %(revision)s)") % {
            "outcome": self.get_outcome_display(),
            "who": self.decided_by,
            "revision": self.revision_id,
        }


class Comment(models.Model):
    """A remark in the conversation about a post, made on the revision current at the time."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="comments")
    revision = models.ForeignKey(
        PostRevision, on_delete=models.PROTECT, null=True, blank=True, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="post_comments"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    body = models.TextField(_("comment"))
    cited_clauses = models.JSONField(_("clauses cited"), default=list, blank=True)
    policy_version = optional_foreign_key(
        "policy.PolicyVersion",
        verbose_name=_("policy version in force"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("comment")
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(body=""), name="comment_not_empty")]
        indexes = [models.Index(fields=["post", "created_at"], name="comment_timeline")]

    def __str__(self):
        return _("Comment by %(who)s on post %(post)s") % {
            "who": self.author,
            "post": self.post_id,
        }

    def get_absolute_url(self):
        return f"{self.post.get_absolute_url()}#comment-{self.pk}"


# --- The self-check before submitting (clause 4.4) ----------------------------------------------

# (key stored with the revision, clause it comes from, what the author confirms)
SELF_CHECK_ITEMS: tuple[tuple[str, str, str], ...] = (
    (
        "confidentiality",
        "4.4",
        _(
            "It does not breach confidentiality: nothing confidential about the school, a "
            "person or a partner organisation, and nothing about how the school runs "
            "day to day."
        ),
    ),
    (
        "no_discrimination",
        "4.4",
        _(
            "It is not discriminatory, and it does not bully or harass anyone, in its words, "
            "images or links."
        ),
    ),
    (
        "no_disrepute",
        "4.4",
        _(
            "It does not bring the school into disrepute: no criticising or arguing with "
            "colleagues, parents or competitors, nothing defamatory, no inappropriate images "
            "or links."
        ),
    ),
    (
        "copyright",
        "4.4",
        _(
            "It does not breach copyright: every image and piece of writing is our own, used "
            "with permission, or acknowledged."
        ),
    ),
    (
        "reposts",
        "4.4",
        _("Anything it re-posts from someone else meets all of the above."),
    ),
)
SELF_CHECK_KEYS = tuple(key for key, _clause, _label in SELF_CHECK_ITEMS)
