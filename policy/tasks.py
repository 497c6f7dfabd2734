"""Periodic tasks for the policy. Thin: each calls a service that is safe to run twice."""

from celery import shared_task

from policy import reminders


@shared_task
def send_review_reminders():
    """Daily: the annual review's reminder for today, if one is due (clause 8.1)."""
    return reminders.send_review_reminders()
