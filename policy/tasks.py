"""Periodic tasks for the policy. Thin: each calls a service that is safe to run twice."""

from celery import shared_task

from policy import reminders


@shared_task
def send_review_reminders():
    """Daily: the annual review's reminder for today, if one is due (clause 8.1)."""
    return reminders.send_review_reminders()


@shared_task
def send_acknowledgement_reminders():
    """Each school-day morning: remind staff who have not acknowledged the current version,
    after 5 school days and then every school week (never two to anyone on one day)."""
    return reminders.send_acknowledgement_reminders()
