"""Concerns: something a member of staff saw online that may need an official response from
the school. Seen only by the senior team and the person who raised it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from redbridge_portal.records import form_token_field, optional_foreign_key


class ConcernUrgency(models.TextChoices):
    URGENT = "urgent", _("Urgent: someone may be at risk or harm is spreading now")
    TODAY = "today", _("Today: it needs a response during the school day")
    ROUTINE = "routine", _("Not urgent: within a few days")


class ConcernStatus(models.TextChoices):
    RAISED = "raised", _("Waiting for the senior team")
    IN_HAND = "in_hand", _("Being dealt with")
    RESOLVED = "resolved", _("Resolved")


CONCERN_TRANSITIONS: dict[str, frozenset[str]] = {
    ConcernStatus.RAISED: frozenset({ConcernStatus.IN_HAND}),
    ConcernStatus.IN_HAND: frozenset({ConcernStatus.IN_HAND, ConcernStatus.RESOLVED}),
    ConcernStatus.RESOLVED: frozenset(),
}


class ConcernQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=ConcernStatus.RESOLVED)


def concern_upload_to(instance, filename):
    return f"concerns/screenshots/{filename}"


class Concern(models.Model):
    """Something seen online that may need a response from the school. Seen only by the senior
    team and the person who raised it."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.PROTECT,
        related_name="concerns_raised",
    )
    link = models.URLField(
        _("link to what you saw"),
        max_length=500,
        blank=True,
        help_text=_("The web address of the post or page, if you have it."),
    )
    description = models.TextField(
        _("what it is"),
        help_text=_("What you saw, where, and why you think the school may need to respond."),
    )
    urgency = models.CharField(
        _("how urgent is it?"), max_length=20, choices=ConcernUrgency.choices
    )
    screenshot = models.FileField(
        _("screenshot"), upload_to=concern_upload_to, max_length=200, blank=True
    )
    screenshot_type = models.CharField(max_length=30, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ConcernStatus.choices, default=ConcernStatus.RAISED
    )
    created_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    owner = optional_foreign_key(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dealt with by"),
        on_delete=models.PROTECT,
        related_name="concerns_owned",
    )
    taken_at = models.DateTimeField(_("taken on at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    form_token = form_token_field()

    objects = ConcernQuerySet.as_manager()

    class Meta:
        verbose_name = _("concern")
        db_table = "approvals_concern"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "form_token"], name="concern_once_per_form"
            ),
            models.CheckConstraint(condition=~Q(description=""), name="concern_has_description"),
            models.CheckConstraint(
                condition=Q(status=ConcernStatus.RAISED)
                | Q(owner__isnull=False, taken_at__isnull=False),
                name="concern_taken_has_owner",
            ),
            models.CheckConstraint(
                condition=~Q(status=ConcernStatus.RESOLVED)
                | (Q(resolved_at__isnull=False) & ~Q(outcome="")),
                name="concern_resolved_has_outcome",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="concern_open")]

    def __str__(self):
        excerpt = Truncator(" ".join(self.description.split())).chars(60)
        return gettext("Concern %(number)s: %(excerpt)s") % {"number": self.pk, "excerpt": excerpt}

    def get_absolute_url(self):
        return reverse("concerns:detail", kwargs={"pk": self.pk})


class ConcernAction(models.Model):
    """Something the senior team did about a concern (a note in its record)."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="actions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    body = models.TextField(_("what was done"))

    class Meta:
        verbose_name = _("action on a concern")
        db_table = "approvals_concernaction"
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="concern_action_not_empty")
        ]

    def __str__(self):
        return gettext("Action on concern %(number)s by %(author)s") % {
            "number": self.concern_id,
            "author": self.author,
        }
