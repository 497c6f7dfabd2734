import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redbridge_portal.settings")

app = Celery("redbridge_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
