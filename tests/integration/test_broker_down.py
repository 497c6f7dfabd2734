"""With the broker unreachable, a submission still succeeds; its emails go out once the
broker is back (the outbox sweep hands them over)."""

import pytest
from django.core import mail

from approvals.models import PostStatus
from redbridge_portal.models import EmailStatus, Notification, NotificationKind
from redbridge_portal.redis_guard import broker_breaker
from redbridge_portal.services import notification_sweep_outbox
from tests.approvals.factories import AccountFactory, draft_post, submit_from_page
from tests.integration.brokers import tasks_sent_to

pytestmark = pytest.mark.django_db

UNREACHABLE = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def broker_down():
    """Point Celery at a broker that refuses connections, with tasks really sent to it."""
    with tasks_sent_to(UNREACHABLE) as test_app:
        yield test_app


def test_a_submission_succeeds_with_the_broker_down_and_is_emailed_later(
    staff_client, staff_user, senior_user, django_capture_on_commit_callbacks, broker_down
):
    post = draft_post(staff_user, AccountFactory(name="X"))

    with django_capture_on_commit_callbacks(execute=True):
        response = submit_from_page(staff_client, post, follow=True)

    assert response.status_code == 200
    assert "Your post was sent to the senior team." in response.content.decode()
    post.refresh_from_db()
    assert post.status == PostStatus.SUBMITTED
    notification = Notification.objects.get(
        recipient=senior_user, kind=NotificationKind.POST_SUBMITTED
    )
    assert notification.email_status == EmailStatus.PENDING
    assert mail.outbox == []
    # The email task really went to the unreachable broker, and the failure was noticed.
    assert broker_breaker.is_open

    # The broker comes back (tasks run in this process again): the sweep sends the email.
    broker_down.conf.task_always_eager = True
    broker_breaker.reset()  # as when its pause after the failure is over
    assert notification_sweep_outbox(older_than_seconds=0) == 1
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT
    assert [m.to for m in mail.outbox] == [[senior_user.email]]
