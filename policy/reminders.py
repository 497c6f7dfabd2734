"""Reminders for the annual review (clause 8.1: the policy is reviewed every year).

Run daily by `policy.tasks.send_review_reminders`. The open review cycle (see
`policy.models.ReviewCycle`) is read from the database each run; each reminder has a key, so a
second run on the same day, or two beat processes, send nothing twice. When the task has not
run for a while, only the most urgent reminder due is sent, not every one that was missed.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone

from policy.models import ReviewCycle
from redbridge_portal import roles
from redbridge_portal.models import NotificationKind, User
from redbridge_portal.services import reminder_send_once

DAYS_BEFORE = (60, 30, 7)


def reminder_stage(due_on: date, today: date) -> str | None:
    """Which reminder is due today for a review due on `due_on`: "before-60", "before-30",
    "before-7", "due" (from the due date until a week has passed), "overdue-week-N" (weekly
    while overdue), or None (more than 60 days to go)."""
    days_left = (due_on - today).days
    if days_left > DAYS_BEFORE[0]:
        return None
    if days_left > 0:
        return f"before-{min(days for days in DAYS_BEFORE if days_left <= days)}"
    weeks_overdue = -days_left // 7
    return "due" if weeks_overdue == 0 else f"overdue-week-{weeks_overdue}"


def _recipients(cycle: ReviewCycle) -> list[User]:
    """The policy admins and, when they have an account, the person responsible."""
    people = list(roles.policy_admins())
    responsible = (
        User.objects.filter(is_active=True)
        .annotate(full_name=Concat("first_name", Value(" "), "last_name"))
        .filter(full_name__iexact=cycle.version.person_responsible.strip())
    )
    return [*people, *responsible]


def send_review_reminders(*, today: date | None = None) -> bool:
    """Send today's review reminder if one is due; True when one was sent now."""
    today = today or timezone.localdate()
    cycle = (
        ReviewCycle.objects.filter(completed_on__isnull=True)
        .select_related("version")
        .order_by("due_on")
        .first()
    )
    if cycle is None:
        return False
    stage = reminder_stage(cycle.due_on, today)
    if stage is None:
        return False
    due = cycle.due_on.strftime("%-d %B %Y")
    days_left = (cycle.due_on - today).days
    if days_left > 0:
        subject = f"The Social Media Policy review is due in {days_left} days"
        opening = f"The annual review of the Social Media Policy is due by {due}."
    elif stage == "due":
        subject = "The Social Media Policy review is due"
        opening = f"The annual review of the Social Media Policy was due on {due}."
    else:
        subject = f"Overdue: the Social Media Policy review was due on {due}"
        opening = (
            f"The annual review of the Social Media Policy is overdue: it was due on {due}, "
            f"{-days_left} days ago. Until a new version is published, staff see a notice "
            "that the review is overdue."
        )
    message = (
        f"{opening}\nClause 8.1 asks for the policy to be reviewed every year. Start the "
        "annual review in the portal, make the changes, then publish the new version; staff "
        "will be asked to read it."
    )
    return reminder_send_once(
        key=f"review-cycle:{cycle.pk}:{stage}",
        recipients=_recipients(cycle),
        kind=NotificationKind.POLICY_REVIEW,
        subject=subject,
        message=message,
        url=reverse("policy:review"),
    )
