"""Services every part of the portal shares: the audit log and notifications."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.template.loader import render_to_string
from django.utils import timezone

from redbridge_portal.actions import ActionRefused
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
from redbridge_portal.redis_guard import broker_breaker

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


# --- Accounts: roles, deactivation, two-factor sign-in, personal data ------------------------


class AccountError(ActionRefused):
    """A refused change to an account, with a message a user can read."""


ANONYMISED_EMAIL_DOMAIN = "anonymised.invalid"  # .invalid can never receive email (RFC 2606)


def account_state(user: User) -> dict:
    """What the audit log records about an account before and after a change to it."""
    from redbridge_portal import roles

    return {
        "roles": roles.role_names(user),
        "is_active": user.is_active,
        "admin_site": user.is_staff,
        "superuser": user.is_superuser,
    }


def user_sessions_end(*, user: User) -> int:
    """Sign the user out everywhere by deleting their stored sessions. Returns how many.

    Sessions live in the database (the default engine); a school has a few hundred at most, so
    reading the unexpired ones is cheap. Even without this, an inactive account is refused on
    its next request (ModelBackend does not load inactive users), so this is the second lock.
    """
    from importlib import import_module

    from django.contrib.sessions.models import Session

    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        try:
            data = session.get_decoded()
        except Exception:  # a corrupt or foreign session is simply not this user's
            logger.debug("Skipped an unreadable session while signing %s out.", user.pk)
            continue
        if str(data.get("_auth_user_id")) == str(user.pk):
            store(session_key=session.session_key).delete()
            ended += 1
    return ended


def user_account_changed(*, actor: User, user: User, before: dict | None, after: dict) -> None:
    """Record a change made to an account (in the admin site): who changed which roles,
    admin-site access or active state, from what to what. A deactivated account is signed out
    everywhere. `before` is None for a new account."""
    with transaction.atomic():
        if before is None:
            audit_record(actor=actor, action="user.created", target=user, data={"after": after})
            return
        if before["roles"] != after["roles"] or (
            (before["admin_site"], before["superuser"]) != (after["admin_site"], after["superuser"])
        ):
            audit_record(
                actor=actor,
                action="user.roles_changed",
                target=user,
                summary=_describe_role_change(before, after),
                data={"before": before, "after": after},
            )
        if before["is_active"] and not after["is_active"]:
            ended = user_sessions_end(user=user)
            audit_record(
                actor=actor,
                action="user.deactivated",
                target=user,
                data={"sessions_ended": ended},
            )
        elif not before["is_active"] and after["is_active"]:
            audit_record(actor=actor, action="user.reactivated", target=user)


def _describe_role_change(before: dict, after: dict) -> str:
    added = [role for role in after["roles"] if role not in before["roles"]]
    removed = [role for role in before["roles"] if role not in after["roles"]]
    parts = []
    if added:
        parts.append("Added: " + ", ".join(added) + ".")
    if removed:
        parts.append("Removed: " + ", ".join(removed) + ".")
    if before["admin_site"] != after["admin_site"]:
        parts.append("Admin site access " + ("given." if after["admin_site"] else "removed."))
    if before["superuser"] != after["superuser"]:
        parts.append("Superuser " + ("given." if after["superuser"] else "removed."))
    return " ".join(parts)


def _may_manage_accounts(actor: User) -> bool:
    from redbridge_portal import roles

    return roles.can_manage_personal_data(actor) or actor.has_perm("redbridge_portal.change_user")


# Two-factor sign-in ---------------------------------------------------------------------------

TOTP_DEVICE_NAME = "Authenticator app"
BACKUP_CODES_NAME = "Backup codes"


def two_factor_setup_device(*, user: User):
    """The authenticator-app device being set up: the user's unconfirmed one, or a new one.
    Reusing it keeps the QR code the same if the page is reloaded."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def two_factor_enable(*, user: User, token: str) -> list[str] | None:
    """Confirm the authenticator app being set up with a code from it. On success the new app
    replaces any earlier one, a fresh set of backup codes is made and returned (shown once),
    and the change is recorded. Returns None when the code is wrong."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("-pk")
            .first()
        )
        if device is None or not device.verify_token(token):
            return None
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _backup_codes_replace(user)
        audit_record(actor=user, action="account.two_factor_enabled", target=user)
    return codes


def _backup_codes_replace(user: User) -> list[str]:
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_CODES_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def two_factor_backup_codes_replace(*, user: User) -> list[str]:
    """Make a new set of backup codes (the old ones stop working) and return them."""
    from django_otp import user_has_device

    with transaction.atomic():
        if not user_has_device(user):
            raise AccountError("Set up two-factor sign-in first.")
        codes = _backup_codes_replace(user)
        audit_record(actor=user, action="account.backup_codes_replaced", target=user)
    return codes


def two_factor_verify(*, user: User, token: str):
    """Check a code from the user's authenticator app or one of their backup codes (a backup
    code works once). Returns the device that accepted it, or None. Both outcomes are recorded;
    each device slows down repeated wrong codes (django-otp's throttling)."""
    from django_otp import match_token
    from django_otp.plugins.otp_static.models import StaticDevice

    token = "".join(token.split()).lower()
    device = match_token(user, token) if token else None
    with transaction.atomic():
        if device is None:
            audit_record(actor=user, action="login.two_factor_failed", target=user)
        else:
            used_backup = isinstance(device, StaticDevice)
            audit_record(
                actor=user,
                action="login.two_factor_verified",
                target=user,
                summary="With a backup code." if used_backup else "With the authenticator app.",
            )
    return device


def two_factor_reset(*, actor: User, user: User) -> None:
    """Remove someone's authenticator app and backup codes (for a lost phone): they set up
    two-factor sign-in again at their next sign-in. Signs them out everywhere."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not _may_manage_accounts(actor):
        raise AccountError("You do not have permission to reset two-factor sign-in.")
    if actor.pk == user.pk:
        raise AccountError("You cannot reset your own two-factor sign-in. Ask another admin.")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        user_sessions_end(user=user)
        audit_record(actor=actor, action="account.two_factor_reset", target=user)


# Personal data ---------------------------------------------------------------------------------


def personal_data_export(*, actor: User, user: User) -> dict:
    """Everything the portal holds about one person (a subject access request), recorded in the
    audit log. Each app contributes through its selectors' `personal_data(user)`."""
    from redbridge_portal import roles, selectors

    if not roles.can_manage_personal_data(actor):
        raise AccountError("You do not have permission to export personal data.")
    with transaction.atomic():
        audit_record(actor=actor, action="personal_data.exported", target=user)
    return selectors.personal_data_export(user)


def user_anonymise(*, actor: User, user: User) -> User:
    """Remove a departed member of staff's personal details from the portal.

    Their name becomes "Former member of staff <id>", their email an address that cannot
    receive mail; they can no longer sign in, lose their roles, sessions, two-factor devices,
    notifications and email choices, and their sign-in attempts are forgotten. The account row
    stays, so everything they wrote, approved or decided still points at it: the audit trail
    and the published log read as before, with the new name. Each app may blank data of its
    own through `<app>.services.personal_data_anonymise(user=...)`. Refuses the actor's own
    account and an account already anonymised.
    """
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from redbridge_portal import roles

    if not roles.can_manage_personal_data(actor):
        raise AccountError("You do not have permission to anonymise accounts.")
    if actor.pk == user.pk:
        raise AccountError("You cannot anonymise your own account. Ask another policy admin.")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_anonymised:
            raise AccountError("This account has already been anonymised.")
        old_email = user.email
        roles_before = roles.role_names(user)
        user.first_name = "Former member of staff"
        user.last_name = str(user.pk)
        user.email = f"former-staff-{user.pk}@{ANONYMISED_EMAIL_DOMAIN}"
        user.set_unusable_password()
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.save(
            update_fields=[
                "first_name",
                "last_name",
                "email",
                "password",
                "is_active",
                "is_staff",
                "is_superuser",
            ]
        )
        user.groups.clear()
        user.user_permissions.clear()
        Notification.objects.filter(recipient=user).delete()
        EmailPreference.objects.filter(user=user).delete()
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username__iexact=old_email).delete()
        user_sessions_end(user=user)
        for hook in _app_hooks("services", "personal_data_anonymise").values():
            hook(user=user)
        audit_record(
            actor=actor,
            action="user.anonymised",
            target=user,
            summary="Personal details removed; records kept under the new name.",
            data={"roles_before": roles_before},
        )
    return user


def _app_hooks(module_name: str, function_name: str):
    """`<app>.<module_name>.<function_name>` for each of the project's own apps that has it."""
    from redbridge_portal.selectors import app_functions

    return app_functions(module_name, function_name)
