from django.core.paginator import Paginator

from redbridge_portal.models import (
    MANDATORY_EMAIL_KINDS,
    EmailPreference,
    Notification,
    NotificationKind,
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
    return [
        {
            "kind": kind,
            "label": label,
            "email_enabled": kind not in turned_off or kind in MANDATORY_EMAIL_KINDS,
            "mandatory": kind in MANDATORY_EMAIL_KINDS,
        }
        for kind, label in NotificationKind.choices
    ]
