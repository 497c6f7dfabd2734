"""School closures: days the school is shut, which reminders and escalations skip."""

from __future__ import annotations

from django.db import transaction

from redbridge_portal.models import User
from redbridge_portal.services.audit import audit_record


def school_closure_add(*, actor: User, name: str, first_day, last_day):
    """Record a period the school is closed; reminders stop counting those days."""
    from redbridge_portal.models import SchoolClosure

    with transaction.atomic():
        closure = SchoolClosure.objects.create(name=name, first_day=first_day, last_day=last_day)
        audit_record(actor=actor, action="calendar.closure_added", target=closure)
    return closure


def school_closure_remove(*, actor: User, closure) -> None:
    with transaction.atomic():
        audit_record(actor=actor, action="calendar.closure_removed", target=closure)
        closure.delete()
