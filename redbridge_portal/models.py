from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from redbridge_portal.records import optional_foreign_key


class UserManager(DjangoUserManager):
    """Staff sign in with their school email address; case never matters."""

    use_in_migrations = True

    def _create_account(self, email, password, **extra_fields):
        if not email:
            raise ValueError("A school email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_account(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_account(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A member of staff. `is_staff` keeps Django's meaning (may open the admin site); the
    school roles are the groups named in `redbridge_portal.roles`."""

    username = None
    email = models.EmailField(_("school email address"), unique=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("member of staff")
        verbose_name_plural = _("members of staff")
        ordering = ["last_name", "first_name", "email"]
        permissions = [
            ("view_audit_log", _("Can view and export the audit log")),
            ("manage_personal_data", _("Can export and anonymise a member of staff's data")),
        ]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ignoring_case"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    @property
    def is_anonymised(self) -> bool:
        """True once `services.user_anonymise` has removed this person's details."""
        return self.email.endswith("@anonymised.invalid")


class ImmutableRecord(Exception):
    """Raised when code tries to change or delete a record that is kept exactly as written."""


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses the bulk changes that would go round the model's own guard."""

    def update(self, **kwargs):
        raise ImmutableRecord(self.model.refusal)

    def delete(self):
        raise ImmutableRecord(self.model.refusal)


class AppendOnlyModel(models.Model):
    """A record written once and then kept as it is: the audit log, what was sent to the senior
    team, their decisions and corrections to a publication record.

    A data-integrity guard, not business logic: the model, its queryset and the admin refuse
    changes and deletions, so the record holds up if it is ever needed in a disciplinary case.
    """

    # What the refusal says; each record names itself.
    refusal = _("This record cannot be changed or deleted.")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecord(self.refusal)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecord(self.refusal)


class AuditEvent(AppendOnlyModel):
    """One thing that happened: who did what to which record, when (UTC) and from where.

    Rows are only ever added (`redbridge_portal.services.audit_record`); on PostgreSQL a trigger
    refuses changes and deletions too.
    """

    refusal = _("Audit events cannot be changed or deleted.")

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = optional_foreign_key(
        "redbridge_portal.User",
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for the system itself (scheduled tasks) and for failed sign-ins."),
    )
    action = models.CharField(_("what"), max_length=64, db_index=True)
    target_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, null=True, blank=True
    )
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(_("record"), max_length=255, blank=True)
    summary = models.TextField(_("details"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_label}".strip()


class NotificationKind(models.TextChoices):
    POST_SUBMITTED = "post_submitted", _("A post is waiting for a decision")
    POST_DECIDED = "post_decided", _("A decision on my post")
    CAMPAIGN_SUBMITTED = "campaign_submitted", _("A campaign is waiting for a decision")
    CAMPAIGN_DECIDED = "campaign_decided", _("A decision on my campaign")
    COMMENT_ADDED = "comment_added", _("A new comment in a conversation I am in")
    APPROVAL_REMINDER = "approval_reminder", _("Reminders about posts waiting for a decision")
    APPROVAL_ESCALATION = "approval_escalation", _("Posts overdue for a decision")
    URGENT_REMINDER = "urgent_reminder", _("Posts due out soon with no decision")
    AUTHOR_REMINDER = "author_reminder", _("Reminders about my posts waiting on me")
    POLICY_PUBLISHED = "policy_published", _("A new version of the policy")
    POLICY_REVIEW = "policy_review", _("Reminders about the annual policy review")
    DIGEST = "digest", _("Daily summary of what waits for me")
    CONCERN_RAISED = "concern_raised", _("A concern needs the senior team")
    CONCERN_UPDATED = "concern_updated", _("News about a concern I raised")
    CONCERN_REMINDER = "concern_reminder", _("Reminders about open concerns")
    QUESTION_ASKED = "question_asked", _("A question for the senior team")
    QUESTION_ANSWERED = "question_answered", _("An answer to my question")
    ACCOUNT_CHANGED = "account_changed", _("Changes to my account and roles")


# Kinds whose email cannot be turned off: a decision on your own post is something you must hear.
MANDATORY_EMAIL_KINDS = frozenset(
    {
        NotificationKind.POST_DECIDED,
        NotificationKind.CAMPAIGN_DECIDED,
        # Someone changing what you may do, or closing your account, is never silent.
        NotificationKind.ACCOUNT_CHANGED,
    }
)


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed after retries")
    NOT_WANTED = "not_wanted", _("Not sent (email turned off)")


class Notification(models.Model):
    """A message to one person: shown in the portal and, unless they turned it off, emailed.

    Rows are the outbox: the email is sent by a Celery task queued after commit, and a periodic
    sweep sends whatever is still pending (for instance after the broker was down), so a
    notification is never lost.
    """

    recipient = models.ForeignKey(
        "redbridge_portal.User", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    subject = models.CharField(max_length=200)
    message = models.TextField()
    url = models.CharField(max_length=500, blank=True)
    key = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("What this notification is for; the same key is never sent twice."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(
        max_length=16, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_error = models.TextField(blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_retry_after = models.DateTimeField(
        null=True, blank=True, help_text=_("After a failed attempt: when to try again.")
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~models.Q(key=""),
                name="notification_once_per_key",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"]),
            models.Index(
                fields=["created_at"],
                condition=models.Q(email_status="pending"),
                name="notification_outbox",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.subject}"

    @property
    def is_unread(self):
        return self.read_at is None


class EmailPreference(models.Model):
    """A person's choice to turn off email for one kind of notification (on by default)."""

    user = models.ForeignKey(
        "redbridge_portal.User", on_delete=models.CASCADE, related_name="email_preferences"
    )
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    email_enabled = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_email_preference_per_kind")
        ]

    def __str__(self):
        return f"{self.user}: {self.kind} {'on' if self.email_enabled else 'off'}"


class SentReminder(models.Model):
    """Proof that a reminder went out. The unique key (for example
    "post:12:rev:3:reminder:24h") makes a second send impossible, even with two beat processes."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self):
        return self.key


class SchoolClosure(models.Model):
    """A period when the school is closed (holidays, half terms, training days). Waiting times
    for reminders count only school working hours, so these days do not count."""

    name = models.CharField(max_length=100, help_text=_('For example "Autumn half term".'))
    first_day = models.DateField()
    last_day = models.DateField()

    class Meta:
        verbose_name = _("school closure")
        ordering = ["first_day"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")),
                name="closure_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.first_day:%d %b %Y} – {self.last_day:%d %b %Y})"
