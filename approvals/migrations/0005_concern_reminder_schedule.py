"""Remind about concerns every 15 minutes (kept in the database by django-celery-beat)."""

from django.db import migrations

NAME = "Remind about concerns nobody has taken on"


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    interval, _ = IntervalSchedule.objects.get_or_create(every=15, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={
            "task": "approvals.tasks.send_concern_reminders",
            "interval": interval,
            "description": "Concerns nobody has taken on (after 1 hour if urgent), and concerns "
            "still open long after someone took them on.",
        },
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0004_concerns"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
