"""/healthz: whether the database, the broker and the cache answer, for the load balancer and
monitoring. Each is given a short time; a hung service is named, not waited for."""

import logging

import redis
from celery import current_app as celery_app
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection, transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


# Each check of /healthz gives up after this long, so the whole answer comes within two seconds
# even when a service accepts connections and never answers.
HEALTH_CHECK_TIMEOUT = 0.5


def _database_ok() -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # A database that accepts the query and never answers is named, not waited for.
                cursor.execute(
                    "SET LOCAL statement_timeout = %s", [int(HEALTH_CHECK_TIMEOUT * 1000)]
                )
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: the database is unreachable")
        return False
    return True


def _redis_ok(url: str, what: str) -> bool:
    client = redis.Redis.from_url(
        url, socket_timeout=HEALTH_CHECK_TIMEOUT, socket_connect_timeout=HEALTH_CHECK_TIMEOUT
    )
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError) as error:
        logger.error("Health check: %s (Redis) did not answer: %s", what, error)
        return False
    finally:
        client.close()


def _broker_ok() -> bool:
    # Celery's current app: the one tasks are sent with (the portal's own, outside tests).
    url = celery_app.conf.broker_url or ""
    if url.startswith(("redis://", "rediss://")):
        return _redis_ok(url, "the Celery broker")
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=HEALTH_CHECK_TIMEOUT)
    except Exception:
        logger.exception("Health check: the Celery broker is unreachable")
        return False
    return True


def _redis_cache_url() -> str | None:
    cache_settings = settings.CACHES["default"]
    if cache_settings["BACKEND"] != "django_redis.cache.RedisCache":
        return None
    location = cache_settings["LOCATION"]
    return location[0] if isinstance(location, list | tuple) else location


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """For the load balancer and monitoring: 200 when the database and the broker answer,
    503 naming whichever does not, within two seconds. A Redis cache is reported too, but does
    not fail the check: pages are served without it."""
    on_redis = (celery_app.conf.broker_url or "").startswith("redis")
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    failing = [name for name, ok in checks.items() if not ok]
    body = {name: "ok" if ok else "unreachable" for name, ok in checks.items()}
    cache_url = _redis_cache_url()
    if cache_url is not None:
        cache_ok = _redis_ok(cache_url, "the cache")
        body["cache"] = "ok" if cache_ok else "unreachable (pages still work)"
    names = ["broker (Redis)" if name == "broker" and on_redis else name for name in failing]
    body["status"] = "ok" if not failing else "unavailable: " + ", ".join(names)
    return JsonResponse(body, status=503 if failing else 200)
