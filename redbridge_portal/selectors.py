from datetime import datetime, time, timedelta
from importlib import import_module
from importlib.util import find_spec

from axes.models import AccessAttempt, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Q
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from redbridge_portal import roles
from redbridge_portal.models import (
    MANDATORY_EMAIL_KINDS,
    AuditEvent,
    EmailPreference,
    Notification,
    NotificationKind,
    User,
)


def unread_notification_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_page(*, user, page_number, per_page: int = 25):
    notifications = Notification.objects.filter(recipient=user).only(
        "id", "kind", "subject", "message", "url", "created_at", "read_at"
    )
    return Paginator(notifications, per_page).get_page(page_number)


def email_preferences(user) -> list[dict]:
    """Every kind of notification with whether the user gets it by email and whether they may
    turn it off."""
    turned_off = set(
        EmailPreference.objects.filter(user=user, email_enabled=False).values_list(
            "kind", flat=True
        )
    )
    reaching_them = set(roles.notification_kinds_for(user))
    return [
        {
            "kind": kind,
            "label": label,
            "email_enabled": kind not in turned_off or kind in MANDATORY_EMAIL_KINDS,
            "mandatory": kind in MANDATORY_EMAIL_KINDS,
        }
        for kind, label in NotificationKind.choices
        if kind in reaching_them
    ]


# --- Audit log ----------------------------------------------------------------------------------


def audit_events(
    *,
    action: str = "",
    person: str = "",
    record: str = "",
    date_from=None,
    date_to=None,
    hide_sign_ins: bool = False,
):
    """Audit rows, newest first, filtered as the audit log page asks. `action` matches a whole
    action ("post.approved") or a family ("post."); `person` matches the actor's name or email;
    `record` the record's label; dates are school-local days, inclusive."""
    events = AuditEvent.objects.select_related("actor", "target_type")
    if action:
        if action.endswith("."):
            events = events.filter(action__startswith=action)
        else:
            events = events.filter(action=action)
    if person:
        for word in person.split()[:5]:
            events = events.filter(
                Q(actor__first_name__icontains=word)
                | Q(actor__last_name__icontains=word)
                | Q(actor__email__icontains=word)
            )
    if record:
        events = events.filter(target_label__icontains=record)
    if hide_sign_ins:
        events = events.exclude(action__startswith="login.").exclude(action="logout")
    zone = timezone.get_current_timezone()
    if date_from:
        events = events.filter(created_at__gte=datetime.combine(date_from, time.min, zone))
    if date_to:
        next_day = date_to + timedelta(days=1)
        events = events.filter(created_at__lt=datetime.combine(next_day, time.min, zone))
    return events


def audit_events_about(user):
    """Audit rows whose record is this person's account, newest first."""
    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(User), target_id=str(user.pk)
    ).select_related("actor")


def audit_action_families() -> list[str]:
    """The kinds of action recorded so far ("login.", "post."), for the filter's choices."""
    actions = AuditEvent.objects.order_by().values_list("action", flat=True).distinct()
    return sorted({action.split(".", 1)[0] + "." for action in actions})


# --- People and their personal data -------------------------------------------------------------


def people(*, search: str = ""):
    """Everyone with an account, for policy admins, with their roles loaded in one query."""
    users = User.objects.prefetch_related("groups")
    for word in search.split()[:5]:
        users = users.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    return users


def app_functions(module_name: str, function_name: str) -> dict:
    """`<app>.<module_name>.<function_name>` for each of the project's own apps that has it,
    by app label.

    This is how the personal-data features reach each app's data without knowing its models:
    an app exposes `personal_data(user) -> dict` in its selectors and, if it holds personal
    details that must go when someone is anonymised, `personal_data_anonymise(*, user)` in its
    services.
    """
    found = {}
    for config in apps.get_app_configs():
        if config.name == "redbridge_portal" or not config.path.startswith(str(settings.BASE_DIR)):
            continue
        dotted = f"{config.name}.{module_name}"
        if find_spec(dotted) is None:
            continue
        function = getattr(import_module(dotted), function_name, None)
        if callable(function):
            found[config.label] = function
    return found


def _audit_row(event) -> dict:
    return {
        "when": event.created_at,
        "who": str(event.actor) if event.actor_id else None,
        "action": event.action,
        "record": event.target_label,
        "details": event.summary,
        "data": event.data,
        "from_address": event.ip_address,
    }


def personal_data_export(user) -> dict:
    """Everything held about one person, as JSON-ready data: their account, roles, email
    choices, notifications, two-factor set-up (not the secrets), sign-in attempts, the audit
    rows by and about them, and each app's own data."""
    data = {
        "generated_at": timezone.now(),
        "account": {
            "id": user.pk,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "can_sign_in": user.is_active,
            "admin_site_access": user.is_staff,
            "joined": user.date_joined,
            "last_signed_in": user.last_login,
        },
        "roles": roles.role_names(user),
        "email_choices": [
            {"kind": item["label"], "email": item["email_enabled"]}
            for item in email_preferences(user)
        ],
        "notifications": list(
            Notification.objects.filter(recipient=user).values(
                "created_at", "kind", "subject", "message", "url", "read_at", "email_status"
            )
        ),
        "two_factor": {
            "authenticator_app": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
            "backup_codes_left": StaticToken.objects.filter(device__user=user).count(),
        },
        "sign_in_attempts": list(
            AccessAttempt.objects.filter(username__iexact=user.email).values(
                "attempt_time", "ip_address", "user_agent", "failures_since_start"
            )
        )
        + list(
            AccessLog.objects.filter(username__iexact=user.email).values(
                "attempt_time", "logout_time", "ip_address", "user_agent"
            )
        ),
        "audit_events_by_them": [
            _audit_row(event)
            for event in AuditEvent.objects.filter(actor=user).select_related("actor")
        ],
        "audit_events_about_them": [_audit_row(event) for event in audit_events_about(user)],
        # Changes they made in the admin site (Django's own history of it).
        "admin_site_changes": list(
            LogEntry.objects.filter(user=user)
            .order_by("action_time")
            .values("action_time", "object_repr", "change_message")
        ),
    }
    for app_label, function in app_functions("selectors", "personal_data").items():
        data[app_label] = function(user)
    return data
