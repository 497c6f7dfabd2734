"""Periodic tasks for posts. Thin: each calls a service, which is safe to run twice."""

from celery import shared_task

from approvals import reminders


@shared_task
def send_post_reminders():
    """Every 15 minutes: reminders, escalations, urgent reminders and author reminders due now."""
    return reminders.send_post_reminders()


@shared_task
def send_daily_digests():
    """Each school-day morning: one summary per senior-team member of what waits for them."""
    return reminders.send_daily_digests()
