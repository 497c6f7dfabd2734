"""Periodic tasks for people. Thin: each calls a service, which is safe to run twice."""

from celery import shared_task

from people import services


@shared_task
def forget_unconfirmed_staff_lists():
    """Daily: staff lists uploaded a day ago or more and never confirmed are deleted."""
    return services.staff_imports_forget_unconfirmed()
