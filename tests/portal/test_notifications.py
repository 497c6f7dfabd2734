import smtplib

import pytest
import time_machine
from django.core import mail
from django.db import transaction

from redbridge_portal import services
from redbridge_portal.models import EmailPreference, EmailStatus, Notification, NotificationKind
from redbridge_portal.redis_guard import broker_breaker
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def send(recipients, kind=NotificationKind.POST_SUBMITTED, key=None):
    return services.notify(
        recipients=recipients,
        kind=kind,
        subject="A post is waiting",
        message="Sam Patel submitted a post for X.\nPlease decide on it.",
        url="/posts/1/",
        key=key,
    )


def test_each_recipient_gets_a_notification_and_an_email_after_commit(
    django_capture_on_commit_callbacks, staff_user, senior_user
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        send([staff_user, senior_user])
    # One callback queues the emails.
    assert len(callbacks) == 1
    assert Notification.objects.filter(email_status=EmailStatus.SENT).count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([staff_user.email, senior_user.email])
    message = mail.outbox[0]
    assert message.subject == "A post is waiting"
    assert "http://localhost:8000/posts/1/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert 'href="http://localhost:8000/posts/1/"' in html


def test_nothing_is_sent_when_the_action_is_rolled_back(
    django_capture_on_commit_callbacks, staff_user
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            send([staff_user])
            raise RuntimeError("the action failed")
    assert Notification.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("kind", "emailed"),
    [(NotificationKind.POST_SUBMITTED, False), (NotificationKind.POST_DECIDED, True)],
    ids=["email turned off", "a decision on your own post is always emailed"],
)
def test_turning_email_off_keeps_it_in_the_portal_except_for_mandatory_kinds(
    django_capture_on_commit_callbacks, staff_user, kind, emailed
):
    EmailPreference.objects.create(user=staff_user, kind=kind, email_enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = send([staff_user], kind=kind)
    notification.refresh_from_db()
    assert notification.email_status == (EmailStatus.SENT if emailed else EmailStatus.NOT_WANTED)
    assert len(mail.outbox) == (1 if emailed else 0)


def test_the_same_key_is_never_sent_twice(django_capture_on_commit_callbacks, staff_user):
    with django_capture_on_commit_callbacks(execute=True):
        send([staff_user], key="post:1:submitted:rev:1")
        send([staff_user], key="post:1:submitted:rev:1")
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_inactive_people_are_not_told(django_capture_on_commit_callbacks):
    leaver = StaffFactory(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert send([leaver]) == []
    assert mail.outbox == []


def test_a_broker_outage_loses_nothing(
    django_capture_on_commit_callbacks, staff_user, monkeypatch, settings
):
    """The action succeeds with the broker down; the sweep sends the email once it is back."""
    from redbridge_portal.tasks import send_notification_emails

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker unreachable")

    monkeypatch.setattr(send_notification_emails, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = send([staff_user])
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.PENDING
    assert mail.outbox == []

    monkeypatch.undo()
    broker_breaker.reset()  # as when its pause after the failure is over
    assert services.notification_sweep_outbox(older_than_seconds=0) == 1
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT
    assert len(mail.outbox) == 1
    # A second sweep finds nothing left to send.
    assert services.notification_sweep_outbox(older_than_seconds=0) == 0
    assert len(mail.outbox) == 1


def test_a_failing_mail_server_is_retried_with_backoff_then_marked_failed(
    django_capture_on_commit_callbacks, staff_user, monkeypatch
):
    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with time_machine.travel("2026-11-23 10:00 +0000", tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            (notification,) = send([staff_user])
        notification.refresh_from_db()
        # The first attempt failed; the notification waits, pending, with the error noted.
        assert notification.email_status == EmailStatus.PENDING
        assert notification.email_attempts == 1
        assert "mail server down" in notification.email_error
        # Too early for the sweep: the backoff (two minutes) has not passed.
        assert services.notification_sweep_outbox(older_than_seconds=0) == 0
        traveller.shift(121)
        assert services.notification_sweep_outbox(older_than_seconds=0) == 1
        for _attempt in range(services.MAX_EMAIL_ATTEMPTS):
            traveller.shift(3600)
            services.notification_sweep_outbox(older_than_seconds=0)
        notification.refresh_from_db()
        assert notification.email_status == EmailStatus.FAILED
        assert notification.email_attempts == services.MAX_EMAIL_ATTEMPTS
        # Failed for good: visible to admins, and the sweep no longer picks it up.
        assert services.notification_sweep_outbox(older_than_seconds=0) == 0


def test_sending_twice_emails_once(staff_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        (notification,) = send([staff_user])
    assert services.notification_email_send(notification_id=notification.pk) is True
    assert services.notification_email_send(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


def test_reminder_send_once_sends_exactly_once(django_capture_on_commit_callbacks, senior_user):
    def remind():
        return services.reminder_send_once(
            key="post:1:reminder:24h",
            recipients=[senior_user],
            kind=NotificationKind.APPROVAL_REMINDER,
            subject="Still waiting",
            message="A post has waited a day.",
        )

    with django_capture_on_commit_callbacks(execute=True):
        first, second = remind(), remind()
    assert (first, second) == (True, False)
    assert len(mail.outbox) == 1
