import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redbridge_portal.settings")

app = Celery("redbridge_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
@signals.beat_init.connect
def _require_secret_key(**kwargs):
    """The worker and beat refuse to start without a secret key, as the web process does.
    (Celery logs and swallows exceptions from signal handlers: exiting is what stops it.)"""
    from django.core.exceptions import ImproperlyConfigured

    from redbridge_portal.checks import require_secret_key

    try:
        require_secret_key()
    except ImproperlyConfigured as exc:
        raise SystemExit(f"ImproperlyConfigured: {exc}") from exc
