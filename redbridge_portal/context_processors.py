from django.conf import settings

from redbridge_portal.roles import Abilities


def portal(request):
    """What every page needs: the user's abilities (for the navigation) and the school's name."""
    return {
        "can": Abilities(request.user) if hasattr(request, "user") else None,
        "school_name": settings.SCHOOL_NAME,
        "support_contact": settings.SUPPORT_CONTACT,
    }
