"""Services every part of the portal shares: the audit log and notifications."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.template.loader import render_to_string
from django.utils import timezone

from redbridge_portal.middleware import current_ip_address
from redbridge_portal.models import (
    MANDATORY_EMAIL_KINDS,
    AuditEvent,
    EmailPreference,
    EmailStatus,
    Notification,
    SentReminder,
    User,
)

logger = logging.getLogger(__name__)


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
    event.save()
    return event


def _email_wanted(recipients: list[User], kind: str) -> set[int]:
    """The ids of recipients who want email for this kind (on unless they turned it off)."""
    ids = {user.pk for user in recipients}
    if kind in MANDATORY_EMAIL_KINDS:
        return ids
    turned_off = EmailPreference.objects.filter(
        user_id__in=ids, kind=kind, email_enabled=False
    ).values_list("user_id", flat=True)
    return ids - set(turned_off)


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    subject: str,
    message: str,
    url: str = "",
    key: str | None = None,
) -> list[Notification]:
    """Tell people something: one in-app notification each, emailed after the surrounding
    transaction commits (unless they turned that kind of email off).

    Inactive users are skipped. With a `key`, a recipient who already has a notification with
    that key gets nothing new, so retries and duplicate task runs send nothing twice. Email is
    queued with `transaction.on_commit`; if the broker is down, the rows stay pending and the
    periodic sweep sends them later. Never raises for a delivery problem.
    """
    unique = {user.pk: user for user in recipients if user is not None and user.is_active}
    people = list(unique.values())
    if not people:
        return []
    wants_email = _email_wanted(people, kind)
    created: list[Notification] = []
    with transaction.atomic():
        for person in people:
            notification = Notification(
                recipient=person,
                kind=kind,
                subject=subject[:200],
                message=message,
                url=url,
                key=key or "",
                email_status=(
                    EmailStatus.PENDING if person.pk in wants_email else EmailStatus.NOT_WANTED
                ),
            )
            if key is None:
                notification.save()
            else:
                try:
                    with transaction.atomic():
                        notification.save()
                except IntegrityError:
                    continue  # already told about this
            created.append(notification)
    pending = [n.pk for n in created if n.email_status == EmailStatus.PENDING]
    if pending:
        transaction.on_commit(lambda: enqueue_notification_emails(pending))
    return created


def enqueue_notification_emails(notification_ids: list[int]) -> bool:
    """Hand the emails to Celery. A broker that is down is logged, not raised: the rows stay
    pending and `notification_sweep_outbox` delivers them when the broker is back."""
    from redbridge_portal.tasks import send_notification_emails

    try:
        send_notification_emails.delay(notification_ids)
    except Exception:  # any broker or network error: the outbox keeps the work
        logger.warning(
            "Could not queue %d notification email(s); the outbox sweep will send them.",
            len(notification_ids),
            exc_info=True,
        )
        return False
    return True


def reminder_send_once(
    *,
    key: str,
    recipients: Iterable[User],
    kind: str,
    subject: str,
    message: str,
    url: str = "",
) -> bool:
    """Send a reminder unless one with this key already went out. The SentReminder row and
    the notifications are written in one transaction, and the key is unique in the database,
    so two runs at once (two beat processes, a retried task) send it exactly once.
    Returns True when it was sent now."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(key=key)
            notify(recipients=recipients, kind=kind, subject=subject, message=message, url=url)
    except IntegrityError:
        return False
    return True


class EmailDeliveryError(Exception):
    """The mail server refused or could not be reached; the notification stays pending."""


MAX_EMAIL_ATTEMPTS = 6


def notification_email_send(*, notification_id: int) -> bool:
    """Email one pending notification. Safe to run twice and from two workers at once: the
    row is locked (skipping a row another worker holds) and only a pending row is sent.

    Returns True if it sent the email now. On a mail-server failure the attempt is counted and
    EmailDeliveryError raised (the task retries with backoff); after MAX_EMAIL_ATTEMPTS the row
    is marked failed, which admins see in the admin's notification list.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .select_related("recipient")
            .filter(pk=notification_id, email_status=EmailStatus.PENDING)
            .first()
        )
        if notification is None:
            return False
        notification.email_attempts += 1
        try:
            _notification_email(notification).send()
        except Exception as error:  # SMTP, socket and TLS errors alike
            failure = f"{type(error).__name__}: {error}"[:2000]
            _notification_email_failed(notification, failure)
        else:
            notification.email_status = EmailStatus.SENT
            notification.emailed_at = timezone.now()
            notification.email_error = ""
            notification.save(
                update_fields=["email_status", "emailed_at", "email_error", "email_attempts"]
            )
            return True
    # Raised after the transaction, so the counted attempt is kept.
    if notification.email_status == EmailStatus.PENDING:
        raise EmailDeliveryError(notification.email_error)
    return False


def _notification_email(notification: Notification) -> EmailMultiAlternatives:
    context = {
        "notification": notification,
        "recipient": notification.recipient,
        "absolute_url": f"{settings.SITE_URL}{notification.url}" if notification.url else "",
        "preferences_url": f"{settings.SITE_URL}/notifications/settings/",
        "school_name": settings.SCHOOL_NAME,
    }
    email = EmailMultiAlternatives(
        subject=notification.subject,
        body=render_to_string("email/notification.txt", context),
        to=[notification.recipient.email],
    )
    email.attach_alternative(render_to_string("email/notification.html", context), "text/html")
    return email


def _notification_email_failed(notification: Notification, failure: str) -> None:
    notification.email_error = failure
    # Back off 2, 4, 8... minutes (at most an hour) before the sweep tries again.
    backoff = min(60 * 2**notification.email_attempts, 3600)
    notification.email_retry_after = timezone.now() + timedelta(seconds=backoff)
    if notification.email_attempts >= MAX_EMAIL_ATTEMPTS:
        notification.email_status = EmailStatus.FAILED
        logger.error(
            "Giving up emailing notification %s after %s attempts: %s",
            notification.pk,
            notification.email_attempts,
            failure,
        )
    notification.save(
        update_fields=["email_attempts", "email_error", "email_status", "email_retry_after"]
    )


def notification_sweep_outbox(*, older_than_seconds: int = 60, limit: int = 500) -> int:
    """Queue the emails still pending (for example because the broker was down when they were
    created). Returns how many were handed to the broker."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=older_than_seconds)
    ids = list(
        Notification.objects.filter(email_status=EmailStatus.PENDING, created_at__lte=cutoff)
        .filter(Q(email_retry_after__isnull=True) | Q(email_retry_after__lte=now))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    if ids and enqueue_notification_emails(ids):
        return len(ids)
    return 0


def notifications_mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all of them, or the given ones)."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


def email_preferences_set(*, user: User, enabled_kinds: Iterable[str]) -> None:
    """Record which kinds of notification the user wants by email; the mandatory kinds stay
    on whatever is asked."""
    from redbridge_portal.models import NotificationKind

    enabled = set(enabled_kinds) | set(MANDATORY_EMAIL_KINDS)
    with transaction.atomic():
        for kind in NotificationKind.values:
            EmailPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"email_enabled": kind in enabled}
            )


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
