"""Reminders for the annual review (clause 8.1: the policy is reviewed every year), and to
acknowledge a new version (`send_acknowledgement_reminders`, below).

Run daily by `policy.tasks.send_review_reminders`. The open review cycle (see
`policy.models.ReviewCycle`) is read from the database each run; each reminder has a key, so a
second run on the same day, or two beat processes, send nothing twice. When the task has not
run for a while, only the most urgent reminder due is sent, not every one that was missed.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from policy.models import PolicyVersion, ReviewCycle
from redbridge_portal import roles
from redbridge_portal.models import NotificationKind, User
from redbridge_portal.school_calendar import closed_days, is_school_day
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
    due = date_format(cycle.due_on, "j F Y")
    days_left = (cycle.due_on - today).days
    if days_left > 0:
        subject = ngettext(
            "The Social Media Policy review is due in %(days)s day",
            "The Social Media Policy review is due in %(days)s days",
            days_left,
        ) % {"days": days_left}
        opening = _("The annual review of the Social Media Policy is due by %(due)s.") % {
            "due": due
        }
    elif stage == "due":
        subject = _("The Social Media Policy review is due")
        opening = _("The annual review of the Social Media Policy was due on %(due)s.") % {
            "due": due
        }
    else:
        subject = _("Overdue: the Social Media Policy review was due on %(due)s") % {"due": due}
        opening = ngettext(
            "The annual review of the Social Media Policy is overdue: it was due on %(due)s, "
            "%(days)s day ago. Until a new version is published, staff see a notice that the "
            "review is overdue.",
            "The annual review of the Social Media Policy is overdue: it was due on %(due)s, "
            "%(days)s days ago. Until a new version is published, staff see a notice that the "
            "review is overdue.",
            -days_left,
        ) % {"due": due, "days": -days_left}
    guidance = _(
        "Clause 8.1 asks for the policy to be reviewed every year. Start the annual review in "
        "the portal, make the changes, then publish the new version; staff will be asked to "
        "read it."
    )
    message = f"{opening}\n{guidance}"
    return reminder_send_once(
        key=f"review-cycle:{cycle.pk}:{stage}",
        recipients=_recipients(cycle),
        kind=NotificationKind.POLICY_REVIEW,
        subject=subject,
        message=message,
        url=reverse("policy:review"),
    )


# --- Acknowledging a new version -----------------------------------------------------------------

# The first reminder after 5 school days, then one every school week (5 more school days):
# holidays pause the count, so nobody is chased for a week they were not in school.
ACKNOWLEDGEMENT_FIRST_AFTER = 5
ACKNOWLEDGEMENT_EVERY = 5


def school_days_since(start: date, today: date) -> int:
    """School days after `start`, up to and including `today`."""
    if today <= start:
        return 0
    closed = closed_days(start + timedelta(days=1), today)
    return sum(
        1
        for offset in range(1, (today - start).days + 1)
        if is_school_day(start + timedelta(days=offset), closed)
    )


def acknowledgement_reminder_stage(school_days: int) -> int | None:
    """0 for the first reminder, 1 for the next a school week later, …; None before."""
    if school_days < ACKNOWLEDGEMENT_FIRST_AFTER:
        return None
    return (school_days - ACKNOWLEDGEMENT_FIRST_AFTER) // ACKNOWLEDGEMENT_EVERY


def send_acknowledgement_reminders(*, today: date | None = None) -> int:
    """Remind staff who have not acknowledged the current version, when a reminder is due
    today. Safe to run twice: each stage has one key. Returns how many were reminded now."""
    from policy.services import acknowledgement_reminders_send

    today = today or timezone.localdate()
    version = PolicyVersion.objects.published().first()
    if version is None or version.published_at is None:
        return 0
    published_on = timezone.localdate(version.published_at)
    stage = acknowledgement_reminder_stage(school_days_since(published_on, today))
    if stage is None:
        return 0
    sent = acknowledgement_reminders_send(
        version=version, key=f"policy-ack:{version.pk}:automatic:{stage}", today=today
    )
    return sent or 0
