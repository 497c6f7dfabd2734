"""Periodic tasks for concerns. Thin: each calls a service, which is safe to run twice."""

from celery import shared_task

from concerns import services


@shared_task
def send_concern_reminders():
    """Every 15 minutes: concerns nobody has taken on, and open ones left too long."""
    return services.send_concern_reminders()
