import logging

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from redbridge_portal.celery import app as celery_app

logger = logging.getLogger(__name__)


class HomeView(TemplateView):
    template_name = "home.html"


@method_decorator(login_not_required, name="dispatch")
class AccessibilityStatementView(TemplateView):
    template_name = "accessibility.html"


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: the database is unreachable")
        return False
    return True


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        logger.exception("Health check: the Celery broker is unreachable")
        return False
    return True


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """For the load balancer and monitoring: 200 when the database and the broker answer,
    503 naming whichever does not."""
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    failing = [name for name, ok in checks.items() if not ok]
    body = {name: "ok" if ok else "unreachable" for name, ok in checks.items()}
    body["status"] = "ok" if not failing else "unavailable: " + ", ".join(failing)
    return JsonResponse(body, status=503 if failing else 200)
