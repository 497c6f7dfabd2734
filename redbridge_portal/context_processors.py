from django.conf import settings
from django.utils.functional import SimpleLazyObject

from redbridge_portal.roles import Abilities
from redbridge_portal.selectors import unread_notification_count


def portal(request):
    """What every page needs: the user's abilities (for the navigation) and the school's name."""
    return {
        "can": Abilities(request.user) if hasattr(request, "user") else None,
        "school_name": settings.SCHOOL_NAME,
        "support_contact": settings.SUPPORT_CONTACT,
        # Counted only when a template shows it (the navigation bar, for signed-in users).
        "unread_notifications": SimpleLazyObject(lambda: unread_notification_count(request.user)),
    }
