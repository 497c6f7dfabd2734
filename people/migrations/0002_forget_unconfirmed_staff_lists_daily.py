"""Forget staff lists never confirmed, every night (kept in the database by django-celery-beat,
so an administrator can see and change it in the admin's Periodic tasks)."""

from django.db import migrations

NAME = "Forget staff lists never confirmed"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="40",
        hour="2",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/London",
    )
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={
            "task": "people.tasks.forget_unconfirmed_staff_lists",
            "crontab": crontab,
            "description": "Staff lists uploaded for an import but never confirmed hold names "
            "and email addresses: a day on, they are deleted.",
        },
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
