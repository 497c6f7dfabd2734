"""Notifications: what the portal tells people, in the portal and by email (through the
outbox: an email is queued after commit, sent by Celery, and swept up again if it was not)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from redbridge_portal import roles
from redbridge_portal.models import (
    MANDATORY_EMAIL_KINDS,
    EmailPreference,
    EmailStatus,
    Notification,
    SentReminder,
    User,
)
from redbridge_portal.redis_guard import broker_breaker

logger = logging.getLogger(__name__)


def _email_wanted(recipients: list[User], kind: str) -> set[int]:
    """The ids of recipients who want email for this kind (on unless they turned it off)."""
    ids = {user.pk for user in recipients}
    if kind in MANDATORY_EMAIL_KINDS:
        return ids
    turned_off = EmailPreference.objects.filter(
        user_id__in=ids, kind=kind, email_enabled=False
    ).values_list("user_id", flat=True)
    return ids - set(turned_off)


def senior_team_except(*people: User | None):
    """The senior team, less the people named: whoever raised something for the senior team
    (a post, a campaign, a concern, a question) is not told about it as well."""
    return roles.senior_team_members().exclude(pk__in=[p.pk for p in people if p is not None])


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
    unsent = [
        Notification(
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
        for person in people
    ]
    with transaction.atomic():
        if key is None:
            # One insert for everyone: a staff import tells hundreds of people at once.
            created = Notification.objects.bulk_create(unsent, batch_size=500)
        else:
            for notification in unsent:
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

    if broker_breaker.is_open:
        # It failed moments ago: do not make this request wait for it again.
        logger.warning(
            "The broker failed moments ago; %d notification email(s) left for the outbox sweep.",
            len(notification_ids),
        )
        return False
    try:
        send_notification_emails.delay(notification_ids)
    except Exception as error:  # any broker or network error: the outbox keeps the work
        broker_breaker.trip(error)
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
    """Email one pending notification, at least once, never twice at the same moment.

    The attempt is recorded (and the notification claimed for a while) in its own transaction
    before the mail server is contacted: if the worker dies while the server is answering, the
    attempt still counts, no other worker sends it until the claim lapses, and the outbox sweep
    then sends it again. Every copy carries the same Message-ID, derived from the notification,
    so a duplicate is recognisable (mail programs show it once); there are at most
    MAX_EMAIL_ATTEMPTS copies.

    Returns True if it sent the email now. On a mail-server failure EmailDeliveryError is raised
    and the sweep retries with backoff; after MAX_EMAIL_ATTEMPTS the row is marked failed, which
    admins see in the admin's notification list.
    """
    now = timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .select_related("recipient")
            .filter(pk=notification_id, email_status=EmailStatus.PENDING)
            .filter(Q(email_retry_after__isnull=True) | Q(email_retry_after__lte=now))
            .first()
        )
        if notification is None:
            return False  # sent, not wanted, or being sent by another worker right now
        if notification.email_attempts >= MAX_EMAIL_ATTEMPTS:
            _notification_email_failed(notification, notification.email_error or "No answer.")
            return False
        notification.email_attempts += 1
        notification.email_retry_after = now + timedelta(seconds=_email_claim_seconds())
        notification.save(update_fields=["email_attempts", "email_retry_after"])
    try:
        _notification_email(notification).send()
    except Exception as error:  # SMTP, socket and TLS errors alike
        _notification_email_failed(notification, f"{type(error).__name__}: {error}"[:2000])
        if notification.email_status == EmailStatus.PENDING:
            raise EmailDeliveryError(notification.email_error) from None
        return False
    notification.email_status = EmailStatus.SENT
    notification.emailed_at = timezone.now()
    notification.email_error = ""
    notification.email_retry_after = None
    notification.save(
        update_fields=["email_status", "emailed_at", "email_error", "email_retry_after"]
    )
    return True


def _email_claim_seconds() -> int:
    """How long a sending worker holds a notification: longer than the mail server may take."""
    return int(settings.EMAIL_TIMEOUT) + 60


def notification_message_id(notification: Notification) -> str:
    """The same for every copy of one notification's email, and for no other email."""
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<notification-{notification.pk}@{domain}>"


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
        headers={"Message-ID": notification_message_id(notification)},
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
    # Only the kinds the settings page offers this person: a kind their role cannot receive
    # keeps its stored choice (on, unless they chose otherwise in an earlier role).
    from redbridge_portal import roles

    offered = set(roles.notification_kinds_for(user))
    with transaction.atomic():
        for kind in NotificationKind.values:
            if kind not in offered:
                continue
            EmailPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"email_enabled": kind in enabled}
            )
