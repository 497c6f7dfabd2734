"""System checks for settings that only go wrong once deployed."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
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


@register(Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    """The stamps (redbridge_portal.stamps) tell every process that something changed through
    the cache, so each process must see the same one."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend == "django.core.cache.backends.locmem.LocMemCache":
        return [
            Warning(
                "The cache is in each process's own memory, so a change made through one web "
                "worker or by Celery is not seen by the others: pages and signed-in users are "
                "kept out of date.",
                hint="Set CACHE_URL to Redis (rediscache://host:6379/1), or leave it unset for "
                "files under var/cache/ when everything runs on one machine.",
                id="redbridge.W001",
            )
        ]
    return []


KEPT_PAGES = "redbridge_portal.page_cache.KeptPageMiddleware"
REQUEST_CONTEXT = "redbridge_portal.middleware.RequestContextMiddleware"
SESSIONS = "django.contrib.sessions.middleware.SessionMiddleware"
AUTHENTICATION = "django.contrib.auth.middleware.AuthenticationMiddleware"


@register(Tags.security)
def kept_page_middleware_order(app_configs, **kwargs):
    """KeptPageMiddleware reads the session, and hands the user it found on to the
    authentication middleware: anywhere else, pages would be kept without being served, or
    served before the session is read. It also needs the request's scope for the stamps
    (RequestContextMiddleware), or the user and the page's key could be filed under different
    stamps."""
    middleware = list(settings.MIDDLEWARE)
    if KEPT_PAGES not in middleware:
        return []
    position = middleware.index(KEPT_PAGES)
    before, after = middleware[:position], middleware[position + 1 :]
    if REQUEST_CONTEXT in before and SESSIONS in before and AUTHENTICATION in after:
        return []
    return [
        Error(
            "KeptPageMiddleware must come after RequestContextMiddleware and SessionMiddleware, "
            "and before AuthenticationMiddleware.",
            hint="Put it straight after SessionMiddleware in MIDDLEWARE.",
            id="redbridge.E001",
        )
    ]
