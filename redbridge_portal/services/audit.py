"""The audit log: every decision and change, with who made it and from where."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from redbridge_portal.middleware import current_ip_address
from redbridge_portal.models import (
    AuditEvent,
    User,
)


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: Model | None = None,
    summary: str = "",
    data: dict | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one row to the audit log. Call it inside the transaction of the change it
    records, so the change and its record stand or fall together. The request's address is
    taken from the current request when there is one."""
    event = _audit_event(actor, action, target, summary, data, ip_address)
    event.save()
    return event


def audit_record_many(
    *, actor: User | None, action: str, entries: Iterable[tuple[Model, str, dict | None]]
) -> None:
    """Append one row per (target, summary, data) in a single insert, for one action done to
    many records at once (a staff import of hundreds of people); otherwise as audit_record."""
    AuditEvent.objects.bulk_create(
        [
            _audit_event(actor, action, target, summary, data, None)
            for target, summary, data in entries
        ],
        batch_size=500,
    )


def _audit_event(actor, action, target, summary, data, ip_address) -> AuditEvent:
    event = AuditEvent(
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        summary=summary,
        data=data or {},
        ip_address=ip_address or current_ip_address.get(),
    )
    if target is not None:
        event.target_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
        event.target_id = str(target.pk)
        event.target_label = str(target)[:255]
    return event
