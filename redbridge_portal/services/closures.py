"""School closures: days the school is shut, which reminders and escalations skip."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from redbridge_portal.actions import ActionRefused
from redbridge_portal.models import User
from redbridge_portal.services.audit import audit_record

# A closure switches off reminders and escalations for its days: a typing slip must not switch
# them off for years.
MAX_DAYS = 92
MAX_DAYS_BEFORE_TODAY = 365
MAX_DAYS_AFTER_TODAY = 2 * 365


def closure_problems(first_day: datetime.date, last_day: datetime.date) -> list[tuple[str, str]]:
    """What is wrong with a closure from `first_day` to `last_day`: (field, message) pairs,
    none when it is fine."""
    problems = []
    if last_day < first_day:
        problems.append(("last_day", _("The last day must be on or after the first day.")))
    elif (last_day - first_day).days + 1 > MAX_DAYS:
        message = _("A closure can be at most %(days)s days long. Enter a longer one in parts.")
        problems.append(("last_day", message % {"days": MAX_DAYS}))
    today = timezone.localdate()
    if first_day < today - datetime.timedelta(days=MAX_DAYS_BEFORE_TODAY):
        problems.append(("first_day", _("Enter a first day no more than a year ago.")))
    if last_day > today + datetime.timedelta(days=MAX_DAYS_AFTER_TODAY):
        problems.append(("last_day", _("Enter a last day no more than two years from today.")))
    return problems


def _check_may_manage(actor: User) -> None:
    from redbridge_portal import roles

    if not roles.can_manage_policy(actor):
        raise ActionRefused(_("Only policy admins can change the school calendar."))


def school_closure_add(*, actor: User, name: str, first_day, last_day):
    """Record a period the school is closed; reminders stop counting those days. Policy admins
    only; refuses a closure that is too long or too far from today."""
    from redbridge_portal.models import SchoolClosure

    _check_may_manage(actor)
    problems = closure_problems(first_day, last_day)
    if problems:
        raise ActionRefused(" ".join(message for _field, message in problems))
    with transaction.atomic():
        closure = SchoolClosure.objects.create(name=name, first_day=first_day, last_day=last_day)
        audit_record(actor=actor, action="calendar.closure_added", target=closure)
    return closure


def school_closure_remove(*, actor: User, closure) -> None:
    _check_may_manage(actor)
    with transaction.atomic():
        audit_record(actor=actor, action="calendar.closure_removed", target=closure)
        closure.delete()
