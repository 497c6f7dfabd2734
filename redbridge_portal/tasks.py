"""Celery tasks for notifications. Tasks take ids, reload, and call a service."""

import logging

from celery import shared_task

from redbridge_portal import services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def send_notification_emails(notification_ids):
    """Email each pending notification. Safe to run twice (acks_late): sending checks, under a
    row lock, that the notification is still pending.

    A mail-server failure on one does not stop the others. A failed one stays pending with a
    growing backoff (2, 4, 8... minutes) and the periodic outbox sweep retries it, so no retry
    waits in the broker with a countdown that a broker restart could lose.
    """
    sent = 0
    for notification_id in notification_ids:
        try:
            sent += services.notification_email_send(notification_id=notification_id)
        except services.EmailDeliveryError:
            logger.warning("Notification %s not emailed yet; it will be retried.", notification_id)
    return sent


@shared_task
def sweep_notification_outbox():
    """Periodic: hand any notification still waiting to be emailed to the workers."""
    return services.notification_sweep_outbox()
