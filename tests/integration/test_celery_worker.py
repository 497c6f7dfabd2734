"""A real Celery worker, fed through the configured broker (Redis in CI), delivers the email
that a submission made through the web layer queues."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from redbridge_portal.celery import app
from redbridge_portal.models import EmailStatus, Notification, NotificationKind
from tests.approvals.factories import AccountFactory, draft_post, submit_from_page
from tests.factories import SeniorTeamFactory, StaffFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def real_worker(settings):
    """A worker thread consuming from the real broker; tasks are not run eagerly."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.task_always_eager = True


def wait_for(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_a_submission_reaches_the_senior_team_by_email_through_the_worker(client, real_worker):
    author = StaffFactory(first_name="Sam", last_name="Patel")
    senior = SeniorTeamFactory(email="priya.shah@redbridge.example")
    post = draft_post(author, AccountFactory(name="X"))
    client.force_login(author)

    response = submit_from_page(client, post)

    assert response.status_code == 302
    # The web request only queued the email; the worker sends it.
    assert wait_for(lambda: any(senior.email in m.to for m in mail.outbox)), (
        f"no email reached the senior team; broker {app.conf.broker_url}"
    )
    notification = Notification.objects.get(recipient=senior, kind=NotificationKind.POST_SUBMITTED)
    assert wait_for(
        lambda: Notification.objects.filter(
            pk=notification.pk, email_status=EmailStatus.SENT
        ).exists()
    )
    message = next(m for m in mail.outbox if senior.email in m.to)
    assert post.get_absolute_url() in message.body
