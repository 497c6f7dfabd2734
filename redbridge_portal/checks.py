"""Start-up checks for settings that only go wrong once deployed."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def require_secret_key() -> None:
    """Called by the web (wsgi, asgi) and Celery entry points: a server without a secret key
    stops at once, not at the first page that signs something."""
    try:
        configured = bool(settings.SECRET_KEY)
    except ImproperlyConfigured:  # Django refuses to hand out an empty key
        configured = False
    if not configured:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
