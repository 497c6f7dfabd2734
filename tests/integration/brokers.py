"""Where a test's Celery tasks go."""

import os
from contextlib import contextmanager
from unittest import mock

from celery import Celery

from redbridge_portal.celery import app as portal_app


@contextmanager
def tasks_sent_to(broker_url: str, **conf):
    """While the block runs, Celery really sends tasks to `broker_url` (they no longer run in
    this process): a Celery app of its own, configured from the settings as the portal's is but
    with that broker (and `conf`), is made the current app, the one shared tasks are sent with
    (Celery's documented behaviour). Afterwards the portal's app is current again and the
    test's app is closed with its connections."""
    # Celery reads the broker from the environment before its configuration (as CI sets it).
    with (
        mock.patch.dict(os.environ, CELERY_BROKER_URL=broker_url),
        Celery(portal_app.main, set_as_current=False) as test_app,
    ):
        test_app.config_from_object("django.conf:settings", namespace="CELERY")
        test_app.conf.update(broker_url=broker_url, task_always_eager=False, **conf)
        test_app.set_current()
        try:
            yield test_app
        finally:
            portal_app.set_current()
